#include "sinks/buffer/disk_queue.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "connector/core/log.hpp"
#include "sinks/buffer/record_format.hpp"

namespace secfeed::buffer {
namespace {

constexpr const char* kComponent = "buffer";
constexpr std::uint64_t kMaxSegmentSize = 16ull << 20;
constexpr std::uint64_t kMinSegmentSize = 4ull << 10;
constexpr std::size_t kResyncWindow = 64 << 10;
constexpr auto kDropLogInterval = std::chrono::seconds(10);
constexpr const char* kSegmentSuffix = ".seg";
constexpr std::size_t kSegmentDigits = 20;

std::string errno_text() {
  return std::strerror(errno);
}

bool before(const QueuePosition& a, const QueuePosition& b) {
  return a.segment != b.segment ? a.segment < b.segment : a.offset < b.offset;
}

// "00000000000000000042.seg" -> 42; anything else -> 0 (not a segment).
std::uint64_t segment_id(const std::string& file_name) {
  if (file_name.size() != kSegmentDigits + std::strlen(kSegmentSuffix) ||
      !file_name.ends_with(kSegmentSuffix)) {
    return 0;
  }
  std::uint64_t id = 0;
  for (std::size_t i = 0; i < kSegmentDigits; ++i) {
    const char c = file_name[i];
    if (c < '0' || c > '9') return 0;
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return id;
}

bool read_exact(int fd, char* out, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
    out += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

DiskQueue::DiskQueue(const DiskQueueOptions& options)
    : options_(options),
      segment_size_(
          options.segment_size != 0
              ? options.segment_size
              : std::min(options.max_size,
                         std::clamp(options.max_size / 8, kMinSegmentSize, kMaxSegmentSize))) {
  metrics::Registry& registry = metrics::Registry::global();
  const metrics::Labels labels{{"sink", options.name}};
  bytes_gauge_ = &registry.gauge("secfeed_buffer_bytes",
                                 "Bytes of the sink's disk buffer segment files", labels);
  records_gauge_ = &registry.gauge("secfeed_buffer_records",
                                   "Undelivered records in the sink's disk buffer", labels);
  corrupt_counter_ = &registry.counter(
      "secfeed_buffer_corrupt_records_total",
      "Damaged disk buffer regions skipped (a record cut short or altered)", labels);
  dropped_counter_ = &registry.counter(
      "secfeed_buffer_dropped_total",
      "Undelivered records deleted from a full disk buffer (when_full: drop_oldest)", labels);
}

DiskQueue::~DiskQueue() {
  for (int fd : unsynced_fds_) ::close(fd);
  for (int fd : {write_fd_, dir_fd_, cached_read_fd_, lock_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

std::unique_ptr<DiskQueue> DiskQueue::open(const DiskQueueOptions& options, std::string& error) {
  std::unique_ptr<DiskQueue> queue(new DiskQueue(options));
  if (!queue->open_directory(error) || !queue->recover(error)) return nullptr;
  return queue;
}

std::string DiskQueue::segment_path(std::uint64_t id) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020" PRIu64 "%s", id, kSegmentSuffix);
  return options_.path + "/" + name;
}

bool DiskQueue::open_directory(std::string& error) {
  const std::string prefix = "sink " + options_.name + ": disk buffer " + options_.path + ": ";
  std::error_code ec;
  std::filesystem::create_directories(options_.path, ec);
  if (ec) {
    error = prefix + "cannot create the directory: " + ec.message();
    return false;
  }
  lock_fd_ = ::open((options_.path + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    error = prefix + "cannot open the lock file: " + errno_text();
    return false;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    error = prefix + "in use by another process (or another sink with the same path)";
    return false;
  }
  dir_fd_ = ::open(options_.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) {
    error = prefix + "cannot open the directory: " + errno_text();
    return false;
  }
  if (!position_file_.open(options_.path + "/read-position", error)) {
    error = prefix + error;
    return false;
  }
  return true;
}

bool DiskQueue::recover(std::string& error) {
  bool position_damaged = false;
  const StoredPosition stored = position_file_.load(position_damaged).value_or(StoredPosition{});
  if (position_damaged) {
    log_warn(kComponent, "sink " + options_.name + ": disk buffer " + options_.path +
                             ": read position unreadable; delivering from the oldest record "
                             "(duplicates possible)");
  }
  std::vector<std::uint64_t> ids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.path, ec)) {
    if (const std::uint64_t id = segment_id(entry.path().filename().string()); id != 0) {
      ids.push_back(id);
    }
  }
  if (ec) {
    error = "sink " + options_.name + ": disk buffer " + options_.path + ": " + ec.message();
    return false;
  }
  std::sort(ids.begin(), ids.end());
  for (std::uint64_t id : ids) {
    const std::string path = segment_path(id);
    if (id < stored.segment) {  // delivered; its deletion was cut short by a stop
      ::unlink(path.c_str());
      continue;
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      error = "sink " + options_.name + ": cannot open " + path + ": " + errno_text();
      return false;
    }
    struct stat st {};
    ::fstat(fd, &st);
    Segment segment;
    segment.id = id;
    segment.size = static_cast<std::uint64_t>(st.st_size);
    std::uint64_t start_at = stored.offset, ordinal = 0;
    const bool holds_position = id == stored.segment;
    scan_segment(fd, segment, path, holds_position ? &start_at : nullptr,
                 holds_position ? &ordinal : nullptr);
    ::close(fd);
    if (holds_position) delivered_ = QueuePosition{id, start_at, ordinal};
    segments_.push_back(std::move(segment));
  }
  if (segments_.empty()) {
    const std::uint64_t id = std::max<std::uint64_t>(stored.segment, 1);
    write_fd_ = ::open(segment_path(id).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    segments_.push_back(Segment{id, 0, 0, {}});
    dir_dirty_ = true;
  } else {
    write_fd_ = ::open(segment_path(segments_.back().id).c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  }
  if (write_fd_ < 0) {
    error = "sink " + options_.name + ": cannot open " + segment_path(segments_.back().id) + ": " +
            errno_text();
    return false;
  }
  if (delivered_.segment < segments_.front().id) {
    // The stored position's segment is gone (or there was none): start at the oldest.
    delivered_ = QueuePosition{segments_.front().id, 0, 0};
  }
  delivered_ = normalized(delivered_);
  cursor_ = delivered_;
  durable_end_ = QueuePosition{segments_.back().id, segments_.back().size, 0};
  for (const Segment& segment : segments_) bytes_ += segment.size;
  undelivered_ = count_undelivered();
  update_gauges();
  if (undelivered_ > 0 || corrupt_ > 0) {
    log_info(kComponent, "sink " + options_.name + ": disk buffer " + options_.path + ": " +
                             std::to_string(undelivered_) + " undelivered records (" +
                             std::to_string(bytes_) + " bytes in " +
                             std::to_string(segments_.size()) + " segments) to deliver; " +
                             std::to_string(corrupt_) + " damaged regions skipped");
  }
  return true;
}

// Counts the segment's records, skips damaged regions (recorded as holes) and cuts a
// damaged tail. With `start_at`, also finds the first record at or after *start_at
// (the stored read position) and how many records precede it.
void DiskQueue::scan_segment(int fd, Segment& segment, const std::string& path,
                             std::uint64_t* start_at, std::uint64_t* ordinal_at) {
  SinkMessage scratch_message;
  std::string payload;
  std::uint64_t offset = 0;
  bool start_found = start_at == nullptr;
  while (offset < segment.size) {
    if (!start_found && offset >= *start_at) {
      *start_at = offset;
      *ordinal_at = segment.records;
      start_found = true;
    }
    const Check check = check_record(fd, offset, segment.size, payload, scratch_message);
    if (check == Check::ok) {
      ++segment.records;
      offset += kRecordHeaderSize + payload.size();
      continue;
    }
    ++corrupt_;
    corrupt_counter_->inc();
    if (check == Check::bad_payload) {  // intact framing: skip exactly this record
      const std::uint64_t next = offset + kRecordHeaderSize + payload.size();
      report_damage(path, offset, check, next, false);
      segment.holes.push_back(Hole{offset, next});
      offset = next;
      continue;
    }
    const std::uint64_t next = resync(fd, offset + 1, segment.size);
    if (next >= segment.size) {
      // Nothing intact follows: a write cut short (crash, power loss). Cut it off so
      // appends continue on a clean end.
      report_damage(path, offset, check, offset, true);
      if (::ftruncate(fd, static_cast<off_t>(offset)) == 0) ::fdatasync(fd);
      segment.size = offset;
      break;
    }
    report_damage(path, offset, check, next, false);
    segment.holes.push_back(Hole{offset, next});
    offset = next;
  }
  if (!start_found) {
    *start_at = segment.size;
    *ordinal_at = segment.records;
  }
}

DiskQueue::Check DiskQueue::check_record(int fd, std::uint64_t offset, std::uint64_t limit,
                                         std::string& payload, SinkMessage& message) {
  payload.clear();
  if (offset + kRecordHeaderSize > limit) return Check::truncated;
  char header_bytes[kRecordHeaderSize];
  if (!read_exact(fd, header_bytes, kRecordHeaderSize, offset)) return Check::truncated;
  const RecordHeader header = parse_header(header_bytes);
  if (header.magic != kRecordMagic) return Check::bad_magic;
  if (header.length > kMaxRecordPayload || offset + kRecordHeaderSize + header.length > limit) {
    return Check::bad_length;
  }
  payload.resize(header.length);
  if (!read_exact(fd, payload.data(), header.length, offset + kRecordHeaderSize)) {
    return Check::truncated;
  }
  if (record_crc(payload) != header.crc) return Check::bad_crc;
  if (!decode_payload(payload, message)) return Check::bad_payload;
  return Check::ok;
}

// The first offset in [from, limit) where an intact record starts, else `limit`.
std::uint64_t DiskQueue::resync(int fd, std::uint64_t from, std::uint64_t limit) {
  char magic[4];
  for (int i = 0; i < 4; ++i) magic[i] = static_cast<char>((kRecordMagic >> (8 * i)) & 0xff);
  std::string window, payload;
  SinkMessage message;
  std::uint64_t base = from;
  while (base + kRecordHeaderSize <= limit) {
    const std::size_t size =
        static_cast<std::size_t>(std::min<std::uint64_t>(kResyncWindow, limit - base));
    window.resize(size);
    if (!read_exact(fd, window.data(), size, base)) return limit;
    std::size_t at = 0;
    while (at + 4 <= size) {
      const void* hit = ::memmem(window.data() + at, size - at, magic, 4);
      if (hit == nullptr) break;
      at = static_cast<std::size_t>(static_cast<const char*>(hit) - window.data());
      if (check_record(fd, base + at, limit, payload, message) == Check::ok) return base + at;
      ++at;
    }
    if (base + size >= limit) break;
    base += size - 3;  // a magic may straddle the window's end
  }
  return limit;
}

void DiskQueue::report_damage(const std::string& path, std::uint64_t offset, Check check,
                              std::uint64_t resumed_at, bool truncated) {
  std::string line = "sink " + options_.name + ": disk buffer segment " + path +
                     ": damaged record at offset " + std::to_string(offset) + " (" +
                     describe(check) + "); ";
  if (truncated) {
    line +=
        "nothing intact follows: the segment was cut there (a write interrupted by a "
        "crash or power loss; such a record was never acknowledged to its source)";
  } else {
    line += "skipped " + std::to_string(resumed_at - offset) +
            " bytes, reading resumes at offset " + std::to_string(resumed_at) +
            " (the skipped data is lost; see secfeed_buffer_corrupt_records_total)";
  }
  log_warn(kComponent, line);
}

const char* DiskQueue::describe(Check check) {
  switch (check) {
    case Check::ok:
      return "intact";
    case Check::truncated:
      return "record cut short";
    case Check::bad_magic:
      return "bad magic";
    case Check::bad_length:
      return "length past the end of the segment";
    case Check::bad_crc:
      return "CRC mismatch";
    case Check::bad_payload:
      return "payload does not parse";
  }
  return "damaged";
}

DiskQueue::Segment* DiskQueue::find(std::uint64_t id) {
  for (Segment& segment : segments_) {
    if (segment.id == id) return &segment;
  }
  return nullptr;
}

const DiskQueue::Segment* DiskQueue::find(std::uint64_t id) const {
  return const_cast<DiskQueue*>(this)->find(id);
}

// Moves a position at the end of a finished segment (or in a deleted one) to the start
// of the next segment, so "delivered up to here" lets the finished segment go.
QueuePosition DiskQueue::normalized(QueuePosition position) const {
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (segment.id < position.segment) continue;
    if (segment.id > position.segment) return QueuePosition{segment.id, 0, 0};
    if (i + 1 < segments_.size() && position.offset >= segment.size) {
      position = QueuePosition{segments_[i + 1].id, 0, 0};
      continue;
    }
    return position;
  }
  return position;
}

std::uint64_t DiskQueue::readable_end(const Segment& segment) const {
  if (segment.id < durable_end_.segment) return segment.size;
  if (segment.id == durable_end_.segment) return std::min(segment.size, durable_end_.offset);
  return 0;
}

std::uint64_t DiskQueue::count_undelivered() const {
  std::uint64_t count = 0;
  for (const Segment& segment : segments_) {
    if (segment.id > delivered_.segment) count += segment.records;
    if (segment.id == delivered_.segment) count += segment.records - delivered_.ordinal;
  }
  return count;
}

void DiskQueue::update_gauges() {
  bytes_gauge_->set(static_cast<double>(bytes_));
  records_gauge_->set(static_cast<double>(undelivered_));
}

bool DiskQueue::rotate(std::string& error) {
  const std::uint64_t id = segments_.back().id + 1;
  const std::string path = segment_path(id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot create " + path + ": " + errno_text();
    return false;
  }
  unsynced_fds_.push_back(write_fd_);
  write_fd_ = fd;
  segments_.push_back(Segment{id, 0, 0, {}});
  dir_dirty_ = true;
  const QueuePosition moved = normalized(delivered_);
  if (moved.segment != delivered_.segment) {
    delivered_ = moved;
    position_dirty_ = true;
  }
  return true;
}

bool DiskQueue::room_for(std::uint64_t need) const {
  return bytes_ + need <= options_.max_size;
}

void DiskQueue::drop_oldest_segment() {
  const Segment head = std::move(segments_.front());
  segments_.pop_front();
  std::uint64_t lost = 0;
  if (delivered_.segment == head.id) lost = head.records - delivered_.ordinal;
  if (delivered_.segment < head.id) lost = head.records;
  ::unlink(segment_path(head.id).c_str());
  if (cached_read_fd_ >= 0 && cached_read_id_ == head.id) {
    ::close(cached_read_fd_);
    cached_read_fd_ = -1;
  }
  bytes_ -= head.size;
  const QueuePosition next{segments_.front().id, 0, 0};
  if (delivered_.segment <= head.id) {
    delivered_ = next;
    position_dirty_ = true;
  }
  if (cursor_.segment <= head.id) cursor_ = next;
  undelivered_ -= std::min(undelivered_, lost);
  dropped_ += lost;
  dropped_counter_->inc(lost);
  drops_unlogged_ += lost;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_drop_log_ >= kDropLogInterval) {
    log_warn(kComponent, "sink " + options_.name + ": disk buffer full (max_size " +
                             std::to_string(options_.max_size) + " bytes): dropped the " +
                             std::to_string(drops_unlogged_) +
                             " oldest undelivered records (when_full: drop_oldest; total in "
                             "secfeed_buffer_dropped_total)");
    last_drop_log_ = now;
    drops_unlogged_ = 0;
  }
}

DiskQueue::Append DiskQueue::append(const SinkMessage& message, std::uint64_t& sequence,
                                    std::string& error) {
  const std::size_t payload_size = record_payload_size(message);
  const std::uint64_t need = kRecordHeaderSize + payload_size;
  if (payload_size > kMaxRecordPayload || need > options_.max_size) {
    error = "message of " + std::to_string(need) + " bytes does not fit in the disk buffer (" +
            "max_size " + std::to_string(options_.max_size) + ")";
    return Append::too_large;
  }
  std::lock_guard lock(mutex_);
  Segment* active = &segments_.back();
  if (active->size > 0 && active->size + need > segment_size_) {
    if (!rotate(error)) return Append::io_error;
    active = &segments_.back();
  }
  if (!room_for(need) && active->size > 0 && undelivered_ == 0) {
    // Everything is delivered, but the space is held by the segment being appended
    // to, which is only deleted once finished: finish it.
    if (!rotate(error)) return Append::io_error;
    active = &segments_.back();
  }
  if (!room_for(need)) {
    if (!options_.drop_oldest) return Append::full;
    while (!room_for(need)) {
      if (segments_.size() == 1 && !rotate(error)) return Append::io_error;
      drop_oldest_segment();
    }
    active = &segments_.back();
  }
  append_scratch_.clear();
  append_record(message, append_scratch_);
  if (!write_all(write_fd_, append_scratch_)) {
    error = "cannot write " + segment_path(active->id) + ": " + errno_text();
    // A partial write would leave a damaged tail: cut back to the last whole record.
    if (::ftruncate(write_fd_, static_cast<off_t>(active->size)) != 0) {
      error += " (and cannot cut the partial record: " + errno_text() + ")";
    }
    return Append::io_error;
  }
  active->size += append_scratch_.size();
  ++active->records;
  bytes_ += append_scratch_.size();
  ++undelivered_;
  sequence = ++appended_;
  update_gauges();
  return Append::ok;
}

bool DiskQueue::sync(std::uint64_t& durable, std::string& error) {
  std::vector<int> fds;
  std::uint64_t target = 0;
  QueuePosition target_end, position;
  bool flush_dir = false, store_position = false;
  {
    std::lock_guard lock(mutex_);
    target = appended_;
    target_end = QueuePosition{segments_.back().id, segments_.back().size, 0};
    if (appended_ > durable_ || !unsynced_fds_.empty()) {
      fds = std::move(unsynced_fds_);
      unsynced_fds_.clear();
      // A duplicate, so a rotation meanwhile can close the original.
      const int fd = ::dup(write_fd_);
      if (fd >= 0) fds.push_back(fd);
    }
    flush_dir = dir_dirty_;
    dir_dirty_ = false;
    store_position = position_dirty_;
    position_dirty_ = false;
    position = delivered_;
  }
  bool ok = true;
  for (int fd : fds) {
    if (::fdatasync(fd) != 0 && ok) {
      error = "fdatasync of the disk buffer " + options_.path + ": " + errno_text();
      ok = false;
    }
    ::close(fd);
  }
  if (flush_dir && ::fsync(dir_fd_) != 0 && ok) {
    error = "fsync of the disk buffer directory " + options_.path + ": " + errno_text();
    ok = false;
  }
  std::lock_guard lock(mutex_);
  if (!ok) {
    dir_dirty_ = dir_dirty_ || flush_dir;
    position_dirty_ = position_dirty_ || store_position;
    durable = durable_;
    return false;
  }
  durable_ = std::max(durable_, target);
  if (before(durable_end_, target_end)) durable_end_ = target_end;
  durable = durable_;
  if (!store_position) return true;
  if (!position_file_.store(StoredPosition{position.segment, position.offset}, error)) {
    position_dirty_ = true;
    return false;
  }
  // Segments before the stored position are delivered: their space is free again.
  while (segments_.size() > 1 && segments_.front().id < position.segment) {
    const Segment& head = segments_.front();
    ::unlink(segment_path(head.id).c_str());
    if (cached_read_fd_ >= 0 && cached_read_id_ == head.id) {
      ::close(cached_read_fd_);
      cached_read_fd_ = -1;
    }
    bytes_ -= head.size;
    segments_.pop_front();
  }
  update_gauges();
  return true;
}

int DiskQueue::read_fd(std::uint64_t id) {
  if (cached_read_fd_ >= 0 && cached_read_id_ == id) return cached_read_fd_;
  if (cached_read_fd_ >= 0) ::close(cached_read_fd_);
  cached_read_fd_ = ::open(segment_path(id).c_str(), O_RDONLY | O_CLOEXEC);
  cached_read_id_ = id;
  return cached_read_fd_;
}

std::size_t DiskQueue::read(std::vector<SinkMessage>& out, std::size_t max_events,
                            std::size_t max_bytes) {
  std::lock_guard lock(mutex_);
  read_ends_.clear();
  QueuePosition position = cursor_;
  std::size_t count = 0, bytes = 0;
  SinkMessage message;
  while (count < std::max<std::size_t>(max_events, 1) && (count == 0 || bytes < max_bytes)) {
    position = normalized(position);
    Segment* segment = find(position.segment);
    if (segment == nullptr) break;
    const std::uint64_t limit = readable_end(*segment);
    if (position.offset >= limit) break;
    const auto hole = std::find_if(segment->holes.begin(), segment->holes.end(),
                                   [&](const Hole& h) { return h.begin == position.offset; });
    if (hole != segment->holes.end()) {
      position.offset = hole->end;
      continue;
    }
    const int fd = read_fd(segment->id);
    if (fd < 0) {
      log_error(kComponent, "sink " + options_.name + ": cannot open " + segment_path(segment->id) +
                                ": " + errno_text());
      break;
    }
    const Check check = check_record(fd, position.offset, limit, read_scratch_, message);
    if (check == Check::ok) {
      bytes += message.bytes.size();
      out.push_back(std::move(message));
      message = SinkMessage{};
      position.offset += kRecordHeaderSize + read_scratch_.size();
      ++position.ordinal;
      read_ends_.push_back(position);
      ++count;
      continue;
    }
    // Damaged since open (the disk changed under us): count it once and skip it.
    ++corrupt_;
    corrupt_counter_->inc();
    const std::uint64_t next = check == Check::bad_payload
                                   ? position.offset + kRecordHeaderSize + read_scratch_.size()
                                   : resync(fd, position.offset + 1, limit);
    report_damage(segment_path(segment->id), position.offset, check, next, false);
    segment->holes.push_back(Hole{position.offset, next});
    position.offset = next;
  }
  cursor_ = position;
  return count;
}

void DiskQueue::consume(std::size_t n) {
  std::lock_guard lock(mutex_);
  n = std::min(n, read_ends_.size());
  if (n > 0 && before(delivered_, read_ends_[n - 1])) {
    delivered_ = normalized(read_ends_[n - 1]);
    position_dirty_ = true;
    undelivered_ = count_undelivered();
    update_gauges();
  }
  cursor_ = delivered_;
  read_ends_.clear();
}

std::uint64_t DiskQueue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::uint64_t DiskQueue::records() const {
  std::lock_guard lock(mutex_);
  return undelivered_;
}

std::uint64_t DiskQueue::segments() const {
  std::lock_guard lock(mutex_);
  return segments_.size();
}

std::uint64_t DiskQueue::corrupt_records() const {
  std::lock_guard lock(mutex_);
  return corrupt_;
}

std::uint64_t DiskQueue::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace secfeed::buffer
