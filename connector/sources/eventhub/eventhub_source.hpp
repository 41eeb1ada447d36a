// `eventhub` source: Defender for Cloud continuous export from Azure Event Hubs through
// its Kafka endpoint (or any Kafka cluster), with at-least-once delivery.
//
// Threads: a dedicated poll thread owns the librdkafka consumer (poll, rebalance
// callbacks, commits); it hands fetched messages in batches to the pipeline's strand
// through a bounded channel, and pauses fetching while that channel is full
// (backpressure: a slow sink slows consumption; memory stays bounded).
//
// Delivery: each message gets an AckGroup; when every sink has delivered (or
// dead-lettered) every event of the message, its offset becomes committable in order
// (PartitionTracker). Commits are batched every `commit_interval` and made on revoke
// and at shutdown, never ahead of delivery. Records that fail normalization go to the
// dead-letter output with partition, offset and reason and do not block the partition.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/net/kafka_oauth.hpp"
#include "connector/sources/eventhub/partition_tracker.hpp"
#include "connector/sources/source.hpp"

namespace secfeed {

class Pipeline;

struct EventHubSourceOptions {
  std::string name = "eventhub";
  std::string topic;
  // librdkafka properties: bootstrap.servers, group.id, security settings, pass-through.
  std::vector<std::pair<std::string, std::string>> properties;
  bool start_from_latest = false;  // for partitions with no committed offset
  std::chrono::milliseconds commit_interval{5000};
  std::size_t max_batch_messages = 500;
  std::size_t max_queued_batches = 4;
  std::string tenant_id, tenant_name;  // fallback tenant for records without one
  // SASL OAUTHBEARER: called on librdkafka's thread when it needs a (new) token; fills
  // the token and its lifetime in ms since the epoch, or an error. Empty: not OAuth.
  net::KafkaTokenFunction oauth_token;
};

struct EventHubSourceStats {
  std::atomic<std::uint64_t> messages{0}, records{0}, events{0}, rejected{0}, commits{0},
      commit_errors{0}, consumer_errors{0}, offsets_lost{0}, skipped_revoked{0}, token_refreshes{0};
};

class EventHubSource : public Source {
 public:
  EventHubSource(boost::asio::any_io_executor executor, Pipeline& pipeline,
                 EventHubSourceOptions options);
  ~EventHubSource() override;
  EventHubSource(const EventHubSource&) = delete;
  EventHubSource& operator=(const EventHubSource&) = delete;

  // Creates the consumer, subscribes and starts the poll thread. False with `error`
  // (naming the property and librdkafka's reason; never a secret value) on failure.
  bool start(std::string& error) override;

  // Normalizes and dispatches fetched messages until stop_fetching() and the queue is
  // drained. Run it on the pipeline's executor.
  boost::asio::awaitable<void> run() override;

  // Graceful shutdown, step 1: stop fetching; run() returns after what was fetched.
  void stop_fetching() override;
  // Step 2, after the pipeline drained its sinks: commit what was delivered, leave the
  // group and stop the poll thread.
  void finish() override;

  const EventHubSourceStats& stats() const { return stats_; }
  const std::string& name() const override { return options_.name; }
  std::string status() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  EventHubSourceOptions options_;
  EventHubSourceStats stats_;
};

}  // namespace secfeed
