// Microbenchmarks of the hot path on the bundled fixtures: every stage of
// tests/bench/bench_paths.hpp (parse_only, reader_only, parse_normalize, parse_to_cef,
// encode_cef/json/ocsf/raw) for every payload kind. Benchmark names are
// <stage>/<corpus>. Reported per row:
//   items_per_second  events per second (source items for the parse-only stages)
//   bytes_per_second  source JSON bytes per second (encoder rows: output bytes)
//   allocs_per_event  heap allocations per event (tests/bench/alloc_counter.hpp)
// The ratio the performance target refers to: parse_to_cef/graph_alert over
// parse_only/graph_alert. Repeatable instruction counts: tests/bench/run-callgrind.sh.
#include <benchmark/benchmark.h>

#include <string>

#include "tests/bench/alloc_counter.hpp"
#include "tests/bench/bench_paths.hpp"

namespace secfeed::bench {
namespace {

void run_stage(benchmark::State& state, const Corpus& corpus, Stage stage) {
  PathRunner runner(corpus);
  if (runner.run(stage) == 0) {  // warm: buffers sized, prepared events built
    state.SkipWithError(("rejected: " + runner.error()).c_str());
    return;
  }
  std::size_t events = 0, output_bytes = 0;
  const std::uint64_t allocations_before = allocation_count();
  for (auto _ : state) {
    events += runner.run(stage);
    output_bytes += runner.output_bytes();
  }
  const std::uint64_t allocations = allocation_count() - allocations_before;
  const bool encoder_only = stage == Stage::encode_cef || stage == Stage::encode_json ||
                            stage == Stage::encode_ocsf || stage == Stage::encode_raw;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.SetBytesProcessed(
      static_cast<std::int64_t>(encoder_only ? output_bytes : state.iterations() * corpus.bytes));
  state.counters["allocs_per_event"] =
      benchmark::Counter(events == 0 ? 0.0 : static_cast<double>(allocations) / events);
  state.counters["events_per_item"] = benchmark::Counter(
      static_cast<double>(events) / static_cast<double>(state.iterations() * corpus.items.size()));
}

int register_all() {
  for (const Stage stage : all_stages()) {
    for (const Corpus& corpus : corpora()) {
      const std::string name = std::string(to_string(stage)) + "/" + corpus.name;
      benchmark::RegisterBenchmark(name.c_str(), [&corpus, stage](benchmark::State& state) {
        run_stage(state, corpus, stage);
      });
    }
  }
  return 0;
}

}  // namespace
}  // namespace secfeed::bench

int main(int argc, char** argv) {
  secfeed::bench::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
