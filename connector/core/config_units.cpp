#include "connector/core/config_units.hpp"

#include <cstddef>
#include <limits>

#include "connector/core/text.hpp"

namespace secfeed {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads the leading run of digits; nullopt when there is none or it overflows.
std::optional<std::uint64_t> take_number(std::string_view& text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    const std::uint64_t digit = std::uint64_t(text[i] - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  text.remove_prefix(i);
  return value;
}

bool checked_multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) return false;
  out = a * b;
  return true;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // Milliseconds kept in int64: the total must stay below ~292 million years.
  constexpr std::uint64_t kMaxMs = std::uint64_t(std::numeric_limits<std::int64_t>::max());
  std::uint64_t total_ms = 0;
  while (!text.empty()) {
    const auto number = take_number(text);
    if (!number) return std::nullopt;
    std::size_t unit_length = 0;
    while (unit_length < text.size() && !is_digit(text[unit_length])) ++unit_length;
    const std::string_view unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    std::uint64_t unit_ms = 0;
    if (unit == "ms") {
      unit_ms = 1;
    } else if (unit == "s") {
      unit_ms = 1000;
    } else if (unit == "m") {
      unit_ms = 60'000;
    } else if (unit == "h") {
      unit_ms = 3'600'000;
    } else if (unit == "d") {
      unit_ms = 86'400'000;
    } else {
      return std::nullopt;  // includes a missing unit
    }
    std::uint64_t part = 0;
    if (!checked_multiply(*number, unit_ms, part) || part > kMaxMs - total_ms) return std::nullopt;
    total_ms += part;
  }
  return Duration(std::int64_t(total_ms));
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  const auto number = take_number(text);
  if (!number) return std::nullopt;
  struct Unit {
    std::string_view name;
    std::uint64_t factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},
      {"b", 1},
      {"kb", 1000},
      {"mb", 1000'000},
      {"gb", 1000'000'000},
      {"tb", 1000'000'000'000},
      {"kib", 1ull << 10},
      {"mib", 1ull << 20},
      {"gib", 1ull << 30},
      {"tib", 1ull << 40},
  };
  for (const Unit& unit : kUnits) {
    if (!iequals(text, unit.name)) continue;
    std::uint64_t bytes = 0;
    if (!checked_multiply(*number, unit.factor, bytes)) return std::nullopt;
    return bytes;
  }
  return std::nullopt;
}

}  // namespace secfeed
