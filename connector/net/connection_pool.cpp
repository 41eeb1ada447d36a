#include "connector/net/connection_pool.hpp"

#include "connector/net/deferred_completion.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace secfeed::net {
namespace asio = boost::asio;

struct ConnectionPool::State : std::enable_shared_from_this<State> {
  using Handler = asio::any_completion_handler<void(Lease)>;
  struct Idle {
    std::unique_ptr<PooledConnection> connection;
    Clock::time_point since;
  };
  struct Host {
    std::size_t open = 0;
    std::deque<Idle> idle;  // most recently used at the back
  };
  struct Waiter {
    std::uint64_t id;
    std::string key;
    Handler handler;
  };
  struct Grant {
    Handler handler;
    Lease lease;
  };

  asio::any_io_executor executor;
  PoolLimits limits;
  std::function<Clock::time_point()> now;

  mutable std::mutex mutex;
  std::map<std::string, Host, std::less<>> hosts;
  std::size_t open_total = 0;
  std::deque<Waiter> waiters;
  std::uint64_t next_waiter_id = 0;

  Lease make_lease(const std::string& key, std::unique_ptr<PooledConnection> connection) {
    Lease lease;
    lease.state_ = shared_from_this();
    lease.key_ = key;
    lease.reused_ = connection != nullptr;
    lease.connection_ = std::move(connection);
    return lease;
  }

  void close_slot_locked(Host& host) {
    --host.open;
    --open_total;
  }

  // Grants a slot for `key` if one is available now; closed idle connections that expired
  // are moved to `closing` (destroyed by the caller outside the lock).
  std::optional<Lease> try_grant_locked(const std::string& key,
                                        std::vector<std::unique_ptr<PooledConnection>>& closing) {
    Host& host = hosts[key];
    const auto at = now();
    while (!host.idle.empty()) {
      Idle idle = std::move(host.idle.back());
      host.idle.pop_back();
      if (at - idle.since < limits.idle_timeout) return make_lease(key, std::move(idle.connection));
      closing.push_back(std::move(idle.connection));
      close_slot_locked(host);
    }
    if (host.open >= limits.per_host) return std::nullopt;
    if (open_total >= limits.total && !evict_idle_locked(closing)) return std::nullopt;
    ++host.open;
    ++open_total;
    return make_lease(key, nullptr);
  }

  // At the total limit, an idle connection to another host gives way to a new one.
  bool evict_idle_locked(std::vector<std::unique_ptr<PooledConnection>>& closing) {
    for (auto& [key, host] : hosts) {
      if (host.idle.empty()) continue;
      closing.push_back(std::move(host.idle.front().connection));  // least recently used
      host.idle.pop_front();
      close_slot_locked(host);
      return true;
    }
    return false;
  }

  // Serves queued callers in arrival order, skipping those whose host is at its limit.
  void serve_waiters_locked(std::vector<Grant>& grants,
                            std::vector<std::unique_ptr<PooledConnection>>& closing) {
    for (auto it = waiters.begin(); it != waiters.end();) {
      auto lease = try_grant_locked(it->key, closing);
      if (!lease) {
        ++it;
        continue;
      }
      grants.push_back({std::move(it->handler), std::move(*lease)});
      it = waiters.erase(it);
    }
  }

  void deliver(Handler handler, Lease lease) {
    complete_later(executor, std::move(handler), std::move(lease));
  }

  void deliver_all(std::vector<Grant>& grants) {
    for (auto& grant : grants) deliver(std::move(grant.handler), std::move(grant.lease));
  }

  // Queues the caller, then serves the queue in order: a caller gets a slot now only if
  // nobody before it can use that slot (FIFO per host, no head-of-line blocking across hosts).
  void enqueue(std::string key, Handler handler) {
    std::vector<std::unique_ptr<PooledConnection>> closing;
    std::vector<Grant> grants;
    {
      std::lock_guard lock(mutex);
      const std::uint64_t id = ++next_waiter_id;
      auto slot = handler.get_cancellation_slot();
      if (slot.is_connected()) {
        slot.assign([weak = weak_from_this(), id](asio::cancellation_type) {
          if (auto self = weak.lock()) self->cancel(id);
        });
      }
      waiters.push_back({id, std::move(key), std::move(handler)});
      serve_waiters_locked(grants, closing);
    }
    deliver_all(grants);
  }

  void cancel(std::uint64_t id) {
    std::unique_lock lock(mutex);
    for (auto it = waiters.begin(); it != waiters.end(); ++it) {
      if (it->id != id) continue;
      Handler handler = std::move(it->handler);
      waiters.erase(it);
      lock.unlock();
      deliver(std::move(handler), Lease());
      return;
    }
  }

  void release(const std::string& key, std::unique_ptr<PooledConnection> connection,
               bool keep_alive) {
    std::vector<std::unique_ptr<PooledConnection>> closing;
    std::vector<Grant> grants;
    {
      std::lock_guard lock(mutex);
      Host& host = hosts[key];
      if (keep_alive && connection) {
        host.idle.push_back({std::move(connection), now()});
      } else {
        closing.push_back(std::move(connection));
        close_slot_locked(host);
      }
      serve_waiters_locked(grants, closing);
    }
    deliver_all(grants);
  }
};

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    key_ = std::move(other.key_);
    connection_ = std::move(other.connection_);
    reused_ = other.reused_;
    keep_alive_ = other.keep_alive_;
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  release();
}

void ConnectionPool::Lease::release() {
  if (!state_) return;
  auto state = std::move(state_);
  state->release(key_, std::move(connection_), keep_alive_);
}

ConnectionPool::ConnectionPool(asio::any_io_executor executor, PoolLimits limits,
                               std::function<Clock::time_point()> now)
    : state_(std::make_shared<State>()) {
  state_->executor = std::move(executor);
  state_->limits = limits;
  if (state_->limits.per_host == 0) state_->limits.per_host = 1;
  if (state_->limits.total == 0) state_->limits.total = 1;
  state_->now = now ? std::move(now) : [] { return Clock::now(); };
}

ConnectionPool::~ConnectionPool() {
  // Idle connections close now; leases still out keep the state alive until released.
  std::vector<std::unique_ptr<PooledConnection>> closing;
  std::lock_guard lock(state_->mutex);
  for (auto& [key, host] : state_->hosts) {
    for (auto& idle : host.idle) closing.push_back(std::move(idle.connection));
    state_->open_total -= host.idle.size();
    host.open -= host.idle.size();
    host.idle.clear();
  }
}

// Not a coroutine itself: async_initiate returns the awaitable. (GCC 12 mishandles
// lambdas with captures inside a co_await expression: they may be destroyed twice.)
asio::awaitable<ConnectionPool::Lease> ConnectionPool::acquire(const std::string& key) {
  struct Initiation {
    std::shared_ptr<State> state;
    std::string key;
    void operator()(State::Handler handler) { state->enqueue(std::move(key), std::move(handler)); }
  };
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(Lease)>(Initiation{state_, key},
                                                                           asio::use_awaitable);
}

std::size_t ConnectionPool::open_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->open_total;
}

std::size_t ConnectionPool::idle_connections() const {
  std::lock_guard lock(state_->mutex);
  std::size_t count = 0;
  for (const auto& [key, host] : state_->hosts) count += host.idle.size();
  return count;
}

std::size_t ConnectionPool::waiting() const {
  std::lock_guard lock(state_->mutex);
  return state_->waiters.size();
}

}  // namespace secfeed::net
