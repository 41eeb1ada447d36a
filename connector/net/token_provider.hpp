// OAuth2 access tokens from Microsoft Entra ID (client credentials) with a single-flight
// cache. Tokens and secrets never appear in any message this code produces.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/net/cloud.hpp"

namespace secfeed::net {

class HttpClient;

struct TokenResult {
  std::string access_token;  // a secret: never log it
  std::string error;         // readable, redacted; empty on success
  // Remaining lifetime when returned (e.g. for Kafka OAUTHBEARER's md_lifetime).
  std::chrono::seconds valid_for{0};
  bool ok() const { return error.empty() && !access_token.empty(); }
};

class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  // A valid token, from the cache or freshly requested.
  virtual boost::asio::awaitable<TokenResult> token() = 0;
  // After a 401: drop `stale_token` so that the next token() fetches a new one. A token
  // that was already replaced is left alone (many requests may fail with the same one).
  virtual void invalidate(std::string_view stale_token) = 0;
};

// What one token request returned.
struct TokenResponse {
  std::string access_token;
  std::chrono::seconds expires_in{0};
  std::string error;  // readable, redacted
};

// Caches ONE token (one tenant, client and scope). A token is served until 80% of its
// lifetime has passed; then the next caller refreshes it. Single flight: while a refresh
// runs, other callers wait for its result instead of starting their own. If a refresh
// fails while the old token still has >= 60 s left, the old token is served.
class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Fetch = std::function<boost::asio::awaitable<TokenResponse>()>;
  using Now = std::function<Clock::time_point()>;

  TokenCache(boost::asio::any_io_executor executor, Fetch fetch, Now now = {});
  ~TokenCache();
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  boost::asio::awaitable<TokenResult> get();
  void invalidate(std::string_view stale_token);

  struct State;  // implementation detail (token_cache.cpp)

 private:
  std::shared_ptr<State> state_;
};

enum class JwtAlgorithm { ps256, rs256 };

struct CertificateCredential {
  std::string cert_file;    // PEM certificate (may also hold the key)
  std::string key_file;     // PEM private key; empty: read from cert_file
  std::string pkcs12_file;  // alternative to cert_file/key_file (.pfx/.p12)
  std::string password;     // for an encrypted PEM key or the PKCS#12 file
  JwtAlgorithm algorithm = JwtAlgorithm::ps256;
};

struct ClientCredentials {
  Cloud cloud = Cloud::global;
  // "https://host[:port]" replacing the cloud's login host (tests, private endpoints).
  std::string authority_override;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;          // either this ...
  CertificateCredential certificate;  // ... or a certificate (cert_file or pkcs12_file)
};

// The token endpoint: https://{login-host}/{tenant}/oauth2/v2.0/token.
std::string token_endpoint(const ClientCredentials& credentials);

// A provider for one (tenant, client, scope). Loads the certificate now; returns nullptr
// and sets `error` when the credentials are incomplete or the certificate is unusable.
std::unique_ptr<TokenProvider> make_client_credentials_provider(HttpClient& http,
                                                                ClientCredentials credentials,
                                                                std::string scope,
                                                                std::string& error);

// Pure pieces of the exchange, exposed for tests.
// The form body; `client_assertion` is used when non-empty, else the client secret.
std::string build_token_request_form(const ClientCredentials& credentials, std::string_view scope,
                                     std::string_view client_assertion);
// Turns the token endpoint's answer into a token or a readable error (Entra `error`,
// first line of `error_description`, `error_codes`, `trace_id`, `correlation_id`, and a
// hint for well-known AADSTS codes).
TokenResponse parse_token_response(int status, std::string_view body,
                                   const ClientCredentials& credentials);

}  // namespace secfeed::net
