// The base every sink shares: a bounded queue (backpressure to the sources), batching,
// the retry loop with backoff, acks, and dead-lettering of what is given up. A concrete
// sink only implements deliver(): "write this batch, tell me how far you got".
//
// Guarantees (see docs/architecture.md, "Acknowledgements"):
//   * a message is acked only after deliver() reported it delivered, or after it was
//     written to the dead-letter output, or (with a disk buffer, sinks/buffer/) once it
//     is durably in the buffer;
//   * nothing is dropped silently: a message is delivered, dead-lettered (with the reason
//     and a counter), or still queued / in retry (then its source does not commit it);
//   * transient failures are retried without limit by default (retry.limit = 0).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>

#include "connector/core/ack.hpp"
#include "connector/core/backoff.hpp"
#include "connector/core/event.hpp"
#include "connector/core/event_filter.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {

class DeadLetterOutput;
class DiskBuffer;

// One encoded event a sink owns until it is delivered or dead-lettered.
struct SinkMessage {
  std::string bytes;
  AckHandle ack;
  EventKind kind = EventKind::alert;
  std::string id;  // event id (e.g. the Kafka message key)
  std::string tenant_id;
  std::string source;
  std::int64_t time_ms = 0;
  int syslog_severity = 6;     // syslog_severity_for(event): the syslog sink's header
  bool end_of_stream = false;  // internal: the marker close() queues behind the last message
};

struct SinkOptions {
  std::string name;
  OutputFormat format = OutputFormat::json;
  EventFilter filter;
  std::size_t queue_max_events = 10000;
  std::size_t batch_max_events = 500;
  std::size_t batch_max_bytes = 1 << 20;
  std::chrono::milliseconds batch_max_wait{0};  // wait for a fuller batch (HTTP sinks)
  std::chrono::milliseconds retry_initial{1000};
  std::chrono::milliseconds retry_max{60000};
  unsigned retry_limit = 0;  // attempts per batch before dead-lettering; 0 = unlimited
};

// Counters of one sink (exported as metrics).
struct SinkStats {
  std::atomic<std::uint64_t> queued{0}, delivered{0}, delivered_bytes{0}, failed_attempts{0},
      dead_lettered{0};
};

// What one delivery attempt achieved. Messages [0, delivered) are done; the next
// `rejected` messages can never be delivered (e.g. one record over the request limit)
// and go to the dead-letter output with `error`; the rest are retried after a backoff.
struct DeliveryResult {
  std::size_t delivered = 0;
  std::size_t rejected = 0;
  std::string error;  // why the rest failed; empty when everything was delivered
  // How long to wait before retrying the rest, when the receiver said so (HTTP
  // Retry-After) or when nothing needs waiting for (0: only a rejection stopped the
  // attempt); unset: the exponential backoff.
  std::optional<std::chrono::milliseconds> retry_after = std::nullopt;
};

class Sink {
 public:
  using Executor = boost::asio::any_io_executor;
  Sink(Executor executor, SinkOptions options, DeadLetterOutput* dead_letters);
  virtual ~Sink();
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  const SinkOptions& options() const { return options_; }
  const std::string& name() const { return options_.name; }
  const SinkStats& stats() const { return stats_; }
  std::size_t queue_depth() const;

  // Waits for queue space (backpressure), then queues the message.
  boost::asio::awaitable<void> enqueue(SinkMessage message);

  // `buffer: {type: disk}`: from now on messages are queued in `buffer` (a WAL) and
  // acked once durable there; run() delivers from it. Call before enqueue() and run().
  void use_disk_buffer(std::unique_ptr<DiskBuffer> buffer);

  // The delivery loop: runs until close() and the queue is drained, or cancelled.
  boost::asio::awaitable<void> run();

  // No more messages will be queued: queues an end marker behind the last message, so
  // run() delivers everything before it returns. (asio's channel close() would discard
  // buffered messages, hence the marker.)
  boost::asio::awaitable<void> close();

 protected:
  // Delivers as much of `batch` as possible. Must not throw for delivery failures:
  // report them in the result. It may reorder `batch` in place (e.g. to group rows by
  // destination); the result counts messages in the order it leaves.
  virtual boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) = 0;

  Executor executor() const { return executor_; }

 private:
  using Channel =
      boost::asio::experimental::concurrent_channel<void(boost::system::error_code, SinkMessage)>;

  boost::asio::awaitable<bool> receive_batch(std::vector<SinkMessage>& batch);
  // Returns how many messages of `batch` were handled (delivered or dead-lettered).
  boost::asio::awaitable<std::size_t> deliver_with_retry(std::vector<SinkMessage>& batch);
  void dead_letter(std::span<SinkMessage> messages, std::string_view reason);

  Executor executor_;
  SinkOptions options_;
  DeadLetterOutput* dead_letters_;
  Channel queue_;
  Backoff backoff_;
  SinkStats stats_;
  std::atomic<std::size_t> depth_{0};
  bool end_seen_ = false;
  std::unique_ptr<DiskBuffer> disk_;  // null: the in-memory queue
};

}  // namespace secfeed
