// Client-side request budget for one Graph API class of one tenant: at most
// `max_concurrent` requests at once and at most `max_starts` request starts in any
// sliding `window` (Graph: alerts 150 per minute per app per tenant; Secure Score 4
// concurrent and 10,000 per 10 minutes). Staying under the documented limits is cheaper
// than being throttled: Graph keeps counting while it answers 429.
//
// A budget may have a parent (the process-wide bound shared by every tenant); a permit
// holds a slot in both. The tenant slot is taken first, so a tenant that is out of its
// own budget never occupies a process-wide slot while it waits.
//
// Waiters are served strictly FIFO: a request never overtakes an earlier one of the
// same budget, and in the shared parent every tenant's request waits its turn, so no
// tenant starves. Single-threaded: use every budget of a tree from one executor (the
// daemon's io_context thread); permits may be released anywhere on that thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace secfeed::graph {

struct BudgetLimits {
  std::size_t max_concurrent = 0;  // 0: no concurrency bound
  std::size_t max_starts = 0;      // 0: no rate bound
  std::chrono::milliseconds window{60'000};
};

class RequestBudget {
 public:
  using Clock = std::chrono::steady_clock;

  RequestBudget(boost::asio::any_io_executor executor, BudgetLimits limits,
                RequestBudget* parent = nullptr);
  ~RequestBudget();
  RequestBudget(const RequestBudget&) = delete;
  RequestBudget& operator=(const RequestBudget&) = delete;

  // Releases its slots (in this budget and the parent) when destroyed.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept { *this = std::move(other); }
    Permit& operator=(Permit&& other) noexcept;
    ~Permit() { release(); }
    bool held() const { return budget_ != nullptr; }
    void release();

   private:
    friend class RequestBudget;
    Permit(RequestBudget* budget, RequestBudget* parent) : budget_(budget), parent_(parent) {}
    RequestBudget* budget_ = nullptr;
    RequestBudget* parent_ = nullptr;
  };

  // Waits (FIFO) for a slot here and then in the parent. The permit is empty only if
  // the budget was destroyed while waiting.
  boost::asio::awaitable<Permit> acquire();

  std::size_t in_flight() const { return in_flight_; }
  std::size_t waiting() const { return waiters_.size(); }
  // Request starts counted in the current window.
  std::size_t starts_in_window();
  const BudgetLimits& limits() const { return limits_; }

 private:
  struct Waiter {
    explicit Waiter(boost::asio::any_io_executor executor) : wake(executor) {}
    boost::asio::steady_timer wake;
    bool granted = false;
  };

  // Waits for this budget's slot only (no parent).
  boost::asio::awaitable<bool> acquire_local();
  bool can_start_now(Clock::time_point now);
  void take_slot(Clock::time_point now);
  void release_slot();
  // Grants the front waiters that can start; arms the window timer when the rate bound
  // is what holds the front back.
  void pump();
  void forget_old_starts(Clock::time_point now);

  boost::asio::any_io_executor executor_;
  BudgetLimits limits_;
  RequestBudget* parent_;
  std::size_t in_flight_ = 0;
  std::deque<Clock::time_point> starts_;  // in the sliding window, oldest first
  std::deque<std::shared_ptr<Waiter>> waiters_;
  boost::asio::steady_timer window_timer_;
  bool window_timer_armed_ = false;
  // Outlives `this` in pending callbacks: they check it before touching the budget.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace secfeed::graph
