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
  // `http`: the shared client (tls.ca_file), made from `options`. A tenant with a CA
  // bundle of its own gets a client of its own: `options` with that ca_file.
  TokenProviders(HttpClient& http, HttpClientOptions options)
      : http_(http), options_(std::move(options)) {}
  // The provider for (tenant, scope), created on first use; nullptr + error when the
  // tenant's credentials are unusable (e.g. an unreadable certificate).
  TokenProvider* get(const TenantConfig& tenant, const std::string& scope, std::string& error);
  // The client for every request made for `tenant` (Entra ID tokens, Graph): the shared
  // one, or one per distinct `ca_file` (with its own connection pool), created on first
  // use; nullptr + error when that CA file cannot be loaded.
  HttpClient* client_for(const TenantConfig& tenant, std::string& error);
  // The shared client, for the components that call Azure APIs outside a tenant's Graph.
  HttpClient& http() const { return http_; }

 private:
  HttpClient& http_;
  HttpClientOptions options_;
  std::map<std::string, std::unique_ptr<HttpClient>> by_ca_file_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<TokenProvider>> providers_;
};

// A blocking call for threads outside the io_context (librdkafka's OAUTHBEARER refresh
// callback): runs provider.token() on `executor` and waits up to `timeout`.
std::function<TokenResult()> blocking_token_function(boost::asio::any_io_executor executor,
                                                     TokenProvider& provider,
                                                     std::chrono::milliseconds timeout);

}  // namespace secfeed::net
