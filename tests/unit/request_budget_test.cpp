// RequestBudget: concurrency bound, sliding-window rate bound, FIFO order, and fairness
// across tenants sharing one process-wide parent. Driven step by step with io.poll()
// (no sleeps), except the window test, which asserts only a lower bound.
#include "connector/sources/graph/request_budget.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace secfeed::graph {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class RequestBudgetTest : public ::testing::Test {
 protected:
  // Starts a coroutine that acquires from `budget` and keeps the permit in held_[name].
  void want(RequestBudget& budget, const std::string& name) {
    asio::co_spawn(
        io_,
        [this, &budget, name]() -> asio::awaitable<void> {
          RequestBudget::Permit permit = co_await budget.acquire();
          granted_.push_back(permit.held() ? name : name + "(empty)");
          held_[name] = std::move(permit);
        },
        asio::detached);
  }
  void run_ready() {
    io_.restart();
    io_.poll();
  }
  void release(const std::string& name) {
    held_.erase(name);
    run_ready();
  }

  asio::io_context io_;
  std::vector<std::string> granted_;
  std::map<std::string, RequestBudget::Permit> held_;
};

TEST_F(RequestBudgetTest, ConcurrencyBoundServesWaitersInArrivalOrder) {
  RequestBudget budget(io_.get_executor(), BudgetLimits{2, 0, {}});
  for (const char* name : {"r1", "r2", "r3", "r4", "r5"}) want(budget, name);
  run_ready();
  EXPECT_EQ(granted_, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(budget.in_flight(), 2u);
  EXPECT_EQ(budget.waiting(), 3u);
  release("r2");
  EXPECT_EQ(granted_, (std::vector<std::string>{"r1", "r2", "r3"}));
  release("r1");
  release("r3");
  EXPECT_EQ(granted_, (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5"}));
  EXPECT_EQ(budget.waiting(), 0u);
  held_.clear();
  EXPECT_EQ(budget.in_flight(), 0u);
}

TEST_F(RequestBudgetTest, ANewRequestNeverOvertakesAWaitingOne) {
  RequestBudget budget(io_.get_executor(), BudgetLimits{1, 0, {}});
  want(budget, "first");
  want(budget, "second");
  run_ready();
  held_.erase("first");  // frees the slot; "second" is granted before anyone new
  want(budget, "third");
  run_ready();
  EXPECT_EQ(granted_, (std::vector<std::string>{"first", "second"}));
  release("second");
  EXPECT_EQ(granted_, (std::vector<std::string>{"first", "second", "third"}));
  held_.clear();
}

TEST_F(RequestBudgetTest, RateBoundWaitsForTheOldestStartToLeaveTheWindow) {
  const milliseconds window(60);
  RequestBudget budget(io_.get_executor(), BudgetLimits{0, 2, window});
  std::vector<RequestBudget::Clock::time_point> times;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 5; ++i) {
          RequestBudget::Permit permit = co_await budget.acquire();  // released at once
          times.push_back(RequestBudget::Clock::now());
        }
      },
      asio::detached);
  io_.run_for(std::chrono::seconds(10));
  ASSERT_EQ(times.size(), 5u);
  // Starts 3..5 each wait until the start two before them left the window.
  EXPECT_GE(times[2] - times[0], window);
  EXPECT_GE(times[3] - times[1], window);
  EXPECT_GE(times[4] - times[2], window);
  EXPECT_LE(budget.starts_in_window(), 2u);
}

TEST_F(RequestBudgetTest, TenantsShareTheParentInArrivalOrder) {
  RequestBudget parent(io_.get_executor(), BudgetLimits{1, 0, {}});
  RequestBudget a(io_.get_executor(), BudgetLimits{4, 0, {}}, &parent);
  RequestBudget b(io_.get_executor(), BudgetLimits{4, 0, {}}, &parent);
  want(a, "a1");
  run_ready();
  want(b, "b1");
  run_ready();
  want(a, "a2");  // a busy tenant queues behind b in the shared parent
  run_ready();
  EXPECT_EQ(granted_, (std::vector<std::string>{"a1"}));
  EXPECT_EQ(parent.waiting(), 2u);
  release("a1");
  EXPECT_EQ(granted_, (std::vector<std::string>{"a1", "b1"}));
  release("b1");
  EXPECT_EQ(granted_, (std::vector<std::string>{"a1", "b1", "a2"}));
  release("a2");
  EXPECT_EQ(parent.in_flight(), 0u);
  EXPECT_EQ(a.in_flight(), 0u);
  EXPECT_EQ(b.in_flight(), 0u);
}

TEST_F(RequestBudgetTest, ATenantOutOfItsOwnBudgetDoesNotHoldASharedSlot) {
  RequestBudget parent(io_.get_executor(), BudgetLimits{1, 0, {}});
  auto a = std::make_unique<RequestBudget>(io_.get_executor(),
                                           BudgetLimits{0, 1, milliseconds(3'600'000)}, &parent);
  RequestBudget b(io_.get_executor(), BudgetLimits{0, 0, {}}, &parent);
  want(*a, "a1");
  run_ready();
  release("a1");
  want(*a, "a2");  // over a's hourly budget: waits in a, not in the parent
  want(b, "b1");
  run_ready();
  EXPECT_EQ(granted_, (std::vector<std::string>{"a1", "b1"}));
  EXPECT_EQ(a->waiting(), 1u);
  EXPECT_EQ(parent.waiting(), 0u);
  release("b1");
  // Destroying a budget wakes its waiters empty-handed (shutdown).
  a.reset();
  run_ready();
  EXPECT_EQ(granted_, (std::vector<std::string>{"a1", "b1", "a2(empty)"}));
  EXPECT_EQ(parent.in_flight(), 0u);
}

TEST_F(RequestBudgetTest, PermitsMoveAndReleaseOnce) {
  RequestBudget budget(io_.get_executor(), BudgetLimits{1, 0, {}});
  want(budget, "p");
  run_ready();
  RequestBudget::Permit moved = std::move(held_["p"]);
  EXPECT_FALSE(held_["p"].held());
  EXPECT_TRUE(moved.held());
  held_.clear();
  EXPECT_EQ(budget.in_flight(), 1u);
  moved.release();
  moved.release();
  EXPECT_EQ(budget.in_flight(), 0u);
}

}  // namespace
}  // namespace secfeed::graph
