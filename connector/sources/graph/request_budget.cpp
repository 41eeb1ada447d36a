#include "connector/sources/graph/request_budget.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace secfeed::graph {

namespace asio = boost::asio;

RequestBudget::RequestBudget(asio::any_io_executor executor, BudgetLimits limits,
                             RequestBudget* parent)
    : executor_(executor), limits_(limits), parent_(parent), window_timer_(executor) {}

RequestBudget::~RequestBudget() {
  *alive_ = false;
  window_timer_.cancel();
  for (const auto& waiter : waiters_) waiter->wake.cancel();  // they wake up empty-handed
}

RequestBudget::Permit& RequestBudget::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    budget_ = other.budget_;
    parent_ = other.parent_;
    other.budget_ = other.parent_ = nullptr;
  }
  return *this;
}

void RequestBudget::Permit::release() {
  // The parent first: its freed slot may go to another tenant's waiter right away.
  if (parent_ != nullptr) parent_->release_slot();
  if (budget_ != nullptr) budget_->release_slot();
  budget_ = parent_ = nullptr;
}

void RequestBudget::forget_old_starts(Clock::time_point now) {
  while (!starts_.empty() && starts_.front() + limits_.window <= now) starts_.pop_front();
}

std::size_t RequestBudget::starts_in_window() {
  forget_old_starts(Clock::now());
  return starts_.size();
}

bool RequestBudget::can_start_now(Clock::time_point now) {
  if (limits_.max_concurrent > 0 && in_flight_ >= limits_.max_concurrent) return false;
  if (limits_.max_starts == 0) return true;
  forget_old_starts(now);
  return starts_.size() < limits_.max_starts;
}

void RequestBudget::take_slot(Clock::time_point now) {
  ++in_flight_;
  // A start is counted from the moment this budget's slot is granted. With a parent
  // that only bounds concurrency (and at most max_concurrent requests of this budget
  // waiting there) the real start is at most a few requests later.
  if (limits_.max_starts > 0) starts_.push_back(now);
}

void RequestBudget::release_slot() {
  if (in_flight_ > 0) --in_flight_;
  pump();
}

void RequestBudget::pump() {
  const Clock::time_point now = Clock::now();
  while (!waiters_.empty() && can_start_now(now)) {
    std::shared_ptr<Waiter> front = std::move(waiters_.front());
    waiters_.pop_front();
    take_slot(now);
    front->granted = true;
    front->wake.cancel();
  }
  // Held back by the rate bound alone: wake up when the oldest start leaves the window.
  const bool rate_bound = !waiters_.empty() && !starts_.empty() &&
                          (limits_.max_concurrent == 0 || in_flight_ < limits_.max_concurrent);
  if (rate_bound && !window_timer_armed_) {
    window_timer_armed_ = true;
    window_timer_.expires_at(starts_.front() + limits_.window);
    window_timer_.async_wait([this, alive = alive_](boost::system::error_code) {
      if (!*alive) return;
      window_timer_armed_ = false;
      pump();
    });
  }
}

asio::awaitable<bool> RequestBudget::acquire_local() {
  if (waiters_.empty() && can_start_now(Clock::now())) {
    take_slot(Clock::now());
    co_return true;
  }
  auto waiter = std::make_shared<Waiter>(executor_);
  waiter->wake.expires_at(asio::steady_timer::time_point::max());
  waiters_.push_back(waiter);
  pump();  // arms the window timer if needed
  std::shared_ptr<bool> alive = alive_;
  while (!waiter->granted && *alive) {
    co_await waiter->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return waiter->granted&&* alive;
}

asio::awaitable<RequestBudget::Permit> RequestBudget::acquire() {
  std::shared_ptr<bool> alive = alive_;
  // (Not `if (!co_await ...)`: g++ 12 miscompiles co_await inside a condition.)
  const bool granted = co_await acquire_local();
  if (!granted) co_return Permit();
  if (parent_ == nullptr) co_return Permit(this, nullptr);
  // The parent outlives its children (the daemon owns both); `this` may not.
  RequestBudget* parent = parent_;
  const bool parent_granted = co_await parent->acquire_local();
  if (!*alive) {
    if (parent_granted) parent->release_slot();
    co_return Permit();
  }
  if (!parent_granted) {
    release_slot();
    co_return Permit();
  }
  co_return Permit(this, parent);
}

}  // namespace secfeed::graph
