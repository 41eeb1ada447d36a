// Which proxy (if any) a request goes through: explicit config or the environment
// (`https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`), minus `no_proxy` hosts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connector/net/url.hpp"

namespace secfeed::net {

struct ProxyOptions {
  std::string url;       // "http://[user:pass@]proxy:3128"; empty: use the environment
  std::string username;  // overrides the URL's userinfo
  std::string password;
  std::string no_proxy;  // comma/space separated; empty: use the environment's no_proxy
  bool use_environment = true;
};

struct ResolvedProxy {
  Url url;                    // scheme/host/port of the proxy (userinfo cleared)
  std::string authorization;  // "Basic ..." or empty; a secret, never log it
};

// True if `host` (lower case, no port) must bypass the proxy per `no_proxy`:
// "*" matches everything; "example.com" and ".example.com" match example.com and any
// subdomain; entries may carry ":port" (then the port must match too); IP literals match
// exactly. Case-insensitive.
bool matches_no_proxy(std::string_view no_proxy, std::string_view host, std::uint16_t port);

// The proxy for `target`, or nullopt for a direct connection. `getenv` is injectable for
// tests. An unparsable proxy URL yields nullopt and sets `error`.
using GetEnv = const char* (*)(const char*);
std::optional<ResolvedProxy> resolve_proxy(const ProxyOptions& options, const Url& target,
                                           std::string* error = nullptr,
                                           GetEnv getenv_fn = nullptr);

}  // namespace secfeed::net
