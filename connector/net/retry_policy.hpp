// When and how long to wait before retrying an HTTP request (Graph, Logs Ingestion,
// Entra). Pure logic: no clock reads except through the arguments, RNG injectable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "connector/net/http_types.hpp"

namespace secfeed::net {

// Retry-After is delta-seconds ("120") or an HTTP-date in any RFC 7231 §7.1.1.1 format
// (IMF-fixdate, obsolete RFC 850, asctime). Returns the wait relative to `now_epoch_s`
// (never negative); nullopt when unparsable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_epoch_s);
// Just the HTTP-date part: seconds since the epoch, or nullopt.
std::optional<std::int64_t> parse_http_date(std::string_view text);

enum class RetryAction {
  retry,                     // wait `delay`, then send again
  refresh_token_then_retry,  // invalidate the access token, get a new one, send again
  give_up,
};

struct RetryDecision {
  RetryAction action = RetryAction::give_up;
  std::chrono::milliseconds delay{0};
};

struct RetryOptions {
  int max_attempts = 0;  // retries after the first try; 0 = unlimited (transient only)
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_backoff{60'000};       // cap of the exponential backoff
  std::chrono::milliseconds max_retry_after{180'000};  // cap on honoured Retry-After
};

// Returns a uniformly distributed integer in [0, upper].
using JitterSource = std::function<std::uint64_t(std::uint64_t upper)>;

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, JitterSource jitter = {});

  // `attempt` counts retries already made (0 after the first failure).
  // `token_refreshed`: a 401 was already answered by refreshing the token once.
  RetryDecision decide(int attempt, const HttpResult& result, std::int64_t now_epoch_s,
                       bool token_refreshed = false) const;

  // Full jitter: uniform in [0, min(max_backoff, base_delay * 2^attempt)].
  std::chrono::milliseconds backoff(int attempt) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  JitterSource jitter_;
};

// The `{"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}`
// body Graph (and most Azure APIs) return with a 4xx/5xx.
struct GraphError {
  std::string code;
  std::string message;
  std::string request_id;
  std::string client_request_id;
  std::string date;
};
std::optional<GraphError> parse_graph_error(std::string_view body);

// One log line for a failed request, e.g.
//   `GET https://graph.microsoft.com/v1.0/security/alerts_v2 -> HTTP 403 Forbidden:
//    Authorization_RequestDenied: Insufficient privileges (request-id=..., client-request-id=...)`
// It names the method and URL (without userinfo) and the status or transport error, the
// Graph error code/message and request ids. Never headers, never the request body, and
// everything passes through redact().
std::string format_failure(const HttpRequest& request, const HttpResult& result);

}  // namespace secfeed::net
