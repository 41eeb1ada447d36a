#include "sinks/sink.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sinks/buffer/disk_buffer.hpp"
#include "sinks/dead_letter_output.hpp"

namespace secfeed {

namespace asio = boost::asio;
using asio::use_awaitable;

Sink::Sink(Executor executor, SinkOptions options, DeadLetterOutput* dead_letters)
    : executor_(executor),
      options_(std::move(options)),
      dead_letters_(dead_letters),
      queue_(executor, options_.queue_max_events),
      backoff_(options_.retry_initial, options_.retry_max) {}

Sink::~Sink() = default;

std::size_t Sink::queue_depth() const {
  if (disk_) return disk_->records();
  // depth_ also counts the enqueue()s suspended on a full queue; those events are not in
  // the queue (each waits in its source), so a full queue reads queue.max_events.
  return std::min(depth_.load(std::memory_order_relaxed), options_.queue_max_events);
}

void Sink::use_disk_buffer(std::unique_ptr<DiskBuffer> buffer) {
  disk_ = std::move(buffer);
}

asio::awaitable<void> Sink::enqueue(SinkMessage message) {
  stats_.queued.fetch_add(1, std::memory_order_relaxed);
  if (disk_) {
    const std::string refused = co_await disk_->push(message);
    if (!refused.empty()) dead_letter(std::span<SinkMessage>(&message, 1), refused);
    co_return;
  }
  depth_.fetch_add(1, std::memory_order_relaxed);
  // With room in the queue, queue without suspending: an awaited send costs a turn of
  // the scheduler per event even then. (A failed try_send leaves `message` untouched.)
  if (queue_.try_send(boost::system::error_code{}, std::move(message))) co_return;
  co_await queue_.async_send(boost::system::error_code{}, std::move(message), use_awaitable);
}

asio::awaitable<void> Sink::close() {
  if (disk_) {
    co_await disk_->close();
    co_return;
  }
  SinkMessage marker;
  marker.end_of_stream = true;
  co_await queue_.async_send(boost::system::error_code{}, std::move(marker), use_awaitable);
}

asio::awaitable<bool> Sink::receive_batch(std::vector<SinkMessage>& batch) {
  if (disk_) {
    co_return co_await disk_->pop(batch, options_.batch_max_events, options_.batch_max_bytes,
                                  options_.batch_max_wait);
  }
  batch.clear();
  if (end_seen_) co_return false;
  std::size_t bytes = 0;
  bool ended = false;
  const auto take = [&](SinkMessage&& message) {
    if (message.end_of_stream) {
      ended = true;
      return;
    }
    depth_.fetch_sub(1, std::memory_order_relaxed);
    bytes += message.bytes.size();
    batch.push_back(std::move(message));
  };
  const auto full = [&] {
    return ended || batch.size() >= options_.batch_max_events || bytes >= options_.batch_max_bytes;
  };
  // Everything already queued, without waiting.
  const auto take_ready = [&] {
    while (!full() && queue_.try_receive([&](boost::system::error_code ec, SinkMessage m) {
      if (!ec) take(std::move(m));
    })) {
    }
  };

  auto [ec, first] = co_await queue_.async_receive(asio::as_tuple(use_awaitable));
  if (ec) co_return false;
  take(std::move(first));
  take_ready();
  // Coalesce without a timer: sources run on this same executor and hand over one event
  // per turn of the scheduler, so a message that arrived alone is usually the first of a
  // burst. Yielding lets them queue more; stop as soon as a turn brings nothing new (an
  // idle source costs one extra turn, no latency). Measured on Kafka -> CEF over TCP:
  // batches of 1-2 events meant one send() and one loopback segment per event, ~20 % of
  // the process's CPU.
  for (std::size_t before = 0; !full() && batch.size() != before;) {
    before = batch.size();
    co_await asio::post(executor_, use_awaitable);
    take_ready();
  }
  if (options_.batch_max_wait.count() > 0 && !full()) {
    // A fuller batch is worth a short wait for request-per-batch sinks (HTTP). Poll with
    // short sleeps rather than racing a receive against a timer: cancelling a channel
    // receive that has just completed would drop its message.
    const auto deadline = std::chrono::steady_clock::now() + options_.batch_max_wait;
    asio::steady_timer tick(executor_);
    while (!full()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;
      tick.expires_after(std::min<std::chrono::steady_clock::duration>(
          deadline - now, std::chrono::milliseconds(5)));
      co_await tick.async_wait(use_awaitable);
      take_ready();
    }
  }
  end_seen_ = ended;
  co_return !batch.empty() || !ended;
}

void Sink::dead_letter(std::span<SinkMessage> messages, std::string_view reason) {
  for (SinkMessage& message : messages) {
    if (dead_letters_ != nullptr) {
      DeadLetter letter;
      letter.stage = "deliver";
      letter.source = message.source;
      letter.sink = options_.name;
      letter.tenant_id = message.tenant_id;
      letter.position = message.id;
      letter.reason = reason;
      letter.payload = message.bytes;
      dead_letters_->write(letter);
    }
    stats_.dead_lettered.fetch_add(1, std::memory_order_relaxed);
    // Handled: nothing is left to retry, so the source may move past it.
    if (message.ack) message.ack->ack();
  }
}

asio::awaitable<std::size_t> Sink::deliver_with_retry(std::vector<SinkMessage>& batch) {
  std::span<SinkMessage> pending(batch);
  unsigned attempt = 0;
  while (!pending.empty()) {
    DeliveryResult result = co_await deliver(pending);
    const std::size_t delivered = std::min(result.delivered, pending.size());
    for (SinkMessage& message : pending.first(delivered)) {
      stats_.delivered.fetch_add(1, std::memory_order_relaxed);
      stats_.delivered_bytes.fetch_add(message.bytes.size(), std::memory_order_relaxed);
      if (message.ack) message.ack->ack();
    }
    pending = pending.subspan(delivered);
    const std::size_t rejected = std::min(result.rejected, pending.size());
    if (rejected > 0) {
      dead_letter(pending.first(rejected), result.error);
      pending = pending.subspan(rejected);
    }
    if (pending.empty()) break;
    if (delivered > 0 || rejected > 0) attempt = 0;  // progress: start backoff over
    ++attempt;
    stats_.failed_attempts.fetch_add(1, std::memory_order_relaxed);
    if (options_.retry_limit != 0 && attempt >= options_.retry_limit) {
      dead_letter(pending, "gave up after " + std::to_string(attempt) + " attempts: " +
                               (result.error.empty() ? "delivery failed" : result.error));
      pending = {};
      break;
    }
    const std::chrono::milliseconds delay =
        result.retry_after ? *result.retry_after : backoff_.next(attempt);
    if (disk_) {
      // Stopping does not wait for a sink that is down: the rest stays in the buffer.
      if (!co_await disk_->pause(delay)) break;
      continue;
    }
    asio::steady_timer wait(executor_, delay);
    co_await wait.async_wait(use_awaitable);
  }
  co_return batch.size() - pending.size();
}

asio::awaitable<void> Sink::run() {
  std::vector<SinkMessage> batch;
  batch.reserve(options_.batch_max_events);
  while (co_await receive_batch(batch)) {
    if (batch.empty()) continue;
    const std::size_t handled = co_await deliver_with_retry(batch);
    if (disk_) disk_->consumed(handled);
  }
}

}  // namespace secfeed
