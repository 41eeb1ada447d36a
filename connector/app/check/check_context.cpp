#include "connector/app/check/check_context.hpp"

#include "connector/app/check/failure_text.hpp"
#include "connector/net/credentials_from_config.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/url.hpp"

namespace secfeed::check {

boost::asio::awaitable<net::HttpResult> send_request(CheckContext& context, std::string method,
                                                     const std::string& url,
                                                     net::HttpHeaders headers, std::string body,
                                                     const TenantConfig* tenant) {
  net::HttpClient* http = context.http;
  if (tenant != nullptr && context.tokens != nullptr) {
    std::string client_error;
    http = context.tokens->client_for(*tenant, client_error);
    if (http == nullptr) {
      net::HttpResult failed;
      failed.error = net::HttpError::tls;
      failed.error_message = client_error;
      co_return failed;
    }
  }
  std::string url_error;
  std::optional<net::Url> parsed = net::parse_url(url, &url_error);
  if (!parsed) {
    net::HttpResult invalid;
    invalid.error = net::HttpError::protocol;
    invalid.error_message = "invalid URL " + url + ": " + url_error;
    co_return invalid;
  }
  net::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(*parsed);
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.timeout = context.timeout;
  co_return co_await http->request(std::move(request));
}

boost::asio::awaitable<TokenOutcome> fetch_token(CheckContext& context, const TenantConfig& tenant,
                                                 const std::string& scope) {
  TokenOutcome outcome;
  if (context.tokens == nullptr) {
    outcome.failure = kNoHttpsClient;
    co_return outcome;
  }
  std::string error;
  net::TokenProvider* provider = context.tokens->get(tenant, scope, error);
  if (provider == nullptr) {
    outcome.failure = "credential error: " + error;
    co_return outcome;
  }
  net::TokenResult result = co_await provider->token();
  if (!result.ok()) {
    outcome.failure = describe_token_failure(result.error);
    co_return outcome;
  }
  outcome.access_token = std::move(result.access_token);
  outcome.valid_for = result.valid_for;
  co_return outcome;
}

}  // namespace secfeed::check
