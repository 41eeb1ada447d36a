#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>

#include <optional>
#include <string>

#include "connector/core/metrics.hpp"
#include "connector/sources/eventhub/consumer_lag.hpp"

namespace secfeed {
namespace {

constexpr std::int64_t kInvalid = RD_KAFKA_OFFSET_INVALID;  // -1001

TEST(ConsumerLag, HighWatermarkMinusPosition) {
  EXPECT_EQ(consumer_lag(0, 100, 40), 60);
  EXPECT_EQ(consumer_lag(50, 100, 100), 0);  // drained
  EXPECT_EQ(consumer_lag(0, 1, 0), 1);
}

TEST(ConsumerLag, UnknownWatermarksHaveNoValue) {
  EXPECT_EQ(consumer_lag(kInvalid, kInvalid, 10), std::nullopt);
  EXPECT_EQ(consumer_lag(0, kInvalid, 10), std::nullopt);
  EXPECT_EQ(consumer_lag(kInvalid, kInvalid, kInvalid), std::nullopt);
}

TEST(ConsumerLag, NoPositionYetHasNoValueUnlessThePartitionIsEmpty) {
  EXPECT_EQ(consumer_lag(0, 100, kInvalid), std::nullopt);
  EXPECT_EQ(consumer_lag(0, 100, RD_KAFKA_OFFSET_END), std::nullopt);
  // Nothing retained: nothing to read, wherever the consumer will start.
  EXPECT_EQ(consumer_lag(0, 0, kInvalid), 0);
  EXPECT_EQ(consumer_lag(70, 70, kInvalid), 0);
  // The low watermark unknown: emptiness cannot be told.
  EXPECT_EQ(consumer_lag(kInvalid, 0, kInvalid), std::nullopt);
}

TEST(ConsumerLag, PositionPastAStaleCachedWatermarkIsZeroNotNegative) {
  EXPECT_EQ(consumer_lag(0, 100, 105), 0);
}

std::string lag_lines(const metrics::Registry& registry) {
  std::string lines;
  const std::string text = registry.render();
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (line.rfind("secfeed_eventhub_consumer_lag{", 0) == 0) lines += line + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

TEST(ConsumerLagGauges, OneSeriesPerPartitionUpdatedAndRemovedOnRevoke) {
  metrics::Registry registry;
  {
    ConsumerLagGauges gauges("mdc", "defender-export", registry);
    EXPECT_EQ(lag_lines(registry), "");
    gauges.set(0, 12);
    gauges.set(1, 0);
    gauges.set(0, 7);
    EXPECT_EQ(lag_lines(registry),
              "secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"defender-export\","
              "partition=\"0\"} 7\n"
              "secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"defender-export\","
              "partition=\"1\"} 0\n");
    gauges.remove(0);
    gauges.remove(5);  // never reported: nothing to do
    EXPECT_EQ(lag_lines(registry),
              "secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"defender-export\","
              "partition=\"1\"} 0\n");
    gauges.set(0, 3);  // re-assigned later: a fresh series
    EXPECT_EQ(registry.value("secfeed_eventhub_consumer_lag",
                             {{"source", "mdc"}, {"topic", "defender-export"}, {"partition", "0"}}),
              3);
  }
  // Gone with the source: the registry never calls into a destroyed source.
  EXPECT_EQ(lag_lines(registry), "");
}

TEST(ConsumerLagGauges, RemoveAllDropsEverySeries) {
  metrics::Registry registry;
  ConsumerLagGauges gauges("mdc", "t", registry);
  gauges.set(0, 1);
  gauges.set(3, 2);
  gauges.remove_all();
  EXPECT_EQ(lag_lines(registry), "");
  gauges.set(3, 4);
  EXPECT_EQ(lag_lines(registry),
            "secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"t\",partition=\"3\"} 4\n");
}

}  // namespace
}  // namespace secfeed
