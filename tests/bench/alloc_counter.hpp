// Counts heap allocations in the bench binaries, so "allocations per event" is measured,
// not guessed. alloc_counter.cpp replaces the global operator new (C++ allocations) and
// interposes malloc/calloc/realloc (C allocations: rapidjson's CrtAllocator, which its
// MemoryPoolAllocator uses for chunks). Both count into one number.
#pragma once

#include <cstdint>

namespace secfeed::bench {

// Allocations since the process started (new, new[], malloc, calloc, realloc ...).
std::uint64_t allocation_count();

}  // namespace secfeed::bench
