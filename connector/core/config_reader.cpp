#include "connector/core/config_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace secfeed {
namespace {

std::string_view node_kind(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "a scalar";
}

}  // namespace

bool read_small_file(const std::string& path, std::size_t limit, std::string& out,
                     std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  // Bounded: a path such as /dev/zero must fail, not exhaust memory. Read in chunks
  // rather than into a buffer of `limit` bytes (16 MiB of zeroed pages per file).
  out.clear();
  char chunk[64 * 1024];
  while (out.size() <= limit) {
    in.read(chunk, std::streamsize(sizeof chunk));
    if (in.bad()) {
      error = errno == EISDIR ? "is a directory" : "read error";
      return false;
    }
    out.append(chunk, std::size_t(in.gcount()));
    if (in.eof()) break;
  }
  if (out.size() > limit) {
    error = "larger than " + std::to_string(limit) + " bytes";
    return false;
  }
  return true;
}

std::string quote_value(std::string_view text) {
  constexpr std::size_t kMax = 80;
  const std::string_view shown = text.substr(0, utf8_truncation_point(text, kMax));
  std::string out = "\"";
  for (const char c : shown) {
    // Control characters would garble (or drive) the terminal showing the error.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += kHex[static_cast<unsigned char>(c) & 0xf];
    } else {
      out += c;
    }
  }
  if (text.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::string quote_url(std::string_view url) {
  // scheme://user:password@host: the password must not reach an error message.
  const std::size_t scheme_end = url.find("://");
  const std::size_t at = url.find('@');
  if (scheme_end != std::string_view::npos && at != std::string_view::npos && at > scheme_end) {
    return quote_value(std::string(url.substr(0, scheme_end + 3)) + "(credentials)" +
                       std::string(url.substr(at)));
  }
  return quote_value(url);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swapped pair of letters ("tsl" for "tls") counts as one
  // edit, the commonest typo.
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * width);
  const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * width + j]; };
  for (std::size_t i = 0; i <= a.size(); ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= b.size(); ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.size(), b.size());
}

std::string ConfigDocument::position(const YAML::Mark& mark) const {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void ConfigDocument::fail(const YAML::Mark& mark, std::string_view path,
                          std::string_view message) const {
  std::string text = position(mark);
  text += ": ";
  if (!path.empty()) {
    text.append(path);
    text += ": ";
  }
  text.append(message);
  throw ConfigError(text);
}

MapReader::MapReader(const ConfigDocument& doc, const YAML::Node& node, std::string path,
                     std::string pattern, const YAML::Mark& fallback_mark)
    : doc_(doc), path_(std::move(path)), pattern_(std::move(pattern)), mark_(fallback_mark) {
  if (node.IsDefined() && !node.Mark().is_null()) mark_ = node.Mark();
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap())
    doc_.fail(mark_, path_, "expected a mapping, got " + std::string(node_kind(node)));
  // Hashed, so a mapping with very many keys stays linear.
  std::unordered_map<std::string, int> first_lines;
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies: the iterator hands out a temporary pair (references would dangle).
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar()) doc_.fail(key.Mark(), path_, "a key must be a plain string");
    const std::string& name = key.Scalar();
    const auto [first, inserted] = first_lines.emplace(name, key.Mark().line + 1);
    if (!inserted) {
      doc_.fail(key.Mark(), key_path(name),
                "duplicate key (first at line " + std::to_string(first->second) + ")");
    }
    entries_.push_back({name, key.Mark(), value});
  }
}

std::string MapReader::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

const MapReader::Entry* MapReader::lookup(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
    known_.emplace_back(key);
    if (doc_.options != nullptr && doc_.options->key_catalog != nullptr) {
      doc_.options->key_catalog->insert(pattern_.empty() ? std::string(key)
                                                         : pattern_ + "." + std::string(key));
    }
  }
  for (const Entry& entry : entries_) {
    if (entry.key == key) return entry.value.IsNull() ? nullptr : &entry;
  }
  return nullptr;
}

bool MapReader::has(std::string_view key) {
  return lookup(key) != nullptr;
}

YAML::Mark MapReader::value_mark(const Entry& entry) const {
  const YAML::Mark mark = entry.value.Mark();
  return mark.is_null() ? entry.key_mark : mark;
}

