#include "connector/core/config_interpolate.hpp"

#include <cstdlib>

namespace secfeed {
namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<Interpolated> interpolate_env(std::string_view text, const EnvLookup& lookup,
                                            std::string& error) {
  Interpolated result;
  result.value.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$') {
      result.value += c;
      ++i;
      continue;
    }
    if (text.substr(i, 3) == "$${") {  // escape: a literal "${"
      result.value += "${";
      i += 3;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      result.value += c;
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      error = "unterminated ${ (write $${ for a literal ${)";
      return std::nullopt;
    }
    const std::string_view body = text.substr(i + 2, close - i - 2);
    const std::size_t default_at = body.find(":-");
    const std::string_view name = body.substr(0, default_at);
    if (!is_valid_name(name)) {
      error = "invalid ${...} reference: a variable name is letters, digits and _";
      return std::nullopt;
    }
    std::optional<std::string> value = lookup ? lookup(std::string(name)) : std::nullopt;
    if (default_at != std::string_view::npos) {
      if (!value || value->empty()) value = std::string(body.substr(default_at + 2));
    } else if (!value) {
      error = "environment variable " + std::string(name) + " is not set";
      return std::nullopt;
    }
    result.value += *value;
    result.substituted = true;
    i = close + 1;
  }
  return result;
}

}  // namespace secfeed
