#include "sinks/buffer/position_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "sinks/buffer/record_format.hpp"

namespace secfeed::buffer {
namespace {

constexpr std::uint32_t kSlotMagic = 0x31505346;  // "FSP1"
constexpr std::size_t kSlotSize = 32;  // magic u32 | crc u32 | generation | segment | offset

using Slot = std::array<char, kSlotSize>;

void put(char* at, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get(const char* at, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(at[i]);
  return v;
}

std::uint32_t slot_crc(const Slot& slot) {
  return record_crc(std::string_view(slot.data() + 8, kSlotSize - 8));
}

}  // namespace

PositionFile::~PositionFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool PositionFile::open(const std::string& path, std::string& error) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::optional<StoredPosition> PositionFile::load(bool& damaged) {
  damaged = false;
  std::optional<StoredPosition> best;
  bool any_data = false;
  for (int index = 0; index < 2; ++index) {
    Slot slot{};
    const ssize_t n = ::pread(fd_, slot.data(), kSlotSize, static_cast<off_t>(index * kSlotSize));
    if (n > 0) any_data = true;
    if (n != static_cast<ssize_t>(kSlotSize)) continue;
    if (get(slot.data(), 4) != kSlotMagic || get(slot.data() + 4, 4) != slot_crc(slot)) continue;
    const std::uint64_t generation = get(slot.data() + 8, 8);
    if (best && generation <= generation_) continue;
    generation_ = generation;
    best = StoredPosition{get(slot.data() + 16, 8), get(slot.data() + 24, 8)};
  }
  damaged = any_data && !best;
  return best;
}

bool PositionFile::store(StoredPosition position, std::string& error) {
  ++generation_;
  Slot slot{};
  put(slot.data(), kSlotMagic, 4);
  put(slot.data() + 8, generation_, 8);
  put(slot.data() + 16, position.segment, 8);
  put(slot.data() + 24, position.offset, 8);
  put(slot.data() + 4, slot_crc(slot), 4);
  const off_t at = static_cast<off_t>((generation_ % 2) * kSlotSize);
  if (::pwrite(fd_, slot.data(), kSlotSize, at) != static_cast<ssize_t>(kSlotSize) ||
      ::fdatasync(fd_) != 0) {
    error = "cannot write " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace secfeed::buffer