void MapReader::fail_at(const Entry& entry, std::string_view message) const {
  doc_.fail(value_mark(entry), key_path(entry.key), message);
}

void MapReader::fail(std::string_view key, std::string_view message) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) fail_at(entry, message);
  }
  doc_.fail(mark_, key_path(key), message);
}

void MapReader::warn(std::string_view key, std::string_view message) const {
  if (doc_.warnings == nullptr) return;
  YAML::Mark mark = mark_;
  for (const Entry& entry : entries_) {
    if (entry.key == key) mark = value_mark(entry);
  }
  doc_.warnings->push_back(doc_.position(mark) + ": " + key_path(key) + ": " +
                           std::string(message));
}

void MapReader::fail_here(std::string_view message) const {
  doc_.fail(mark_, path_, message);
}

Interpolated MapReader::scalar(const Entry& entry, std::string_view expected) const {
  if (!entry.value.IsScalar()) {
    fail_at(entry,
            "expected " + std::string(expected) + ", got " + std::string(node_kind(entry.value)));
  }
  std::string error;
  const EnvLookup& env = doc_.options->env;
  auto result = interpolate_env(entry.value.Scalar(), env, error);
  if (!result) fail_at(entry, error);
  return std::move(*result);
}

std::optional<std::string> MapReader::string(std::string_view key) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  return scalar(*entry, "a string").value;
}

std::string MapReader::string_or(std::string_view key, std::string fallback) {
  auto value = string(key);
  return value ? std::move(*value) : std::move(fallback);
}

std::string MapReader::required_string(std::string_view key) {
  auto value = string(key);
  if (!value) fail(key, "required key is missing");
  if (value->empty()) fail(key, "must not be empty");
  return std::move(*value);
}

std::optional<bool> MapReader::boolean(std::string_view key) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "true or false").value;
  if (iequals(text, "true") || iequals(text, "yes") || iequals(text, "on")) return true;
  if (iequals(text, "false") || iequals(text, "no") || iequals(text, "off")) return false;
  fail_at(*entry, "expected true or false, got " + quote_value(text));
}

bool MapReader::boolean_or(std::string_view key, bool fallback) {
  return boolean(key).value_or(fallback);
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "an integer").value;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail_at(*entry, "expected an integer " + range + ", got " + quote_value(text));
  }
  if (value < min || value > max) {
    fail_at(*entry, "expected an integer " + range + ", got " + text);
  }
  return value;
}

std::optional<double> MapReader::number(std::string_view key, double min, double max) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "a number").value;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    fail_at(*entry, "expected a number, got " + quote_value(text));
  }
  if (value < min || value > max) {
    std::ostringstream range;
    range << "expected a number from " << min << " to " << max << ", got " << text;
    fail_at(*entry, range.str());
  }
  return value;
}

std::optional<Duration> MapReader::duration(std::string_view key) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "a duration").value;
  const auto value = parse_duration(text);
  if (!value) {
    fail_at(*entry,
            "expected a duration such as 250ms, 30s, 5m, 1h or 7d, got " + quote_value(text));
  }
  return value;
}

Duration MapReader::duration_or(std::string_view key, Duration fallback, Duration min) {
  const auto value = duration(key);
  if (!value) return fallback;
  if (*value < min) {
    fail(key, "must be at least " + std::to_string(min.count()) + "ms");
  }
  return *value;
}

std::optional<std::uint64_t> MapReader::size(std::string_view key, std::uint64_t min,
                                             std::uint64_t max) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string text = scalar(*entry, "a size").value;
  const auto value = parse_size(text);
  if (!value) {
    fail_at(*entry,
            "expected a size such as 65536, 512KiB, 1MB or 10GiB, got " + quote_value(text));
  }
  if (*value < min || *value > max) {
    fail_at(*entry, "expected a size from " + std::to_string(min) + " to " + std::to_string(max) +
                        " bytes, got " + text);
  }
  return value;
}

