// Runs one stage of the hot path a fixed number of passes, with callgrind
// instrumentation switched on only around the measured loop, so
//   valgrind --tool=callgrind --instr-atstart=no secfeed_bench_fixed parse_to_cef graph_alert 200
// counts exactly the instructions of those passes: divided by the events printed, a
// machine-independent "instructions per event" that does not move with a noisy host.
// Usage: secfeed_bench_fixed <stage> <corpus> <passes>
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/bench/alloc_counter.hpp"
#include "tests/bench/bench_paths.hpp"

int main(int argc, char** argv) {
  using namespace secfeed::bench;
  Stage stage;
  const Corpus* corpus = argc == 4 ? find_corpus(argv[2]) : nullptr;
  if (argc != 4 || !stage_from_string(argv[1], stage) || corpus == nullptr) {
    std::fprintf(stderr, "usage: %s <stage> <corpus> <passes>\nstages:", argv[0]);
    for (const Stage s : all_stages())
      std::fprintf(stderr, " %s", std::string(to_string(s)).c_str());
    std::fprintf(stderr, "\ncorpora:");
    for (const Corpus& c : corpora()) std::fprintf(stderr, " %s", c.name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  const long passes = std::strtol(argv[3], nullptr, 10);
  PathRunner runner(*corpus);
  if (runner.run(stage) == 0) {  // warm-up pass, outside the measurement
    std::fprintf(stderr, "rejected: %s\n", runner.error().c_str());
    return 1;
  }
  std::size_t events = 0;
  const std::uint64_t allocations_before = allocation_count();
  CALLGRIND_ZERO_STATS;
  CALLGRIND_START_INSTRUMENTATION;
  for (long i = 0; i < passes; ++i) events += runner.run(stage);
  CALLGRIND_STOP_INSTRUMENTATION;
  const std::uint64_t allocations = allocation_count() - allocations_before;
  std::printf("stage=%s corpus=%s passes=%ld events=%zu allocations=%llu\n",
              std::string(to_string(stage)).c_str(), corpus->name.c_str(), passes, events,
              static_cast<unsigned long long>(allocations));
  return 0;
}
