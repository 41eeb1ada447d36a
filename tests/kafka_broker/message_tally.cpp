#include "tests/kafka_broker/message_tally.hpp"

#include <cinttypes>
#include <functional>

namespace secfeed::testkafka {

void MessageTally::add(int32_t partition, int64_t offset, std::optional<std::string_view> key,
                       std::string_view payload) {
  ++total_;
  PartitionStats& stats = partitions_[partition];
  if (stats.count == 0) {
    stats.first_offset = offset;
  } else if (offset > stats.last_offset + 1) {
    stats.gap_offsets += offset - stats.last_offset - 1;
  }
  ++stats.count;
  stats.last_offset = offset;

  // Storing 64-bit hashes, not payloads, keeps millions of messages cheap; a false
  // duplicate needs a hash collision (~1e-8 at a million messages).
  if (!payload_hashes_.insert(std::hash<std::string_view>{}(payload)).second) {
    ++duplicate_payloads_;
  }
  if (key) {
    ++keyed_;
    if (!keys_.emplace(*key).second) ++duplicate_keys_;
  }
}

int64_t MessageTally::gap_offsets() const {
  int64_t gaps = 0;
  for (const auto& [partition, stats] : partitions_) gaps += stats.gap_offsets;
  return gaps;
}

void MessageTally::print(std::FILE* out) const {
  std::fprintf(out, "total %" PRId64 "\n", total_);
  for (const auto& [partition, stats] : partitions_) {
    std::fprintf(out,
                 "partition %" PRId32 " count=%" PRId64 " first=%" PRId64 " last=%" PRId64
                 " gaps=%" PRId64 "\n",
                 partition, stats.count, stats.first_offset, stats.last_offset, stats.gap_offsets);
  }
  std::fprintf(out, "keyed %" PRId64 "\n", keyed_);
  std::fprintf(out, "duplicate_keys %" PRId64 "\n", duplicate_keys_);
  std::fprintf(out, "duplicate_payloads %" PRId64 "\n", duplicate_payloads_);
  std::fprintf(out, "gap_offsets %" PRId64 "\n", gap_offsets());
}

}  // namespace secfeed::testkafka
