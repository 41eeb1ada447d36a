// The pipeline between sources and sinks: per-sink filter, encoding in the sink's
// format, acknowledgement bookkeeping, and dead-lettering of rejected records.
//
// Sources call dispatch() with a normalized batch and the batch's AckGroup; the group
// expects one ack per (event, sink that accepted it), so the source's checkpoint moves
// only when every interested sink has delivered (or dead-lettered) every event.
// Events are encoded here, on the source's coroutine, into bytes the sink owns: no
// Event outlives its batch (see docs/architecture.md).
//
// Threading: the pipeline and its sinks run on one strand; sources co_await dispatch()
// from there too. librdkafka threads hand their work over to that strand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connector/core/ack.hpp"
#include "connector/core/dead_letter.hpp"
#include "connector/core/event.hpp"
#include "sinks/dead_letter_output.hpp"
#include "sinks/sink.hpp"

namespace secfeed {

struct PipelineStats {
  std::atomic<std::uint64_t> events_in{0}, records_rejected{0}, unencodable{0};
};

class Pipeline {
 public:
  Pipeline(boost::asio::any_io_executor executor, DeadLetterOutput& dead_letters);
  ~Pipeline();

  void add_sink(std::unique_ptr<Sink> sink);
  const std::vector<std::unique_ptr<Sink>>& sinks() const { return sinks_; }
  DeadLetterOutput& dead_letters() { return dead_letters_; }
  const PipelineStats& stats() const { return stats_; }

  // Hands every event to every sink whose filter accepts it (waiting for queue space).
  // Does not seal `group`: the source seals it after its last dispatch for the batch.
  boost::asio::awaitable<void> dispatch(const EventBatch& batch, const AckHandle& group);

  // A record that could not be normalized: written to the dead-letter output. It is
  // handled (nothing would change on a retry), so it does not hold back the checkpoint.
  void reject(const DeadLetter& letter);

  // Starts every sink's delivery loop.
  void start();
  // Closes every sink's queue and waits until each has delivered what it holds.
  boost::asio::awaitable<void> stop();

 private:
  boost::asio::any_io_executor executor_;
  DeadLetterOutput& dead_letters_;
  std::vector<std::unique_ptr<Sink>> sinks_;
  PipelineStats stats_;
  std::string scratch_;  // dispatch() encodes here (no co_await while in use)
  std::size_t running_ = 0;
  boost::asio::steady_timer all_stopped_;
};

}  // namespace secfeed
