// Exponential backoff with full jitter (delay = random in [0, min(cap, base * 2^attempt)]),
// the policy AWS and Microsoft recommend to keep many retrying clients from synchronising.
// Shared by every sink's retry loop and the HTTP client's retry policy.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace secfeed {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;
  Backoff(Duration initial, Duration cap, std::uint64_t seed = std::random_device{}())
      : initial_(initial), cap_(cap), rng_(seed) {}

  // Upper bound of the delay before retry number `attempt` (1-based).
  Duration ceiling(unsigned attempt) const {
    const unsigned shift = attempt == 0 ? 0 : (attempt - 1 > 30 ? 30 : attempt - 1);
    const std::int64_t grown = initial_.count() * (std::int64_t{1} << shift);
    return Duration(grown > cap_.count() || grown < 0 ? cap_.count() : grown);
  }

  // The jittered delay before retry number `attempt`.
  Duration next(unsigned attempt) {
    std::uniform_int_distribution<std::int64_t> pick(0, ceiling(attempt).count());
    return Duration(pick(rng_));
  }

 private:
  Duration initial_, cap_;
  std::mt19937_64 rng_;
};

}  // namespace secfeed
