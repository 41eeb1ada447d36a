// Where rejected records and undeliverable messages go: a JSON-lines file (or stdout/
// stderr), one encode_dead_letter() record per line, flushed per write. Writing is
// synchronous and small; an error writing the dead-letter file is reported on stderr and
// counted, and the record is still acked (there is nowhere further to put it: the count
// is what an operator alerts on).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "connector/core/dead_letter.hpp"

namespace secfeed {

class DeadLetterOutput {
 public:
  // `path`: a file (appended, created 0600), "-" for stdout, "stderr" for stderr.
  explicit DeadLetterOutput(const std::string& path);
  ~DeadLetterOutput();
  DeadLetterOutput(const DeadLetterOutput&) = delete;
  DeadLetterOutput& operator=(const DeadLetterOutput&) = delete;

  bool ok() const { return file_ != nullptr; }
  const std::string& error() const { return error_; }
  void write(const DeadLetter& letter);

  std::uint64_t written() const { return written_.load(); }
  std::uint64_t write_errors() const { return write_errors_.load(); }

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string error_;
  std::string line_;
  std::atomic<std::uint64_t> written_{0}, write_errors_{0};
};

}  // namespace secfeed
