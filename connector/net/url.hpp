// Absolute http(s) URLs as the HTTP client needs them: scheme, host, port, target.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed::net {

struct Url {
  std::string scheme;    // "https" or "http", lower case
  std::string userinfo;  // raw "user:password" (percent-encoded), only proxies use it
  std::string host;      // lower case; IPv6 literals without brackets
  std::uint16_t port = 0;
  std::string target;  // path + query, at least "/"

  bool is_https() const { return scheme == "https"; }
  // "host:port" with brackets around IPv6 literals (CONNECT request line, Host header).
  std::string authority() const;
  // Scheme, host, port and target; never the userinfo (it may hold a password).
  std::string to_string() const;
};

// Parses "scheme://[userinfo@]host[:port][/path][?query]"; the fragment is dropped.
// Returns nullopt and sets `error` (which never echoes the userinfo) when invalid.
std::optional<Url> parse_url(std::string_view text, std::string* error = nullptr);

// Decodes %XX escapes (userinfo of proxy URLs). Invalid escapes are kept literally.
std::string percent_decode(std::string_view text);

// application/x-www-form-urlencoded value encoding (RFC 3986 unreserved kept).
void append_form_encoded(std::string& out, std::string_view text);

}  // namespace secfeed::net
