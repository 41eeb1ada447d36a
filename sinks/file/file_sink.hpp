// `file` sink: one encoded event per line to a file or stdout, with size-based rotation
// and fdatasync on an interval. Acks after the write() returned (the data is in the
// kernel; a process crash loses nothing, a power loss at most one fsync interval).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sinks/sink.hpp"

namespace secfeed {

struct FileSinkOptions {
  std::string path = "-";              // "-" = stdout
  std::uint64_t rotate_max_bytes = 0;  // 0 = never rotate
  unsigned rotate_max_files = 5;       // path.1 .. path.N kept
  std::chrono::milliseconds fsync_interval{1000};
};

class FileSink : public Sink {
 public:
  FileSink(Executor executor, SinkOptions options, FileSinkOptions file_options,
           DeadLetterOutput* dead_letters);
  ~FileSink() override;

 protected:
  boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) override;

 private:
  bool open_file(std::string& error);
  bool rotate(std::string& error);
  void drop_partial_last_line();

  FileSinkOptions file_options_;
  int fd_ = -1;
  bool is_regular_ = false;
  std::uint64_t size_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
  std::string buffer_;
};

}  // namespace secfeed
