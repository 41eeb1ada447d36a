// libFuzzer entry: the disk buffer's recovery scan. The input is written as the only
// segment file of a buffer directory, then DiskQueue::open scans it (magic, length, CRC,
// payload decoding, resynchronisation after damage, cutting a damaged tail) and every
// recovered record is read back. Arbitrary bytes must never crash; damage is counted and
// skipped; what is delivered are exactly intact records of the file; and the queue stays
// usable (an append after recovery reads back unchanged).
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "connector/core/log.hpp"
#include "sinks/buffer/disk_queue.hpp"
#include "sinks/buffer/record_format.hpp"

namespace {

using secfeed::SinkMessage;
using secfeed::buffer::DiskQueue;

// One scratch directory per fuzzing process (on tmpfs when there is one), emptied
// before each input and removed at exit.
const std::string& scratch_directory() {
  // Never destroyed: the atexit cleanup runs after static destructors would have.
  static const std::string* const path = [] {
    const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = std::string(base) + "/secfeed-fuzz-buffer-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) __builtin_trap();
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_directory(), ignored);
    });
    // Damage reports are warnings: keep the fuzzer's output readable (and fast).
    secfeed::Logger::instance().configure(secfeed::LogLevel::error, secfeed::LogFormat::text);
    return new std::string(pattern);
  }();
  return *path;
}

void write_segment(const std::string& directory, std::string_view bytes) {
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ignored)) {
    std::filesystem::remove(entry.path(), ignored);
  }
  std::FILE* file = std::fopen((directory + "/00000000000000000001.seg").c_str(), "wb");
  if (file == nullptr) __builtin_trap();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size())
    __builtin_trap();
  std::fclose(file);
}

// Where, at or after `from`, the file holds the record `encoded` (append_record's form
// of a delivered message), or npos. The CRC and the payload's reserved byte are not
// compared: the decoder ignores the reserved byte, and the CRC covers it.
std::size_t find_record(std::string_view file, std::string_view encoded, std::size_t from) {
  constexpr std::size_t kCrcAt = 8, kReservedAt = secfeed::buffer::kRecordHeaderSize + 3;
  for (std::size_t at = file.find(encoded.substr(0, kCrcAt), from); at != std::string_view::npos;
       at = file.find(encoded.substr(0, kCrcAt), at + 1)) {
    const std::string_view candidate = file.substr(at, encoded.size());
    if (candidate.size() != encoded.size()) return std::string_view::npos;
    bool same = true;
    for (std::size_t i = kCrcAt; i < encoded.size() && same; ++i) {
      same = i < kCrcAt + 4 || i == kReservedAt || candidate[i] == encoded[i];
    }
    if (same) return at;
  }
  return std::string_view::npos;
}

bool same_message(const SinkMessage& a, const SinkMessage& b) {
  return a.bytes == b.bytes && a.kind == b.kind && a.id == b.id && a.tenant_id == b.tenant_id &&
         a.source == b.source && a.time_ms == b.time_ms && a.syslog_severity == b.syslog_severity;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  const std::string& directory = scratch_directory();
  write_segment(directory, file);

  secfeed::buffer::DiskQueueOptions options;
  options.path = directory;
  options.name = "fuzz";
  options.max_size = 1 << 24;
  std::string error;
  auto queue = DiskQueue::open(options, error);
  if (!queue) __builtin_trap();  // damage is never fatal

  // Recovery keeps at most the file, cut at a damaged tail; an undamaged file whole.
  if (queue->bytes() > size) __builtin_trap();
  if (queue->corrupt_records() == 0 && queue->bytes() != size) __builtin_trap();

  const std::uint64_t recovered = queue->records();
  std::uint64_t delivered = 0, record_bytes = 0;
  std::size_t file_position = 0;
  std::vector<SinkMessage> batch;
  std::string encoded;
  for (;;) {
    batch.clear();
    const std::size_t n = queue->read(batch, 64, 1 << 20);
    if (n == 0) break;
    for (const SinkMessage& message : batch) {
      // Every delivered record is an intact record of the file, in file order.
      encoded.clear();
      secfeed::buffer::append_record(message, encoded);
      const std::size_t at = find_record(file, encoded, file_position);
      if (at == std::string_view::npos) __builtin_trap();
      file_position = at + encoded.size();
      record_bytes += encoded.size();
    }
    delivered += n;
    queue->consume(n);
    if (delivered > recovered) __builtin_trap();
  }
  if (delivered != recovered || record_bytes > queue->bytes()) __builtin_trap();
  if (queue->corrupt_records() == 0 && record_bytes != size) __builtin_trap();

  // The queue goes on after the damage: a new record is stored and read back unchanged.
  SinkMessage fresh;
  fresh.bytes = "after recovery";
  fresh.id = "id-1";
  fresh.tenant_id = "tenant";
  fresh.source = "fuzz";
  fresh.time_ms = 1'700'000'000'000;
  std::uint64_t sequence = 0, durable = 0;
  if (queue->append(fresh, sequence, error) != DiskQueue::Append::ok) __builtin_trap();
  if (!queue->sync(durable, error) || durable < sequence) __builtin_trap();
  batch.clear();
  if (queue->read(batch, 64, 1 << 20) != 1 || !same_message(batch[0], fresh)) __builtin_trap();
  return 0;
}
