// A sink's disk buffer (`buffer: {type: disk}`): the asynchronous side of DiskQueue,
// used by the Sink base instead of its in-memory channel.
//
//   enqueue -> push(): append to the WAL; the message's AckHandle is acked once a
//              group commit (fdatasync on the sync thread) covered it, i.e. "durably
//              buffered": the source may commit, even while the sink is down.
//   run()   -> pop(): durable records, in order; consumed(n) after delivery moves the
//              stored read position (also written by the sync thread).
//
// One sync thread per buffer does every flush, so no fdatasync blocks the io_context;
// while it flushes, further appends gather for the next flush (group commit).
// push(), pop(), consumed(), pause() and close() run on the sink's executor (one
// strand, as the pipeline's); the thread hands its results back there.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sinks/buffer/disk_queue.hpp"

namespace secfeed {

class DiskBuffer {
 public:
  using Executor = boost::asio::any_io_executor;

  static std::unique_ptr<DiskBuffer> open(Executor executor,
                                          const buffer::DiskQueueOptions& options,
                                          std::string& error);
  ~DiskBuffer();  // flushes, stores the read position, stops the sync thread
  DiskBuffer(const DiskBuffer&) = delete;
  DiskBuffer& operator=(const DiskBuffer&) = delete;

  // Buffers the message; its ack handle is acked once it is durable. Waits while the
  // buffer is full (when_full: block) or the disk fails (retrying each second). Returns
  // "" or why the message can never be buffered (the caller dead-letters it).
  boost::asio::awaitable<std::string> push(const SinkMessage& message);

  // Waits for buffered records, then fills `batch` (cleared first); with `max_wait`,
  // waits that long once for a fuller batch. false once closed.
  boost::asio::awaitable<bool> pop(std::vector<SinkMessage>& batch, std::size_t max_events,
                                   std::size_t max_bytes, std::chrono::milliseconds max_wait);
  // The first `handled` messages of the last pop() are delivered (or dead-lettered).
  void consumed(std::size_t handled);

  // Sleeps (a retry backoff); cut short by close(). false once closed.
  boost::asio::awaitable<bool> pause(std::chrono::milliseconds duration);

  // Waits until everything pushed is durable and acked, then ends pop() and pause():
  // what is undelivered stays in the buffer for the next start.
  boost::asio::awaitable<void> close();
  bool closed() const { return closed_; }

  std::uint64_t records() const { return queue_->records(); }
  const buffer::DiskQueue& queue() const { return *queue_; }

 private:
  struct Waiting {
    std::uint64_t sequence;
    AckHandle ack;
  };
  // What the sync thread shares with the executor side; posted results hold it weakly.
  struct Shared;

  DiskBuffer(Executor executor, std::unique_ptr<buffer::DiskQueue> queue);
  void wake_sync_thread();
  void sync_loop();
  void on_synced(std::uint64_t durable);
  boost::asio::awaitable<void> wait_for_change();

  Executor executor_;
  std::unique_ptr<buffer::DiskQueue> queue_;
  std::shared_ptr<Shared> shared_;
  // Executor side.
  std::deque<Waiting> waiting_;  // acks waiting for durability, by sequence
  std::uint64_t appended_ = 0, durable_ = 0;
  bool closed_ = false;
  boost::asio::steady_timer changed_;  // never expires; cancel() wakes every waiter
  boost::asio::steady_timer pause_;
  // Sync thread side.
  std::mutex mutex_;
  std::condition_variable wake_;
  bool work_ = false, stop_ = false;
  std::thread thread_;
};

}  // namespace secfeed
