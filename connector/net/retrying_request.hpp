// Sending one request with the retry policy applied: waits per RetryPolicy, adds the
// bearer token and refreshes it once after a 401.
#pragma once

#include <functional>

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

// Called with every attempt's answer (per-status request metrics, throttling counts).
using AttemptObserver = std::function<void(const HttpResult&)>;

// `tokens` may be null (no Authorization header). The request is copied per attempt;
// with max_attempts == 0 transient failures are retried until the coroutine is cancelled.
boost::asio::awaitable<RetryingResult> send_with_retry(HttpClient& http, HttpRequest request,
                                                       const RetryPolicy& policy,
                                                       TokenProvider* tokens,
                                                       AttemptObserver on_attempt = {});

}  // namespace secfeed::net
