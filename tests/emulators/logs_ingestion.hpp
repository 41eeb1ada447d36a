// Azure Monitor Logs Ingestion API: POST /dataCollectionRules/{dcr}/streams/{stream}.
// Validates rows against the DCR stream declarations and appends accepted rows to an
// NDJSON file.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.hpp"

namespace secfeed::emulator {

inline constexpr std::size_t kMaxIngestionBodyBytes = 1'048'576;

class LogsIngestion {
 public:
  // A DCR streamDeclarations JSON file, or a folder of them (*.json). Accepts the bare
  // map, {"streamDeclarations": ...}, a DCR resource ({"properties": {...}}) or an ARM
  // template holding one. Returns an error message on failure.
  std::optional<std::string> load_streams(const std::string& path);
  // Accepted rows go to `path` as {"stream","dcr","row"} lines.
  std::optional<std::string> open_output(const std::string& path);

  // Called after authentication.
  void handle(const Request& request, std::string_view dcr, std::string_view stream,
              Response& response);

  std::int64_t accepted_rows(std::string_view stream) const;
  const std::map<std::string, std::int64_t, std::less<>>& accepted() const { return accepted_; }
  std::size_t stream_count() const { return streams_.size(); }

 private:
  struct Column {
    std::string name;
    std::string type;  // string, int, long, real, boolean, datetime, dynamic
  };

  std::optional<std::string> load_file(const std::string& path, bool required);

  std::map<std::string, std::vector<Column>, std::less<>> streams_;
  std::map<std::string, std::int64_t, std::less<>> accepted_;
  std::ofstream output_;
};

}  // namespace secfeed::emulator
