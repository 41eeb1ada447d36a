// The disk buffer's read position: where the next undelivered record starts
// (segment id, byte offset). Two 32-byte slots, written in turn, each with a
// generation number and a CRC: a write torn by a crash leaves the other slot intact,
// so loading always finds the newest complete position (or, with neither slot valid,
// none: the queue then starts at its oldest record, which re-delivers, never loses).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace secfeed::buffer {

struct StoredPosition {
  std::uint64_t segment = 0;
  std::uint64_t offset = 0;
};

class PositionFile {
 public:
  PositionFile() = default;
  ~PositionFile();
  PositionFile(const PositionFile&) = delete;
  PositionFile& operator=(const PositionFile&) = delete;

  // Opens (creates) the file. `damaged` is set when the file exists with data but no
  // valid slot.
  bool open(const std::string& path, std::string& error);
  // The newest valid position, if any.
  std::optional<StoredPosition> load(bool& damaged);
  // Writes the position to the older slot and fdatasyncs it.
  bool store(StoredPosition position, std::string& error);

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t generation_ = 0;
};

}  // namespace secfeed::buffer
