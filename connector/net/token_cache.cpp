// TokenCache: one cached token, refreshed at 80% of its lifetime, single flight.
#include <mutex>
#include <utility>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/net/deferred_completion.hpp"
#include "connector/net/token_provider.hpp"

namespace secfeed::net {
namespace asio = boost::asio;

namespace {
// A refresh that fails keeps serving the previous token while it still has this long.
constexpr std::chrono::seconds kStaleGrace{60};
}  // namespace

struct TokenCache::State {
  using Waiter = asio::any_completion_handler<void(TokenResult)>;

  asio::any_io_executor executor;
  Fetch fetch;
  Now now;

  std::mutex mutex;
  std::string token;
  Clock::time_point refresh_at{};
  Clock::time_point expires_at{};
  std::string last_error;
  bool refreshing = false;
  std::vector<Waiter> waiters;

  bool fresh_locked(Clock::time_point at) const { return !token.empty() && at < refresh_at; }
  bool usable_locked(Clock::time_point at) const {
    return !token.empty() && at + kStaleGrace < expires_at;
  }

  TokenResult token_locked(Clock::time_point at) const {
    TokenResult result;
    result.access_token = token;
    result.valid_for = std::chrono::duration_cast<std::chrono::seconds>(expires_at - at);
    return result;
  }
  static TokenResult error_result(std::string error) {
    TokenResult result;
    result.error = std::move(error);
    return result;
  }

  TokenResult current_locked() const {
    const auto at = now();
    if (usable_locked(at)) return token_locked(at);
    return error_result(last_error.empty() ? "no access token available" : last_error);
  }

  void deliver(Waiter waiter, TokenResult result) {
    complete_later(executor, std::move(waiter), std::move(result));
  }

  // Initiation of the wait for the refresh in progress (or its result, if it just ended).
  void wait(Waiter waiter) {
    std::unique_lock lock(mutex);
    if (refreshing) {
      waiters.push_back(std::move(waiter));
      return;
    }
    TokenResult result = current_locked();
    lock.unlock();
    deliver(std::move(waiter), std::move(result));
  }

  // Ends the refresh: stores the outcome and wakes every waiter with the same answer.
  TokenResult finish(TokenResponse response) {
    std::unique_lock lock(mutex);
    const auto at = now();
    TokenResult result;
    if (response.error.empty() && !response.access_token.empty()) {
      token = std::move(response.access_token);
      expires_at = at + response.expires_in;
      refresh_at = at + response.expires_in * 4 / 5;
      last_error.clear();
      result = token_locked(at);
    } else {
      last_error = response.error.empty() ? "token endpoint returned no access token"
                                          : std::move(response.error);
      result = usable_locked(at) ? token_locked(at) : error_result(last_error);
    }
    refreshing = false;
    auto woken = std::exchange(waiters, {});
    lock.unlock();
    for (auto& waiter : woken) deliver(std::move(waiter), result);
    return result;
  }
};

namespace {

// Wakes the waiters even if the leading coroutine is destroyed or throws mid-refresh,
// so that nobody waits forever for a refresh that will not finish.
class RefreshGuard {
 public:
  explicit RefreshGuard(TokenCache::State& state) : state_(state) {}
  ~RefreshGuard() {
    if (!done_) state_.finish({{}, {}, "token refresh was interrupted"});
  }
  RefreshGuard(const RefreshGuard&) = delete;
  RefreshGuard& operator=(const RefreshGuard&) = delete;
  TokenResult finish(TokenResponse response) {
    done_ = true;
    return state_.finish(std::move(response));
  }

 private:
  TokenCache::State& state_;
  bool done_ = false;
};

// Not a coroutine: async_initiate returns the awaitable. (GCC 12 mishandles lambdas with
// captures inside a co_await expression.)
asio::awaitable<TokenResult> wait_for_refresh(const std::shared_ptr<TokenCache::State>& state) {
  struct Initiation {
    std::shared_ptr<TokenCache::State> state;
    void operator()(TokenCache::State::Waiter waiter) { state->wait(std::move(waiter)); }
  };
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(TokenResult)>(
      Initiation{state}, asio::use_awaitable);
}

}  // namespace

TokenCache::TokenCache(asio::any_io_executor executor, Fetch fetch, Now now)
    : state_(std::make_shared<State>()) {
  state_->executor = std::move(executor);
  state_->fetch = std::move(fetch);
  state_->now = now ? std::move(now) : Now([] { return Clock::now(); });
}

TokenCache::~TokenCache() = default;

asio::awaitable<TokenResult> TokenCache::get() {
  const std::shared_ptr<State> state = state_;
  bool lead = false;
  {
    std::lock_guard lock(state->mutex);
    const auto at = state->now();
    if (state->fresh_locked(at)) co_return state->token_locked(at);
    if (!state->refreshing) lead = state->refreshing = true;
  }
  if (!lead) co_return co_await wait_for_refresh(state);
  RefreshGuard guard(*state);
  TokenResponse response = co_await state->fetch();
  co_return guard.finish(std::move(response));
}

void TokenCache::invalidate(std::string_view stale_token) {
  std::lock_guard lock(state_->mutex);
  if (!stale_token.empty() && state_->token == stale_token) {
    state_->token.clear();
    state_->refresh_at = state_->expires_at = Clock::time_point{};
  }
}

}  // namespace secfeed::net
