// End-to-end acknowledgement primitives (architecture: "Acknowledgement, end to end").
//
//   source batch --(AckGroup: one count per event x interested sink)--> sinks
//   each sink calls AckGroup::ack() when the event is delivered or durably buffered,
//   or when it is dead-lettered (handled: nothing left to retry);
//   when the count reaches zero the group's completion runs exactly once, and the
//   source marks the batch done in its OrderedCheckpoints, which only ever advances the
//   committed checkpoint across a contiguous prefix of completed batches. That is what
//   makes it safe: a fast later batch never commits past a slow earlier one.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace secfeed {

// Counts outstanding deliveries of one source batch. Thread-safe: sinks ack from their
// own threads (librdkafka delivery reports, Asio strands).
class AckGroup {
 public:
  using Completion = std::function<void()>;

  // `expected` may be zero: then completion runs on seal().
  explicit AckGroup(Completion on_complete) : on_complete_(std::move(on_complete)) {}

  // Adds `n` outstanding deliveries. Only before seal().
  void expect(std::int64_t n) { pending_.fetch_add(n, std::memory_order_relaxed); }

  // Called once the source has handed out every event of the batch: until then the
  // group cannot complete even if every delivery so far has been acked.
  void seal() { release(1); }

  // One delivery done (delivered, durably buffered, or dead-lettered).
  void ack(std::int64_t n = 1) { release(n); }

  // Outstanding deliveries, plus one until sealed.
  std::int64_t pending() const { return pending_.load(std::memory_order_acquire); }

 private:
  void release(std::int64_t n) {
    // The +1 held by the constructor is the "not yet sealed" hold.
    if (pending_.fetch_sub(n, std::memory_order_acq_rel) == n && on_complete_) {
      Completion done = std::move(on_complete_);
      done();
    }
  }

  std::atomic<std::int64_t> pending_{1};
  Completion on_complete_;
};

// A shared handle sinks carry with each event they still have to deliver.
using AckHandle = std::shared_ptr<AckGroup>;

// In-order checkpoint commit for one stream (a Kafka partition, a Graph tenant+source).
// begin() registers a batch with the checkpoint it reaches when delivered; complete()
// marks it done; committable() returns the checkpoint of the longest completed prefix
// not yet returned. Thread-safe.
template <class Checkpoint>
class OrderedCheckpoints {
 public:
  using Ticket = std::uint64_t;

  Ticket begin(Checkpoint checkpoint) {
    std::lock_guard lock(mutex_);
    entries_.push_back(Entry{next_ticket_, std::move(checkpoint), false});
    return next_ticket_++;
  }

  void complete(Ticket ticket) {
    std::lock_guard lock(mutex_);
    if (entries_.empty() || ticket < entries_.front().ticket) return;  // already gone
    const std::size_t index = static_cast<std::size_t>(ticket - entries_.front().ticket);
    if (index < entries_.size()) entries_[index].done = true;
    while (!entries_.empty() && entries_.front().done) {
      ready_ = std::move(entries_.front().checkpoint);
      entries_.pop_front();
    }
  }

  // The newest checkpoint that is safe to commit, once (then nullopt until it moves).
  std::optional<Checkpoint> committable() {
    std::lock_guard lock(mutex_);
    std::optional<Checkpoint> out = std::move(ready_);
    ready_.reset();
    return out;
  }

  // Batches handed out but not yet fully delivered (the at-least-once replay window).
  std::size_t in_flight() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

  // Drops every pending batch (e.g. a revoked Kafka partition): their events may still
  // be delivered, but nothing past the last completed prefix will be committed.
  void abandon() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  struct Entry {
    Ticket ticket;
    Checkpoint checkpoint;
    bool done;
  };
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
  std::optional<Checkpoint> ready_;
  Ticket next_ticket_ = 0;
};

}  // namespace secfeed
