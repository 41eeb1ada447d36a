// What `secfeed check` found: one row per probe (a tenant's token, a Graph endpoint of a
// source for one tenant, a sink's connection, ...), printed as a table or as JSON.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace secfeed::check {

enum class CheckStatus { ok, fail, skipped };

struct CheckRow {
  std::string component;  // "tenant contoso", "source alerts", "sink siem"
  std::string target;     // what was tried: a tenant id, an endpoint, a URL, a path
  CheckStatus status = CheckStatus::ok;
  std::string detail;  // for a failure: the reason and what to do about it
};

const char* to_string(CheckStatus status);  // "ok", "FAIL", "skipped"

class CheckReport {
 public:
  void add(CheckRow row) { rows_.push_back(std::move(row)); }
  const std::vector<CheckRow>& rows() const { return rows_; }
  bool all_ok() const;  // no row failed (skipped rows do not count)

  // Aligned columns COMPONENT TARGET RESULT DETAIL, then a summary line.
  void print_text(std::FILE* out) const;
  // {"ok":bool,"checks":[{"component","target","result","detail"}...]}
  void print_json(std::FILE* out) const;

 private:
  std::vector<CheckRow> rows_;
};

}  // namespace secfeed::check
