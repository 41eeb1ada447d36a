// Small ASCII/UTF-8 text helpers shared by normalizers, encoders and config.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secfeed {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

constexpr bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

constexpr bool iends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

// Largest n <= limit such that text[0, n) does not end inside a UTF-8 sequence.
std::size_t utf8_truncation_point(std::string_view text, std::size_t limit);

// Length of the valid UTF-8 sequence starting at text[i] (1..4), or 0 when the byte
// there does not start one (invalid, overlong, surrogate, > U+10FFFF, cut short).
// Encoders walk text with it to sanitize and escape in one pass.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// Validates UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Appends `text` to `out`, replacing each invalid UTF-8 byte with U+FFFD.
void append_utf8_sanitized(std::string& out, std::string_view text);

std::string_view trim(std::string_view text);

}  // namespace secfeed
