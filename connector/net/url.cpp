#include "connector/net/url.hpp"

#include <charconv>

#include "connector/core/text.hpp"

namespace secfeed::net {
namespace {

bool set_error(std::string* error, std::string_view message) {
  if (error) error->assign(message);
  return false;
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string Url::authority() const {
  std::string out;
  const bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) out += '[';
  out += host;
  if (ipv6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

std::string Url::to_string() const {
  return scheme + "://" + authority() + target;
}

std::optional<Url> parse_url(std::string_view text, std::string* error) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    set_error(error, "URL has no scheme (expected https://...)");
    return std::nullopt;
  }
  for (char c : text.substr(0, scheme_end)) url.scheme += ascii_lower(c);
  if (url.scheme != "https" && url.scheme != "http") {
    set_error(error, "unsupported URL scheme '" + url.scheme + "' (expected https or http)");
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target.insert(0, "/");

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      set_error(error, "URL has an unterminated IPv6 address");
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        set_error(error, "URL has garbage after the IPv6 address");
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
    for (char c : host) {
      if (hex_value(c) < 0 && c != ':' && c != '.') {
        set_error(error, "URL has an invalid IPv6 address");
        return std::nullopt;
      }
    }
  } else {
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port_text = authority.substr(colon + 1);
    }
    for (char c : host) {
      if (!valid_host_char(ascii_lower(c))) {
        set_error(error, "URL host contains an invalid character");
        return std::nullopt;
      }
    }
  }
  if (host.empty()) {
    set_error(error, "URL has an empty host");
    return std::nullopt;
  }
  for (char c : host) url.host += ascii_lower(c);
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      set_error(error, "URL has an invalid port");
      return std::nullopt;
    }
    url.port = static_cast<std::uint16_t>(value);
  } else {
    url.port = url.is_https() ? 443 : 80;
  }
  for (char c : url.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      set_error(error, "URL path contains a space or control character");
      return std::nullopt;
    }
  }
  return url;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

void append_form_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
}

}  // namespace secfeed::net
