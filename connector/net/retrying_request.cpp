#include "connector/net/retrying_request.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/net/http_client.hpp"
#include "connector/net/token_provider.hpp"

namespace secfeed::net {
namespace asio = boost::asio;

asio::awaitable<RetryingResult> send_with_retry(HttpClient& http, HttpRequest request,
                                                const RetryPolicy& policy, TokenProvider* tokens,
                                                AttemptHooks hooks) {
  RetryingResult out;
  bool token_refreshed = false;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int retry = 0;; ++retry) {
    std::string token;
    HttpRequest attempt = request;
    if (tokens != nullptr) {
      TokenResult fetched = co_await tokens->token();
      if (!fetched.ok()) {
        out.result = HttpResult{};
        out.result.error = HttpError::auth;
        out.result.error_message = fetched.error;
        co_return out;
      }
      token = std::move(fetched.access_token);
      attempt.headers.set("Authorization", "Bearer " + token);
    }
    std::shared_ptr<void> slot;
    if (hooks.before) slot = co_await hooks.before();
    ++out.attempts;
    out.result = co_await http.request(std::move(attempt));
    slot.reset();
    if (hooks.after) hooks.after(out.result);
    if (out.result.success()) co_return out;
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const RetryDecision decision = policy.decide(retry, out.result, now_s, token_refreshed);
    switch (decision.action) {
      case RetryAction::give_up:
        co_return out;
      case RetryAction::refresh_token_then_retry:
        if (tokens == nullptr) co_return out;
        tokens->invalidate(token);
        token_refreshed = true;
        --retry;  // a token refresh is not a transient-failure retry
        break;
      case RetryAction::retry:
        break;
    }
    if (decision.delay.count() > 0) {
      timer.expires_after(decision.delay);
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return out;  // cancelled: report the last answer
    }
  }
}

}  // namespace secfeed::net
