#include "sinks/buffer/disk_buffer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/log.hpp"

namespace secfeed {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {
constexpr const char* kComponent = "buffer";
constexpr auto kIoRetry = std::chrono::seconds(1);
}  // namespace

struct DiskBuffer::Shared {
  DiskBuffer* owner;
};

std::unique_ptr<DiskBuffer> DiskBuffer::open(Executor executor,
                                             const buffer::DiskQueueOptions& options,
                                             std::string& error) {
  std::unique_ptr<buffer::DiskQueue> queue = buffer::DiskQueue::open(options, error);
  if (!queue) return nullptr;
  return std::unique_ptr<DiskBuffer>(new DiskBuffer(executor, std::move(queue)));
}

DiskBuffer::DiskBuffer(Executor executor, std::unique_ptr<buffer::DiskQueue> queue)
    : executor_(executor),
      queue_(std::move(queue)),
      shared_(std::make_shared<Shared>(Shared{this})),
      changed_(executor, asio::steady_timer::time_point::max()),
      pause_(executor) {
  thread_ = std::thread([this] { sync_loop(); });
}

DiskBuffer::~DiskBuffer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void DiskBuffer::wake_sync_thread() {
  {
    std::lock_guard lock(mutex_);
    work_ = true;
  }
  wake_.notify_one();
}

void DiskBuffer::sync_loop() {
  std::string last_error;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return work_ || stop_; });
    const bool stopping = stop_;
    work_ = false;
    lock.unlock();
    std::uint64_t durable = 0;
    std::string error;
    const bool ok = queue_->sync(durable, error);
    if (!ok && error != last_error) log_error(kComponent, error);
    last_error = ok ? std::string() : error;
    if (!stopping) {
      // Results go back to the executor; a buffer destroyed meanwhile ignores them.
      asio::post(executor_, [weak = std::weak_ptr<Shared>(shared_), durable] {
        if (const std::shared_ptr<Shared> shared = weak.lock()) shared->owner->on_synced(durable);
      });
    }
    lock.lock();
    if (stopping) return;
    if (!ok) {
      // Retry a failed flush after a pause (disk full, I/O error), unless stopped.
      work_ = true;
      wake_.wait_for(lock, kIoRetry, [&] { return stop_; });
    }
  }
}

void DiskBuffer::on_synced(std::uint64_t durable) {
  durable_ = std::max(durable_, durable);
  while (!waiting_.empty() && waiting_.front().sequence <= durable_) {
    AckHandle ack = std::move(waiting_.front().ack);
    waiting_.pop_front();
    ack->ack();
  }
  changed_.cancel();  // durable records to read, space freed, close() may finish
}

asio::awaitable<void> DiskBuffer::wait_for_change() {
  co_await changed_.async_wait(asio::as_tuple(use_awaitable));
}

asio::awaitable<std::string> DiskBuffer::push(const SinkMessage& message) {
  for (;;) {
    std::uint64_t sequence = 0;
    std::string error;
    switch (queue_->append(message, sequence, error)) {
      case buffer::DiskQueue::Append::ok:
        appended_ = sequence;
        if (message.ack) waiting_.push_back(Waiting{sequence, message.ack});
        wake_sync_thread();
        co_return std::string();
      case buffer::DiskQueue::Append::too_large:
        co_return error;
      case buffer::DiskQueue::Append::full:
        // Backpressure: the source waits until delivery frees a segment. The sync
        // thread deletes delivered segments (and one just finished by a rotation).
        wake_sync_thread();
        co_await wait_for_change();
        break;
      case buffer::DiskQueue::Append::io_error: {
        log_error(kComponent, error + "; retrying (the source waits meanwhile)");
        asio::steady_timer retry(executor_, kIoRetry);
        co_await retry.async_wait(asio::as_tuple(use_awaitable));
        break;
      }
    }
  }
}

asio::awaitable<bool> DiskBuffer::pop(std::vector<SinkMessage>& batch, std::size_t max_events,
                                      std::size_t max_bytes, std::chrono::milliseconds max_wait) {
  for (;;) {
    batch.clear();
    if (closed_) co_return false;
    std::size_t count = queue_->read(batch, max_events, max_bytes);
    if (count > 0 && count < max_events && max_wait.count() > 0) {
      // A fuller batch is worth one short wait (request-per-batch sinks): read again
      // from the same place afterwards.
      queue_->consume(0);
      co_await pause(max_wait);
      batch.clear();
      count = queue_->read(batch, max_events, max_bytes);
    }
    if (count > 0) co_return true;
    co_await wait_for_change();
  }
}

void DiskBuffer::consumed(std::size_t handled) {
  queue_->consume(handled);
  if (handled > 0) wake_sync_thread();
}

asio::awaitable<bool> DiskBuffer::pause(std::chrono::milliseconds duration) {
  if (closed_) co_return false;
  pause_.expires_after(duration);
  co_await pause_.async_wait(asio::as_tuple(use_awaitable));
  co_return !closed_;
}

asio::awaitable<void> DiskBuffer::close() {
  wake_sync_thread();
  while (durable_ < appended_ || !waiting_.empty()) co_await wait_for_change();
  closed_ = true;
  changed_.cancel();
  pause_.cancel();
}

}  // namespace secfeed
