#include "sinks/dead_letter_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace secfeed {

DeadLetterOutput::DeadLetterOutput(const std::string& path) {
  if (path == "-") {
    file_ = stdout;
  } else if (path == "stderr") {
    file_ = stderr;
  } else {
    // Dead letters hold original payloads: keep them private to the service user.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      error_ = "cannot open dead-letter file " + path + ": " + std::strerror(errno);
      return;
    }
    file_ = ::fdopen(fd, "a");
    owned_ = true;
  }
}

DeadLetterOutput::~DeadLetterOutput() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

void DeadLetterOutput::write(const DeadLetter& letter) {
  std::lock_guard lock(mutex_);
  if (file_ == nullptr) {
    write_errors_.fetch_add(1);
    return;
  }
  DeadLetter stamped = letter;
  if (stamped.time_ms == 0) {
    stamped.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  }
  line_.clear();
  encode_dead_letter(stamped, line_);
  line_ += '\n';
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size() ||
      std::fflush(file_) != 0) {
    write_errors_.fetch_add(1);
    std::fprintf(stderr, "secfeed: cannot write dead-letter record: %s\n", std::strerror(errno));
    return;
  }
  written_.fetch_add(1);
}

}  // namespace secfeed
