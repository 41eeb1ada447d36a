// Config -> net: the HTTP client's options and a tenant's client credentials, and a
// per-process registry of token providers (one per tenant x scope, so concurrent users
// of the same token share one single-flight cache).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/any_io_executor.hpp>

#include "connector/core/config.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/token_provider.hpp"

namespace secfeed::net {

HttpClientOptions http_client_options(const Config& config);
ClientCredentials client_credentials(const TenantConfig& tenant);

class TokenProviders {
 public:
  explicit TokenProviders(HttpClient& http) : http_(http) {}
  // The provider for (tenant, scope), created on first use; nullptr + error when the
  // tenant's credentials are unusable (e.g. an unreadable certificate).
  TokenProvider* get(const TenantConfig& tenant, const std::string& scope, std::string& error);
  // The client the providers use, shared with the components that call Azure APIs.
  HttpClient& http() const { return http_; }

 private:
  HttpClient& http_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<TokenProvider>> providers_;
};

// A blocking call for threads outside the io_context (librdkafka's OAUTHBEARER refresh
// callback): runs provider.token() on `executor` and waits up to `timeout`.
std::function<TokenResult()> blocking_token_function(boost::asio::any_io_executor executor,
                                                     TokenProvider& provider,
                                                     std::chrono::milliseconds timeout);

}  // namespace secfeed::net
