// Counts what secfeed-kafka-consume-count received: per partition, duplicates by key
// and by payload hash, and holes in the offsets (data the broker no longer had).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace secfeed::testkafka {

class MessageTally {
 public:
  struct PartitionStats {
    int64_t count = 0;
    int64_t first_offset = -1;
    int64_t last_offset = -1;
    // Offsets skipped between consecutive messages, e.g. after OFFSET_OUT_OF_RANGE
    // made the consumer jump ahead. A start above 0 is visible in first_offset.
    int64_t gap_offsets = 0;
  };

  void add(int32_t partition, int64_t offset, std::optional<std::string_view> key,
           std::string_view payload);

  int64_t total() const { return total_; }
  int64_t keyed() const { return keyed_; }
  int64_t duplicate_keys() const { return duplicate_keys_; }
  // Payloads equal (by 64-bit hash) to an earlier one.
  int64_t duplicate_payloads() const { return duplicate_payloads_; }
  int64_t gap_offsets() const;
  const std::map<int32_t, PartitionStats>& partitions() const { return partitions_; }

  // The report, one "name value" fact per line:
  //   total 5000
  //   partition 0 count=1250 first=0 last=1249 gaps=0
  //   keyed 0
  //   duplicate_keys 0
  //   duplicate_payloads 0
  //   gap_offsets 0
  void print(std::FILE* out) const;

 private:
  int64_t total_ = 0;
  int64_t keyed_ = 0;
  int64_t duplicate_keys_ = 0;
  int64_t duplicate_payloads_ = 0;
  std::map<int32_t, PartitionStats> partitions_;
  std::unordered_set<uint64_t> payload_hashes_;
  std::unordered_set<std::string> keys_;
};

}  // namespace secfeed::testkafka
