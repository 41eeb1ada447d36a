#include "connector/sources/eventhub/consumer_lag.hpp"

#include <algorithm>
#include <utility>

namespace secfeed {

std::optional<std::int64_t> consumer_lag(std::int64_t low_watermark, std::int64_t high_watermark,
                                         std::int64_t position) {
  // Negative values are librdkafka's logical offsets (INVALID, BEGINNING, END, ...).
  if (high_watermark < 0) return std::nullopt;
  if (low_watermark >= 0 && low_watermark == high_watermark) return 0;
  if (position < 0) return std::nullopt;
  return std::max<std::int64_t>(0, high_watermark - position);
}

ConsumerLagGauges::ConsumerLagGauges(std::string source, std::string topic,
                                     metrics::Registry& registry)
    : source_(std::move(source)), topic_(std::move(topic)), registry_(registry) {}

ConsumerLagGauges::~ConsumerLagGauges() {
  remove_all();
}

void ConsumerLagGauges::set(std::int32_t partition, std::int64_t lag) {
  auto& series = series_[partition];
  if (!series) {
    series = std::make_shared<Series>();
    series->lag.store(lag);  // before the series is visible: never a spurious 0
    registry_.gauge_callback(
        "secfeed_eventhub_consumer_lag",
        "Messages in the partition not yet read by this consumer (high watermark - position).",
        {{"source", source_}, {"topic", topic_}, {"partition", std::to_string(partition)}},
        [series = series] { return static_cast<double>(series->lag.load()); }, series.get());
  }
  series->lag.store(lag);
}

void ConsumerLagGauges::remove(std::int32_t partition) {
  const auto it = series_.find(partition);
  if (it == series_.end()) return;
  registry_.remove_callbacks(it->second.get());
  series_.erase(it);
}

void ConsumerLagGauges::remove_all() {
  for (const auto& [partition, series] : series_) registry_.remove_callbacks(series.get());
  series_.clear();
}

}  // namespace secfeed
