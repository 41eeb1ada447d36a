// Consumer lag of the `eventhub` source, per partition: how many messages the hub holds
// that this consumer has not read yet (high watermark - position), exported as
// secfeed_eventhub_consumer_lag{source,topic,partition}. Computed on the poll thread
// from librdkafka's cached watermarks (updated by every fetch response: no broker round
// trip) at most once per second.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "connector/core/metrics.hpp"

namespace secfeed {

// Lag from the partition's cached low/high watermarks and the consumer's position (the
// next offset it will hand out). nullopt while unknown: watermarks not fetched yet
// (librdkafka reports RD_KAFKA_OFFSET_INVALID, -1001), or no position yet on a
// partition that holds messages. An empty partition (low == high) has lag 0 whatever
// the position. A position past a (stale) cached high watermark is lag 0, not negative.
std::optional<std::int64_t> consumer_lag(std::int64_t low_watermark, std::int64_t high_watermark,
                                         std::int64_t position);

// The lag gauges of one source's partitions. Not thread-safe: the poll thread owns it
// (rebalance callbacks run there too); rendering reads each series' atomic.
class ConsumerLagGauges {
 public:
  ConsumerLagGauges(std::string source, std::string topic,
                    metrics::Registry& registry = metrics::Registry::global());
  ~ConsumerLagGauges();
  ConsumerLagGauges(const ConsumerLagGauges&) = delete;
  ConsumerLagGauges& operator=(const ConsumerLagGauges&) = delete;

  // Sets the partition's series, creating it on first use.
  void set(std::int32_t partition, std::int64_t lag);
  // Drops the partition's series (revoked: another consumer reports it now).
  void remove(std::int32_t partition);
  void remove_all();

 private:
  struct Series {
    std::atomic<std::int64_t> lag{0};
  };
  std::string source_, topic_;
  metrics::Registry& registry_;
  std::map<std::int32_t, std::shared_ptr<Series>> series_;
};

}  // namespace secfeed
