// Typed, position-reporting access to one YAML mapping of the config (internal to the
// loader). Every error it raises reads
//   FILE:LINE:COLUMN: key.path[2].name: what was expected
// with the position of the offending value (or of the mapping, for a missing key).
// Every key looked up is remembered, so finish() can reject the rest as unknown keys,
// with a "did you mean" for a known key at edit distance <= 2.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "connector/core/config.hpp"
#include "connector/core/config_enums.hpp"
#include "connector/core/text.hpp"

namespace secfeed {

// State shared by every reader of one load.
struct ConfigDocument {
  std::string file;
  const ConfigLoadOptions* options = nullptr;
  bool world_readable = false;
  std::vector<std::string>* warnings = nullptr;

  [[noreturn]] void fail(const YAML::Mark& mark, std::string_view path,
                         std::string_view message) const;
  std::string position(const YAML::Mark& mark) const;  // "FILE:LINE:COLUMN"
};

// Reads a whole file of at most `limit` bytes; false with a reason (strerror text,
// "is a directory", "larger than N bytes") otherwise.
bool read_small_file(const std::string& path, std::size_t limit, std::string& out,
                     std::string& error);

// Edit distance with transpositions, for "did you mean" (keys are short).
std::size_t edit_distance(std::string_view a, std::string_view b);

class MapReader {
 public:
  // `node` must be a mapping or null (an empty section); anything else is an error.
  // `pattern` is the catalog form of `path` ("sinks[]" for "sinks[3]").
  MapReader(const ConfigDocument& doc, const YAML::Node& node, std::string path,
            std::string pattern, const YAML::Mark& fallback_mark);

  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const;
  const YAML::Mark& mark() const { return mark_; }
  // Refines the catalog name after dispatching on `type` ("sinks[syslog]").
  void set_pattern(std::string pattern) { pattern_ = std::move(pattern); }

  // Marks `key` as known and tells whether it is present with a non-null value.
  bool has(std::string_view key);
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;
  // An error about the mapping as a whole ("exactly one of ... is required").
  [[noreturn]] void fail_here(std::string_view message) const;
  // Adds "FILE:LINE:COLUMN: key.path: message" to Config::warnings.
  void warn(std::string_view key, std::string_view message) const;

  std::optional<std::string> string(std::string_view key);
  std::string string_or(std::string_view key, std::string fallback);
  std::string required_string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  bool boolean_or(std::string_view key, bool fallback);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key, double min, double max);
  std::optional<Duration> duration(std::string_view key);
  Duration duration_or(std::string_view key, Duration fallback, Duration min = Duration(1));
  std::optional<std::uint64_t> size(std::string_view key, std::uint64_t min, std::uint64_t max);

  template <typename E>
  std::optional<E> choice(std::string_view key, std::span<const EnumName<E>> table);
  template <typename E>
  E choice_or(std::string_view key, std::span<const EnumName<E>> table, E fallback) {
    return choice(key, table).value_or(fallback);
  }

  // `key` or `key_file` (the file's content without the trailing newline), never both.
  // A literal secret in a world-readable file adds a warning. A `${VAR:-}` that expands
  // to nothing counts as absent (optional secrets switched on from the environment).
  std::optional<Secret> secret(std::string_view key);

  // A list of strings; a single string is taken as a one-element list.
  std::optional<std::vector<std::string>> string_list(std::string_view key);
  // A mapping of string to scalar (librdkafka properties), in file order.
  std::vector<std::pair<std::string, std::string>> string_map(std::string_view key);
  // A nested mapping; nullopt when absent. Call finish() on it.
  std::optional<MapReader> map(std::string_view key);
  // A list of mappings; calls `visit` for each element (already finished afterwards).
  void for_each_map(std::string_view key, const std::function<void(MapReader&)>& visit);

  // Rejects every key that was never looked up.
  void finish() const;

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
  };
  const Entry* lookup(std::string_view key);
  YAML::Mark value_mark(const Entry& entry) const;
  // The interpolated scalar text of `entry`; errors for mappings and lists.
  Interpolated scalar(const Entry& entry, std::string_view expected) const;
  [[noreturn]] void fail_at(const Entry& entry, std::string_view message) const;

  const ConfigDocument& doc_;
  std::string path_;
  std::string pattern_;
  YAML::Mark mark_;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;
};

template <typename E>
std::optional<E> MapReader::choice(std::string_view key, std::span<const EnumName<E>> table) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "one of " + enum_choices(table)).value;
  for (const auto& candidate : table) {
    if (iequals(candidate.name, text)) return candidate.value;
  }
  fail_at(*entry, "expected " + enum_choices(table) + ", got \"" + text + "\"");
}

// "got \"text\"" with the text shortened so an error stays one readable line.
std::string quote_value(std::string_view text);
// quote_value() for a URL, with any user:password@ replaced by "(credentials)@".
std::string quote_url(std::string_view url);

}  // namespace secfeed
