#include "connector/sources/eventhub/partition_tracker.hpp"

namespace secfeed {

void PartitionTracker::assign(const std::vector<std::int32_t>& partitions) {
  std::lock_guard lock(mutex_);
  for (std::int32_t p : partitions) {
    auto state = std::make_shared<PartitionState>();
    state->partition = p;
    state->generation = next_generation_++;
    states_[p] = std::move(state);
  }
}

std::vector<std::shared_ptr<PartitionState>> PartitionTracker::revoke(
    const std::vector<std::int32_t>& partitions) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<PartitionState>> out;
  for (std::int32_t p : partitions) {
    auto it = states_.find(p);
    if (it == states_.end()) continue;
    out.push_back(std::move(it->second));
    states_.erase(it);
  }
  return out;
}

std::vector<std::shared_ptr<PartitionState>> PartitionTracker::revoke_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<PartitionState>> out;
  for (auto& [p, state] : states_) out.push_back(std::move(state));
  states_.clear();
  return out;
}

std::shared_ptr<PartitionState> PartitionTracker::find(std::int32_t partition,
                                                       std::uint64_t generation) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(partition);
  if (it == states_.end() || it->second->generation != generation) return nullptr;
  return it->second;
}

std::uint64_t PartitionTracker::generation_of(std::int32_t partition) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(partition);
  return it == states_.end() ? 0 : it->second->generation;
}

std::vector<PartitionTracker::Commit> PartitionTracker::take_committable(
    const std::vector<std::shared_ptr<PartitionState>>& states) {
  std::vector<Commit> out;
  for (const auto& state : states) {
    if (std::optional<std::int64_t> offset = state->offsets.committable()) {
      state->committed = *offset;
      out.push_back(Commit{state->partition, *offset});
    }
  }
  return out;
}

std::vector<PartitionTracker::Commit> PartitionTracker::take_committable() {
  std::vector<std::shared_ptr<PartitionState>> states;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [p, state] : states_) states.push_back(state);
  }
  return take_committable(states);
}

std::size_t PartitionTracker::in_flight() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [p, state] : states_) total += state->offsets.in_flight();
  return total;
}

}  // namespace secfeed
