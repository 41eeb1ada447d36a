// libFuzzer entry: Event Hubs connection strings. Any text yields a parsed connection
// string that satisfies the invariants below, or one of the fixed error messages: an
// error never echoes input text, so a key pasted in the wrong place cannot reach a log.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "connector/core/eventhub_connection_string.hpp"

namespace {

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Every error parse_eventhub_connection_string may return: constant text, or the
// segment number (digits only) in the one message that points at a segment.
bool is_known_error(std::string_view error) {
  static constexpr std::array<std::string_view, 6> kFixed = {
      "connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/",
      "connection string Endpoint must start with sb://",
      "connection string Endpoint must be sb://<fully qualified namespace name>/",
      "connection string has no SharedAccessKeyName",
      "connection string has no SharedAccessKey",
      "connection string EntityPath is empty",
  };
  for (std::string_view fixed : kFixed) {
    if (error == fixed) return true;
  }
  constexpr std::string_view kPrefix = "connection string segment ";
  constexpr std::string_view kSuffix = " is not Name=Value";
  if (error.size() <= kPrefix.size() + kSuffix.size()) return false;
  if (error.substr(0, kPrefix.size()) != kPrefix) return false;
  if (error.substr(error.size() - kSuffix.size()) != kSuffix) return false;
  return is_digits(error.substr(kPrefix.size(), error.size() - kPrefix.size() - kSuffix.size()));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto parsed = secfeed::parse_eventhub_connection_string(text, error);
  if (!parsed) {
    if (!is_known_error(error)) __builtin_trap();
    return 0;
  }
  if (!error.empty()) __builtin_trap();  // success leaves the error untouched
  // The broker address librdkafka gets: a bare host name plus the Kafka port.
  const std::string& fqdn = parsed->fqdn;
  if (fqdn.empty() || fqdn.size() > 253 || fqdn.front() == '.' || fqdn.front() == '-')
    __builtin_trap();
  for (char c : fqdn) {
    if (!is_host_char(c)) __builtin_trap();
  }
  if (parsed->bootstrap != fqdn + ":9093") __builtin_trap();
  if (text.find(fqdn) == std::string_view::npos) __builtin_trap();
  // Parsed parts are trimmed, non-empty slices of the input.
  if (parsed->key_name.empty() || text.find(parsed->key_name) == std::string_view::npos)
    __builtin_trap();
  for (const std::string* part : {&parsed->key_name, &parsed->entity_path}) {
    if (part->empty()) continue;
    if (is_space(part->front()) || is_space(part->back()) || part->find(';') != std::string::npos)
      __builtin_trap();
  }
  if (!parsed->entity_path.empty() && text.find(parsed->entity_path) == std::string_view::npos)
    __builtin_trap();
  return 0;
}
