// Keep-alive connection pool: idle connections per host key are reused; the number of
// open connections is bounded per host and in total; callers that find no slot queue
// in FIFO order (a host at its own limit does not block callers for other hosts).
// Transport-agnostic: connections are opaque PooledConnection objects.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace secfeed::net {

class PooledConnection {
 public:
  virtual ~PooledConnection() = default;
};

struct PoolLimits {
  std::size_t per_host = 4;
  std::size_t total = 32;
  std::chrono::milliseconds idle_timeout{50'000};
};

class ConnectionPool {
 public:
  using Clock = std::chrono::steady_clock;
  struct State;

  // The right to use one connection slot. Either holds a reused idle connection, or is
  // empty and the holder opens a connection and adopt()s it. Destroying the lease frees
  // the slot: the connection goes back to the idle list if keep_alive() was called,
  // otherwise it is closed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();

    bool granted() const { return state_ != nullptr; }  // false: cancelled while queued
    bool reused() const { return reused_; }
    PooledConnection* connection() const { return connection_.get(); }
    void adopt(std::unique_ptr<PooledConnection> connection) {
      connection_ = std::move(connection);
    }
    void keep_alive() { keep_alive_ = true; }

   private:
    friend struct State;
    void release();
    std::shared_ptr<State> state_;
    std::string key_;
    std::unique_ptr<PooledConnection> connection_;
    bool reused_ = false;
    bool keep_alive_ = false;
  };

  ConnectionPool(boost::asio::any_io_executor executor, PoolLimits limits,
                 std::function<Clock::time_point()> now = {});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A slot for `key` ("https://host:port" plus proxy identity), waiting in line if
  // needed. Cancellation (e.g. a deadline via awaitable operators) yields a lease with
  // granted() == false.
  boost::asio::awaitable<Lease> acquire(const std::string& key);

  std::size_t open_connections() const;  // in use + idle (+ slots being opened)
  std::size_t idle_connections() const;
  std::size_t waiting() const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace secfeed::net
