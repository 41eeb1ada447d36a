#include "connector/net/proxy.hpp"

#include <cstdlib>

#include "connector/core/text.hpp"
#include "connector/net/base64.hpp"

namespace secfeed::net {
namespace {

const char* first_env(GetEnv getenv_fn, const char* lower, const char* upper) {
  const char* value = getenv_fn(lower);
  if (value == nullptr || *value == '\0') value = getenv_fn(upper);
  return (value != nullptr && *value != '\0') ? value : nullptr;
}

bool entry_matches(std::string_view entry, std::string_view host, std::uint16_t port) {
  if (entry == "*") return true;
  // Optional ":port" (but not inside a bare IPv6 literal, which has several colons).
  if (const auto colon = entry.rfind(':');
      colon != std::string_view::npos && entry.find(':') == colon) {
    if (entry.substr(colon + 1) != std::to_string(port)) return false;
    entry = entry.substr(0, colon);
  }
  if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') {
    entry = entry.substr(1, entry.size() - 2);
  }
  if (entry.starts_with("*.")) entry.remove_prefix(1);
  if (entry.starts_with('.')) entry.remove_prefix(1);
  if (entry.empty()) return false;
  if (iequals(entry, host)) return true;
  // Suffix rule: "example.com" covers "a.example.com" but not "badexample.com".
  return host.size() > entry.size() && iends_with(host, entry) &&
         host[host.size() - entry.size() - 1] == '.';
}

}  // namespace

bool matches_no_proxy(std::string_view no_proxy, std::string_view host, std::uint16_t port) {
  std::size_t pos = 0;
  while (pos < no_proxy.size()) {
    const auto end = no_proxy.find_first_of(", \t", pos);
    const auto entry = trim(
        no_proxy.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (!entry.empty() && entry_matches(entry, host, port)) return true;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return false;
}

std::optional<ResolvedProxy> resolve_proxy(const ProxyOptions& options, const Url& target,
                                           std::string* error, GetEnv getenv_fn) {
  if (getenv_fn == nullptr)
    getenv_fn = [](const char* name) -> const char* { return std::getenv(name); };
  std::string proxy_text = options.url;
  std::string no_proxy = options.no_proxy;
  if (options.use_environment) {
    if (proxy_text.empty()) {
      const char* env = target.is_https() ? first_env(getenv_fn, "https_proxy", "HTTPS_PROXY")
                                          : first_env(getenv_fn, "http_proxy", "HTTP_PROXY");
      if (env != nullptr) proxy_text = env;
    }
    if (no_proxy.empty()) {
      if (const char* env = first_env(getenv_fn, "no_proxy", "NO_PROXY")) no_proxy = env;
    }
  }
  if (proxy_text.empty() || matches_no_proxy(no_proxy, target.host, target.port)) {
    return std::nullopt;
  }
  // Proxy URLs are often written without a scheme ("proxy:3128").
  if (proxy_text.find("://") == std::string::npos) proxy_text.insert(0, "http://");
  std::string parse_error;
  auto url = parse_url(proxy_text, &parse_error);
  if (!url) {
    if (error) *error = "invalid proxy URL: " + parse_error;
    return std::nullopt;
  }
  if (url->is_https()) {
    if (error) *error = "invalid proxy URL: only http:// proxies are supported";
    return std::nullopt;
  }
  ResolvedProxy proxy;
  std::string username = options.username;
  std::string password = options.password;
  if (username.empty() && !url->userinfo.empty()) {
    const auto colon = url->userinfo.find(':');
    username = percent_decode(url->userinfo.substr(0, colon));
    if (colon != std::string::npos) password = percent_decode(url->userinfo.substr(colon + 1));
  }
  url->userinfo.clear();
  url->target = "/";
  proxy.url = std::move(*url);
  if (!username.empty()) proxy.authorization = "Basic " + base64_encode(username + ":" + password);
  return proxy;
}

}  // namespace secfeed::net
