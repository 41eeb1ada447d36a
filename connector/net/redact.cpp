#include "connector/net/redact.hpp"

#include <array>

#include "connector/core/text.hpp"

namespace secfeed::net {
namespace {

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '%';
}

void replace_all(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (auto pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + kRedacted.size())) {
    text.replace(pos, secret.size(), kRedacted);
  }
}

// Replaces the run of token characters that starts at `from` (after skipping `skip_chars`).
std::size_t redact_run(std::string& text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && is_token_char(text[end])) ++end;
  if (end == from) return from;
  text.replace(from, end - from, kRedacted);
  return from + kRedacted.size();
}

void redact_after_markers(std::string& text) {
  static constexpr std::array<std::string_view, 9> kMarkers = {"bearer ",
                                                               "basic ",
                                                               "sharedkey ",
                                                               "client_secret=",
                                                               "client_assertion=",
                                                               "access_token=",
                                                               "password=",
                                                               "\"access_token\":\"",
                                                               "\"client_secret\":\""};
  for (std::string_view marker : kMarkers) {
    std::size_t pos = 0;
    while (pos + marker.size() <= text.size()) {
      if (!iequals(std::string_view(text).substr(pos, marker.size()), marker)) {
        ++pos;
        continue;
      }
      pos = redact_run(text, pos + marker.size());
    }
  }
}

void redact_jwts(std::string& text) {
  for (auto pos = text.find("eyJ"); pos != std::string::npos; pos = text.find("eyJ", pos + 1)) {
    if (pos > 0 && is_token_char(text[pos - 1]) && text[pos - 1] != '.') continue;
    std::size_t end = pos;
    int dots = 0;
    while (end < text.size() && is_token_char(text[end])) dots += text[end++] == '.';
    if (dots >= 1 && end - pos >= 16) {
      text.replace(pos, end - pos, kRedacted);
    }
  }
}

}  // namespace

std::string redact(std::string_view text, std::initializer_list<std::string_view> secrets) {
  std::string out(text);
  for (std::string_view secret : secrets) replace_all(out, secret);
  redact_after_markers(out);
  redact_jwts(out);
  return out;
}

}  // namespace secfeed::net
