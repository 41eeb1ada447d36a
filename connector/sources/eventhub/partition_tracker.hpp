// Per-partition delivery tracking for the Event Hubs / Kafka source.
//
// Each assigned partition gets a PartitionState with a generation number. Messages are
// tagged with the generation current when they were fetched; after a revoke (and maybe
// a re-assign) messages of an old generation are skipped, so a partition this instance
// no longer owns is never committed from here. Offsets are committed strictly in order
// through OrderedCheckpoints: only past messages whose events every sink acknowledged.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "connector/core/ack.hpp"

namespace secfeed {

struct PartitionState {
  std::int32_t partition = 0;
  std::uint64_t generation = 0;
  // Checkpoint = the next offset to read (Kafka's commit convention: last + 1).
  OrderedCheckpoints<std::int64_t> offsets;
  std::int64_t committed = -1;  // last offset committed from here (-1: none yet)
};

class PartitionTracker {
 public:
  // Called on assignment: a fresh state (new generation) for each partition.
  void assign(const std::vector<std::int32_t>& partitions);
  // Called on revoke/lost: forgets the partitions; returns their states so the caller
  // can commit what was completed before giving them up.
  std::vector<std::shared_ptr<PartitionState>> revoke(const std::vector<std::int32_t>& partitions);
  std::vector<std::shared_ptr<PartitionState>> revoke_all();

  // The state if `partition` is still assigned with `generation`, else nullptr.
  std::shared_ptr<PartitionState> find(std::int32_t partition, std::uint64_t generation) const;
  std::uint64_t generation_of(std::int32_t partition) const;  // 0 = not assigned

  // Offsets that became committable since the last call, per partition.
  struct Commit {
    std::int32_t partition;
    std::int64_t offset;
  };
  std::vector<Commit> take_committable();
  static std::vector<Commit> take_committable(
      const std::vector<std::shared_ptr<PartitionState>>& states);

  std::size_t in_flight() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::int32_t, std::shared_ptr<PartitionState>> states_;
  std::uint64_t next_generation_ = 1;
};

}  // namespace secfeed
