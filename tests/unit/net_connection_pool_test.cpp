#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/net/connection_pool.hpp"

namespace secfeed::net {
namespace {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Lease = ConnectionPool::Lease;

struct FakeConnection final : PooledConnection {
  FakeConnection(int id_in, int* closed_in) : id(id_in), closed(closed_in) {}
  ~FakeConnection() override { ++*closed; }
  int id;
  int* closed;
};

int id_of(const Lease& lease) {
  return lease.connection() ? static_cast<FakeConnection*>(lease.connection())->id : 0;
}

struct PoolHarness {
  explicit PoolHarness(PoolLimits limits)
      : pool(io.get_executor(), limits, [this] { return now; }) {}

  // Acquires `key` in a coroutine; the lease lands in `out` (kept until reset).
  void acquire(std::string key, Lease& out, std::vector<std::string>* order = nullptr) {
    asio::co_spawn(
        io,
        [this, key, &out, order]() -> asio::awaitable<void> {
          out = co_await pool.acquire(key);
          if (order) order->push_back(key + "#" + std::to_string(id_of(out)));
        },
        asio::detached);
    io.restart();
    io.poll();
  }

  Lease open(std::string key, int id) {
    Lease lease;
    acquire(key, lease);
    EXPECT_TRUE(lease.granted());
    EXPECT_EQ(lease.connection(), nullptr);
    lease.adopt(std::make_unique<FakeConnection>(id, &closed));
    return lease;
  }

  void settle() {
    io.restart();
    io.poll();
  }

  asio::io_context io;
  ConnectionPool::Clock::time_point now{};
  int closed = 0;
  ConnectionPool pool;
};

TEST(NetConnectionPool, KeepAliveConnectionIsReused) {
  PoolHarness h({4, 8, std::chrono::milliseconds(1000)});
  {
    Lease lease = h.open("https://a:443", 1);
    lease.keep_alive();
  }
  EXPECT_EQ(h.pool.open_connections(), 1u);
  EXPECT_EQ(h.pool.idle_connections(), 1u);
  Lease again;
  h.acquire("https://a:443", again);
  EXPECT_TRUE(again.reused());
  EXPECT_EQ(id_of(again), 1);
  EXPECT_EQ(h.pool.idle_connections(), 0u);
  EXPECT_EQ(h.closed, 0);
}

TEST(NetConnectionPool, ConnectionWithoutKeepAliveIsClosed) {
  PoolHarness h({4, 8, std::chrono::milliseconds(1000)});
  { Lease lease = h.open("https://a:443", 1); }
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool.open_connections(), 0u);
}

TEST(NetConnectionPool, WaitersForAFullHostAreServedInArrivalOrder) {
  PoolHarness h({1, 8, std::chrono::milliseconds(1000)});
  Lease first = h.open("https://a:443", 1);
  std::vector<std::string> order;
  Lease second;
  Lease third;
  h.acquire("https://a:443", second, &order);
  h.acquire("https://a:443", third, &order);
  EXPECT_EQ(h.pool.waiting(), 2u);
  EXPECT_TRUE(order.empty());
  first.keep_alive();
  first = Lease();
  h.settle();
  EXPECT_EQ(order, std::vector<std::string>{"https://a:443#1"});
  second.keep_alive();
  second = Lease();
  h.settle();
  EXPECT_EQ(order, (std::vector<std::string>{"https://a:443#1", "https://a:443#1"}));
  EXPECT_EQ(h.pool.waiting(), 0u);
  EXPECT_EQ(h.pool.open_connections(), 1u);
}

TEST(NetConnectionPool, FullHostDoesNotBlockOtherHosts) {
  PoolHarness h({1, 8, std::chrono::milliseconds(1000)});
  Lease a = h.open("https://a:443", 1);
  Lease waiting_a;
  h.acquire("https://a:443", waiting_a);
  EXPECT_FALSE(waiting_a.granted());
  Lease b;
  h.acquire("https://b:443", b);
  EXPECT_TRUE(b.granted());
  EXPECT_EQ(h.pool.waiting(), 1u);
}

TEST(NetConnectionPool, TotalLimitEvictsIdleConnectionOfAnotherHost) {
  PoolHarness h({4, 1, std::chrono::milliseconds(1000)});
  {
    Lease a = h.open("https://a:443", 1);
    a.keep_alive();
  }
  Lease b;
  h.acquire("https://b:443", b);
  EXPECT_TRUE(b.granted());
  EXPECT_EQ(b.connection(), nullptr);
  EXPECT_EQ(h.closed, 1);  // the idle connection to a was closed to make room
  EXPECT_EQ(h.pool.open_connections(), 1u);

  // With b in use, a caller for a waits until b is released.
  Lease a2;
  h.acquire("https://a:443", a2);
  EXPECT_FALSE(a2.granted());
  b = Lease();
  h.settle();
  EXPECT_TRUE(a2.granted());
}

TEST(NetConnectionPool, IdleConnectionsExpire) {
  PoolHarness h({4, 8, std::chrono::milliseconds(1000)});
  {
    Lease a = h.open("https://a:443", 1);
    a.keep_alive();
  }
  h.now += std::chrono::milliseconds(1000);
  Lease again;
  h.acquire("https://a:443", again);
  EXPECT_TRUE(again.granted());
  EXPECT_FALSE(again.reused());
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool.open_connections(), 1u);
}

TEST(NetConnectionPool, CancelledWaiterLeavesTheQueue) {
  PoolHarness h({1, 8, std::chrono::milliseconds(1000)});
  Lease held = h.open("https://a:443", 1);
  bool timed_out = false;
  asio::co_spawn(
      h.io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(h.io, std::chrono::milliseconds(10));
        auto result =
            co_await (h.pool.acquire("https://a:443") || timer.async_wait(asio::use_awaitable));
        timed_out = result.index() == 1;
      },
      asio::detached);
  h.io.restart();
  h.io.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(h.pool.waiting(), 0u);
  held = Lease();
  EXPECT_EQ(h.pool.open_connections(), 0u);
}

}  // namespace
}  // namespace secfeed::net
