// `kafka` sink: an idempotent librdkafka producer (acks=all). A batch is acked from the
// delivery reports, never from produce() returning: a message counts as delivered only
// once every in-sync replica has it. librdkafka retries transient broker errors itself
// (message.timeout.ms defaults to infinite here), so an outage delays delivery but,
// thanks to idempotence, neither loses nor duplicates a message.
#pragma once

#include <librdkafka/rdkafka.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connector/core/config.hpp"
#include "connector/core/kafka_client_properties.hpp"
#include "connector/net/kafka_oauth.hpp"
#include "sinks/sink.hpp"

namespace secfeed {

// ---- Per-message pure functions (unit-tested on their own).

// `topic_template` with {kind}, {tenant}, {source} replaced from `message`, into `out`
// (reused: no allocation once it has grown). Other text is copied unchanged.
void render_topic(std::string_view topic_template, const SinkMessage& message, std::string& out);

// The message key; empty = no key (librdkafka then spreads messages over partitions).
std::string_view message_key(KafkaKey key, const SinkMessage& message);

// Value of the schema_version header: bump when the JSON layout changes incompatibly.
inline constexpr std::string_view kKafkaSchemaVersion = "1";

using KafkaHeaders = std::array<std::pair<std::string_view, std::string_view>, 4>;
// tenant, kind, source, schema_version: views into `message`, which must outlive them.
KafkaHeaders message_headers(const SinkMessage& message);

// librdkafka's name for a compression codec ("none", "gzip", ...).
std::string_view compression_name(KafkaCompression compression);

// The producer properties, in the order they are applied: our defaults, the configured
// compression, the client properties (user `properties` last among them), then what
// cannot be overridden (idempotence, acks=all).
KafkaProperties kafka_producer_properties(const KafkaSinkConfig& config);

// Whether a delivery error can never succeed on a retry (the message goes to the dead
// letter output) rather than being transient (retried with backoff).
bool is_permanent_delivery_error(rd_kafka_resp_err_t err);

// ---- The sink.

class KafkaSink : public Sink {
 public:
  // Creating the producer can fail (a bad property): check error() after construction.
  // `oauth_token`: required when config.kafka.sasl_mechanism is oauthbearer.
  KafkaSink(Executor executor, SinkOptions options, KafkaSinkConfig config,
            DeadLetterOutput* dead_letters, net::KafkaTokenFunction oauth_token = {});
  ~KafkaSink() override;

  const std::string& error() const { return create_error_; }
  // OAUTHBEARER: tokens handed to librdkafka, and refreshes that failed.
  std::uint64_t token_refreshes() const { return token_refreshes_.load(); }
  std::uint64_t token_failures() const { return token_failures_.load(); }
  // The last token request failed: nothing can be delivered until one succeeds.
  bool token_failing() const { return token_failing_.load(); }

 protected:
  boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) override;

 private:
  bool create_producer(std::string& error);
  void destroy_producer();
  rd_kafka_resp_err_t produce(const SinkMessage& message, std::size_t index);
  boost::asio::awaitable<void> wait_for_reports();
  DeliveryResult settle(std::span<SinkMessage> batch, std::size_t produced);
  static void delivery_report(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque);
  static void oauth_refresh(rd_kafka_t* rk, const char* oauthbearer_config, void* opaque);

  KafkaSinkConfig config_;
  net::KafkaTokenFunction oauth_token_;
  std::atomic<std::uint64_t> token_refreshes_{0}, token_failures_{0};
  std::atomic<bool> token_failing_{false};
  std::string create_error_;
  rd_kafka_t* producer_ = nullptr;
  std::string topic_;  // reused buffer for the rendered topic
  // Delivery state of the batch in flight: one result per produced message, indexed by
  // the message opaque. Reports of an abandoned batch (cancelled deliver()) are drained
  // before the next batch starts, so an index never refers to the wrong batch.
  std::vector<rd_kafka_resp_err_t> results_;
  std::size_t pending_reports_ = 0;
};

}  // namespace secfeed
