// Sending one request with the retry policy applied: waits per RetryPolicy, adds the
// bearer token and refreshes it once after a 401.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "connector/net/http_types.hpp"
#include "connector/net/retry_policy.hpp"

namespace secfeed::net {

class HttpClient;
class TokenProvider;

struct RetryingResult {
  HttpResult result;  // the last answer (success, or the one the policy gave up on)
  int attempts = 0;   // requests sent
};

// Optional per-attempt hooks (the Graph pollers' request budget and metrics).
struct AttemptHooks {
  // Awaited right before each attempt is sent; what it returns is held for that
  // attempt only (e.g. a request-budget permit), so waiting for a retry (Retry-After
  // up to minutes) never occupies a slot other requests could use.
  std::function<boost::asio::awaitable<std::shared_ptr<void>>()> before;
  // Called with every attempt's answer (per-status request counts, throttling).
  std::function<void(const HttpResult&)> after;
};

// `tokens` may be null (no Authorization header). The request is copied per attempt;
// with max_attempts == 0 transient failures are retried until the coroutine is cancelled.
boost::asio::awaitable<RetryingResult> send_with_retry(HttpClient& http, HttpRequest request,
                                                       const RetryPolicy& policy,
                                                       TokenProvider* tokens,
                                                       AttemptHooks hooks = {});

}  // namespace secfeed::net