std::optional<Secret> MapReader::secret(std::string_view key) {
  const std::string file_key = std::string(key) + "_file";
  const Entry* inline_entry = lookup(key);
  const Entry* file_entry = lookup(file_key);
  if (inline_entry != nullptr && file_entry != nullptr) {
    fail_at(*file_entry, "give either " + std::string(key) + " or " + file_key + ", not both");
  }
  if (inline_entry != nullptr) {
    // Only the node kind is ever reported: the text is the secret.
    Interpolated value = scalar(*inline_entry, "a string");
    if (value.value.empty()) {
      // `${VAR:-}` that expanded to nothing means "not given": optional secrets such
      // as key passwords can then be switched on from the environment.
      if (value.substituted) return std::nullopt;
      fail_at(*inline_entry, "must not be empty");
    }
    if (!value.substituted && doc_.world_readable) {
      warn(key, "a literal secret in a file every user can read; use " + file_key +
                    ", ${ENV_VAR} or chmod o-r");
    }
    return Secret(std::move(value.value));
  }
  if (file_entry == nullptr) return std::nullopt;
  const std::string path = scalar(*file_entry, "a file path").value;
  std::string content, error;
  constexpr std::size_t kMaxSecretFile = 64 * 1024;
  if (!read_small_file(path, kMaxSecretFile, content, error)) {
    fail_at(*file_entry, "cannot read " + quote_value(path) + ": " + error);
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.pop_back();
  }
  if (content.empty()) fail_at(*file_entry, "the file " + quote_value(path) + " is empty");
  return Secret(std::move(content));
}

std::optional<std::vector<std::string>> MapReader::string_list(std::string_view key) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  std::vector<std::string> values;
  if (entry->value.IsScalar()) {
    values.push_back(scalar(*entry, "a list of strings").value);
    return values;
  }
  if (!entry->value.IsSequence()) {
    fail_at(*entry, "expected a list of strings, got " + std::string(node_kind(entry->value)));
  }
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const Entry element{std::string(entry->key) + "[" + std::to_string(index++) + "]", item.Mark(),
                        item};
    values.push_back(scalar(element, "a string").value);
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> MapReader::string_map(std::string_view key) {
  std::vector<std::pair<std::string, std::string>> values;
  const Entry* entry = lookup(key);
  if (entry == nullptr) return values;
  if (!entry->value.IsMap()) {
    fail_at(*entry,
            "expected a mapping of names to values, got " + std::string(node_kind(entry->value)));
  }
  // Walked by a reader of its own so duplicate keys are caught the same way; every key
  // is accepted (they are passed through).
  MapReader inner(doc_, entry->value, key_path(key), "", value_mark(*entry));
  for (const Entry& item : inner.entries_) {
    if (item.value.IsNull()) inner.fail_at(item, "expected a value");
    values.emplace_back(item.key, inner.scalar(item, "a scalar value").value);
  }
  return values;
}

std::optional<MapReader> MapReader::map(std::string_view key) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return std::nullopt;
  const std::string sub_pattern =
      pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key);
  return MapReader(doc_, entry->value, key_path(key), sub_pattern, value_mark(*entry));
}

void MapReader::for_each_map(std::string_view key, const std::function<void(MapReader&)>& visit) {
  const Entry* entry = lookup(key);
  if (entry == nullptr) return;
  if (!entry->value.IsSequence()) {
    fail_at(*entry, "expected a list, got " + std::string(node_kind(entry->value)));
  }
  const std::string sub_pattern =
      (pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key)) + "[]";
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string item_path = key_path(key) + "[" + std::to_string(index++) + "]";
    const YAML::Mark mark = item.Mark().is_null() ? value_mark(*entry) : item.Mark();
    if (!item.IsMap()) {
      doc_.fail(mark, item_path, "expected a mapping, got " + std::string(node_kind(item)));
    }
    MapReader reader(doc_, item, item_path, sub_pattern, mark);
    visit(reader);
    reader.finish();
  }
}

void MapReader::finish() const {
  for (const Entry& entry : entries_) {
    if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    std::string message = "unknown key";
    const std::string* best = nullptr;
    std::size_t best_distance = 3;
    for (const std::string& candidate : known_) {
      const std::size_t distance = edit_distance(entry.key, candidate);
      if (distance < best_distance) {
        best_distance = distance;
        best = &candidate;
      }
    }
    if (best != nullptr) message += " (did you mean \"" + *best + "\"?)";
    doc_.fail(entry.key_mark, key_path(entry.key), message);
  }
}

}  // namespace secfeed
