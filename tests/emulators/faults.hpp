// Injected failures, matched by path prefix (and optionally tenant), each consumed a
// fixed number of times: HTTP status answers (429/503/403/... with Retry-After), delays,
// connection resets, truncated bodies and schema-violating items.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_util.hpp"

namespace secfeed::emulator {

struct Fault {
  enum class Action { none, reset, truncate, malformed_item };
  std::string path_prefix;  // "" matches every non-control path
  std::string tenant;       // "" matches every tenant
  int status = 0;           // 0: no status answer; 206: normal body + Warning (legacy alerts)
  int retry_after = -1;     // seconds; < 0: no Retry-After header
  int delay_ms = 0;
  Action action = Action::none;
  int count = 1;  // < 0: forever
};

class FaultRegistry {
 public:
  // Adds one fault object or an array of them (JSON, format in README.md); returns an
  // error message on invalid input.
  std::optional<std::string> add(std::string_view json);
  // Removes the active faults; the served counts stay (they tell a test what happened).
  void clear() { faults_.clear(); }
  std::size_t size() const { return faults_.size(); }

  // The first fault matching the request, with its remaining count decremented.
  std::optional<Fault> take(std::string_view path, std::string_view tenant);

  // Writes the members `faults` (active count), `active` (each with its `remaining`
  // count), `served` and `served_by_tenant`: a test checks that its faults were hit.
  void write_status(JsonWriter& w) const;

 private:
  std::vector<Fault> faults_;
  std::int64_t served_ = 0;
  std::map<std::string, std::int64_t, std::less<>> served_by_tenant_;
};

}  // namespace secfeed::emulator
