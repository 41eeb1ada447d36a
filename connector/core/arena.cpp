#include "connector/core/arena.hpp"

#include <algorithm>
#include <cstring>

namespace secfeed {

char* Arena::allocate(std::size_t n) {
  if (chunks_.empty() || chunks_.back().size - chunks_.back().used < n) {
    Chunk chunk;
    chunk.size = std::max(chunk_size_, n);
    chunk.data = std::make_unique<char[]>(chunk.size);
    chunks_.push_back(std::move(chunk));
  }
  Chunk& chunk = chunks_.back();
  char* out = chunk.data.get() + chunk.used;
  chunk.used += n;
  used_total_ += n;
  return out;
}

std::string_view Arena::store(std::string_view text) {
  if (text.empty()) return {};
  char* out = allocate(text.size());
  std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

void Arena::reset() {
  if (chunks_.size() > 1) chunks_.resize(1);
  if (!chunks_.empty()) chunks_.front().used = 0;
  used_total_ = 0;
}

}  // namespace secfeed
