#include "sinks/file/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "connector/core/log.hpp"

namespace secfeed {

FileSink::FileSink(Executor executor, SinkOptions options, FileSinkOptions file_options,
                   DeadLetterOutput* dead_letters)
    : Sink(executor, std::move(options), dead_letters),
      file_options_(std::move(file_options)),
      last_sync_(std::chrono::steady_clock::now()) {}

FileSink::~FileSink() {
  if (fd_ > STDERR_FILENO) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
}

bool FileSink::open_file(std::string& error) {
  if (fd_ >= 0) return true;
  if (file_options_.path == "-") {
    fd_ = STDOUT_FILENO;
    return true;
  }
  // Read access too: the partial-line check reads the tail.
  fd_ = ::open(file_options_.path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) {
    error = "cannot open " + file_options_.path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    is_regular_ = S_ISREG(st.st_mode);
    size_ = static_cast<std::uint64_t>(st.st_size);
  }
  if (is_regular_ && size_ > 0) drop_partial_last_line();
  return true;
}

// A crash (kill -9, power loss) in the middle of a write can leave a partial last
// line. It was never acknowledged, so it will be written again: cut it, rather than
// glue the next line onto it.
void FileSink::drop_partial_last_line() {
  char last = '\n';
  if (::pread(fd_, &last, 1, static_cast<off_t>(size_ - 1)) != 1 || last == '\n') return;
  std::uint64_t end = size_;
  char chunk[4096];
  while (end > 0) {
    const std::uint64_t start = end > sizeof chunk ? end - sizeof chunk : 0;
    const ssize_t n = ::pread(fd_, chunk, end - start, static_cast<off_t>(start));
    if (n <= 0) return;
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (chunk[i] == '\n') {
        end = start + static_cast<std::uint64_t>(i) + 1;
        if (::ftruncate(fd_, static_cast<off_t>(end)) == 0) {
          log_warn("file", name() + ": removed a partial last line (" +
                               std::to_string(size_ - end) + " bytes) left by a crash in " +
                               file_options_.path);
          size_ = end;
        }
        return;
      }
    }
    end = start;
  }
  if (::ftruncate(fd_, 0) == 0) size_ = 0;  // one partial line and nothing else
}

bool FileSink::rotate(std::string& error) {
  ::fdatasync(fd_);
  ::close(fd_);
  fd_ = -1;
  const std::string& base = file_options_.path;
  // path.N-1 -> path.N ... path -> path.1; the oldest falls off the end.
  for (unsigned i = file_options_.rotate_max_files; i > 1; --i) {
    std::rename((base + "." + std::to_string(i - 1)).c_str(),
                (base + "." + std::to_string(i)).c_str());
  }
  if (file_options_.rotate_max_files > 0)
    std::rename(base.c_str(), (base + ".1").c_str());
  else
    ::unlink(base.c_str());
  size_ = 0;
  return open_file(error);
}

boost::asio::awaitable<DeliveryResult> FileSink::deliver(std::span<SinkMessage> batch) {
  DeliveryResult result;
  if (!open_file(result.error)) co_return result;
  buffer_.clear();
  for (const SinkMessage& message : batch) {
    buffer_ += message.bytes;
    buffer_ += '\n';
  }
  if (is_regular_ && file_options_.rotate_max_bytes != 0 && size_ > 0 &&
      size_ + buffer_.size() > file_options_.rotate_max_bytes && !rotate(result.error)) {
    co_return result;
  }
  std::size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      result.error = "write " + file_options_.path + ": " + std::strerror(n < 0 ? errno : EIO);
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  // Count whole lines written; cut a partial line so the retry does not follow garbage.
  std::size_t whole = 0, line_end = 0;
  for (const SinkMessage& message : batch) {
    if (line_end + message.bytes.size() + 1 > written) break;
    line_end += message.bytes.size() + 1;
    ++whole;
  }
  if (written != line_end && is_regular_) {
    if (::ftruncate(fd_, static_cast<off_t>(size_ + line_end)) != 0) {
      result.error += "; truncating the partial line failed";
    }
  }
  size_ += line_end;
  result.delivered = whole;
  const auto now = std::chrono::steady_clock::now();
  if (is_regular_ && now - last_sync_ >= file_options_.fsync_interval) {
    ::fdatasync(fd_);
    last_sync_ = now;
  }
  co_return result;
}

}  // namespace secfeed
