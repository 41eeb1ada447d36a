// Syntax checks for values that several config sections share.
#include <charconv>

#include "connector/core/config_loader_internal.hpp"
#include "connector/core/text.hpp"

namespace secfeed::config_detail {
namespace {

bool parse_port(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

// "host", "host:port", "[v6]", "[v6]:port" -> host and port (0 when absent).
bool split_authority(std::string_view authority, std::string& host, int& port) {
  port = 0;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    host = std::string(authority.substr(1, close - 1));
    for (char c : host) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == ':' || c == '.';
      if (!ok) return false;
    }
    const std::string_view rest = authority.substr(close + 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    port_text = rest.substr(1);
    return parse_port(port_text, port);
  }
  const std::size_t colon = authority.rfind(':');
  const std::string_view host_text = authority.substr(0, colon);
  if (host_text.empty()) return false;
  for (char c : host_text) {
    if (!is_host_char(c)) return false;
  }
  host = std::string(host_text);
  if (colon == std::string_view::npos) return true;
  return parse_port(authority.substr(colon + 1), port);
}

}  // namespace

std::optional<UrlParts> parse_url(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlParts parts;
  for (char c : text.substr(0, scheme_end)) parts.scheme += ascii_lower(c);
  std::string_view rest = text.substr(scheme_end + 3);
  const std::size_t path_start = rest.find('/');
  const std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) parts.path = std::string(rest.substr(path_start));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user:pass@
  if (!split_authority(authority, parts.host, parts.port)) return std::nullopt;
  return parts;
}

bool is_loopback_host(std::string_view host) {
  return iequals(host, "localhost") || host == "::1" || host.starts_with("127.");
}

bool is_host_port(std::string_view text) {
  std::string host;
  int port = 0;
  return split_authority(text, host, port) && port != 0;
}

std::optional<std::string> read_https_url(MapReader& reader, std::string_view key) {
  auto url = reader.string(key);
  if (!url) return std::nullopt;
  const auto parts = parse_url(*url);
  const bool ok = parts && (parts->scheme == "https" ||
                            (parts->scheme == "http" && is_loopback_host(parts->host)));
  if (!ok) {
    reader.fail(
        key, "expected an https:// URL (http:// only for a loopback host), got " + quote_url(*url));
  }
  while (url->size() > parts->scheme.size() + 3 && url->back() == '/') url->pop_back();
  return url;
}

bool is_valid_component_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!is_host_char(c)) return false;
  }
  return true;
}

}  // namespace secfeed::config_detail
