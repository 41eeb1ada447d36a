// The disk buffer's write-ahead log: an append-only queue of SinkMessages in segment
// files under one directory, with the read position in a file beside them.
//
//   <path>/00000000000000000001.seg ...   records (record_format.hpp), appended in order
//   <path>/read-position                  next undelivered record (position_file.hpp)
//   <path>/lock                           flock: one process per buffer directory
//
// Durability: append() only writes (into the kernel); sync() makes everything appended
// so far durable with one fdatasync per touched segment (plus the directory after a new
// segment): group commit, so a burst of appends costs one disk flush, not one each. The
// caller (DiskBuffer) acks a message to its source only after the sync() that covered
// it. read() hands out durable records only, so the stored read position never points
// past data a power loss could take back.
//
// Delivery: read() returns the next records; consume(n) marks the first n of them
// delivered (the rest is read again next time). sync() stores the delivered position
// and deletes segments delivered completely.
//
// Damage (a crash mid-write, a flipped bit): every record carries magic, length and
// CRC. open() scans every segment; a damaged region is skipped (reading resumes at the
// next intact record), a damaged tail is cut off; each is counted in
// secfeed_buffer_corrupt_records_total and logged, never fatal.
//
// Full (bytes on disk + the new record > max_size): append() returns `full` (the caller
// waits: backpressure), or with drop_oldest deletes the oldest segments, counting their
// undelivered records in secfeed_buffer_dropped_total.
//
// Thread-safe: one mutex; sync() holds it only around the bookkeeping, not the flushes.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connector/core/metrics.hpp"
#include "sinks/buffer/position_file.hpp"
#include "sinks/sink.hpp"

namespace secfeed::buffer {

struct DiskQueueOptions {
  std::string path;  // directory, created if missing
  std::string name;  // the sink's name: metric label and log prefix
  std::uint64_t max_size = 1ull << 30;
  bool drop_oldest = false;        // when full; default: append() reports `full`
  std::uint64_t segment_size = 0;  // 0: max_size / 8, at most 16 MiB
};

// Where a record starts: segment id, byte offset, and how many records precede it in
// the segment (for exact record counts).
struct QueuePosition {
  std::uint64_t segment = 0;
  std::uint64_t offset = 0;
  std::uint64_t ordinal = 0;
};

class DiskQueue {
 public:
  enum class Append { ok, full, too_large, io_error };

  static std::unique_ptr<DiskQueue> open(const DiskQueueOptions& options, std::string& error);
  ~DiskQueue();
  DiskQueue(const DiskQueue&) = delete;
  DiskQueue& operator=(const DiskQueue&) = delete;

  // Writes one record (not yet durable). `sequence` is its number (1, 2, ... since
  // open), which sync() reports once it is durable.
  Append append(const SinkMessage& message, std::uint64_t& sequence, std::string& error);

  // Flushes what was appended, stores the delivered position, deletes delivered
  // segments. `durable` = the sequence number up to which every append is durable.
  bool sync(std::uint64_t& durable, std::string& error);

  // Up to max_events / max_bytes (at least one record) durable records after the last
  // read; returns how many were added to `out`.
  std::size_t read(std::vector<SinkMessage>& out, std::size_t max_events, std::size_t max_bytes);
  // The first `n` records of the last read() are delivered; the rest are read again.
  void consume(std::size_t n);

  std::uint64_t bytes() const;    // segment files on disk
  std::uint64_t records() const;  // undelivered records
  std::uint64_t segments() const;
  std::uint64_t segment_size() const { return segment_size_; }
  std::uint64_t corrupt_records() const;  // since open
  std::uint64_t dropped() const;          // since open

 private:
  struct Hole {
    std::uint64_t begin, end;
  };
  struct Segment {
    std::uint64_t id = 0;
    std::uint64_t size = 0;
    std::uint64_t records = 0;
    std::vector<Hole> holes;  // damaged regions found (already counted)
  };
  enum class Check { ok, truncated, bad_magic, bad_length, bad_crc, bad_payload };

  explicit DiskQueue(const DiskQueueOptions& options);
  bool open_directory(std::string& error);
  bool recover(std::string& error);
  void scan_segment(int fd, Segment& segment, const std::string& path, std::uint64_t* start_at,
                    std::uint64_t* ordinal_at);
  Check check_record(int fd, std::uint64_t offset, std::uint64_t limit, std::string& payload,
                     SinkMessage& message);
  std::uint64_t resync(int fd, std::uint64_t from, std::uint64_t limit);
  static const char* describe(Check check);
  void report_damage(const std::string& path, std::uint64_t offset, Check check,
                     std::uint64_t resumed_at, bool truncated);

  bool rotate(std::string& error);
  bool room_for(std::uint64_t need) const;
  void drop_oldest_segment();
  Segment* find(std::uint64_t id);
  const Segment* find(std::uint64_t id) const;
  QueuePosition normalized(QueuePosition position) const;
  std::uint64_t readable_end(const Segment& segment) const;
  int read_fd(std::uint64_t id);
  std::string segment_path(std::uint64_t id) const;
  std::uint64_t count_undelivered() const;
  void update_gauges();

  DiskQueueOptions options_;
  std::uint64_t segment_size_;
  mutable std::mutex mutex_;
  std::deque<Segment> segments_;  // by id; the last one is appended to
  int lock_fd_ = -1, dir_fd_ = -1, write_fd_ = -1;
  std::vector<int> unsynced_fds_;  // rotated segments not flushed yet
  bool dir_dirty_ = false;
  std::uint64_t appended_ = 0, durable_ = 0;
  QueuePosition durable_end_;  // records before this are durable
  QueuePosition delivered_;    // next undelivered record
  QueuePosition cursor_;       // next record read() returns
  std::vector<QueuePosition> read_ends_;
  bool position_dirty_ = false;
  PositionFile position_file_;
  std::uint64_t bytes_ = 0, undelivered_ = 0, corrupt_ = 0, dropped_ = 0;
  int cached_read_fd_ = -1;
  std::uint64_t cached_read_id_ = 0;
  std::string append_scratch_, read_scratch_;
  // drop_oldest logging: at most one line per interval, with the count since the last.
  std::chrono::steady_clock::time_point last_drop_log_{};
  std::uint64_t drops_unlogged_ = 0;

  metrics::Gauge* bytes_gauge_;
  metrics::Gauge* records_gauge_;
  metrics::Counter* corrupt_counter_;
  metrics::Counter* dropped_counter_;
};

}  // namespace secfeed::buffer
