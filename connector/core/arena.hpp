// A bump allocator for strings that normalizers build (joined tactics, derived ids,
// decoded JSON text). Events hold std::string_view into the parsed document or into
// this arena, so a batch of events costs no per-field heap allocation; reset() reuses
// the first chunk for the next batch.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace secfeed {

class Arena {
 public:
  explicit Arena(std::size_t chunk_size = 64 * 1024) : chunk_size_(chunk_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Copies `text` into the arena and returns a view of the copy.
  std::string_view store(std::string_view text);

  // Returns `n` writable bytes that stay valid until reset().
  char* allocate(std::size_t n);

  // Releases everything but the first chunk.
  void reset();

  std::size_t bytes_used() const { return used_total_; }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t used = 0;
  };
  std::size_t chunk_size_;
  std::vector<Chunk> chunks_;
  std::size_t used_total_ = 0;
};

}  // namespace secfeed
