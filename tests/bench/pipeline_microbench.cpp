// Microbenchmarks of the hot path on the bundled fixtures, one row per payload kind:
//   parse_only      rapidjson DOM parse of each item's JSON text (the floor)
//   parse_normalize parse + normalize
//   encode_<fmt>    encoding already-normalized events
//   parse_to_cef    the whole path: parse -> normalize -> CEF
// Reports items/s and bytes/s; compare parse_to_cef with parse_only for the ratio to the
// floor. Allocations per event: run under heaptrack (see tests/bench/README.md).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/core/arena.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

struct Corpus {
  PayloadKind kind;
  std::vector<std::string> items;  // each item's compact JSON text
  std::size_t bytes = 0;
};

Corpus load_corpus(PayloadKind kind, const char* relative_path) {
  Corpus corpus{kind, {}, 0};
  std::ifstream file(std::string(SECFEED_SOURCE_DIR) + "/" + relative_path);
  std::stringstream text;
  text << file.rdbuf();
  PayloadReader reader;
  reader.read(
      text.str(),
      [&](const PayloadItem& item) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        item.value.Accept(writer);
        corpus.items.emplace_back(buffer.GetString(), buffer.GetSize());
        corpus.bytes += buffer.GetSize();
      },
      [](const PayloadError&) {});
  return corpus;
}

const Corpus& corpus_for(int index) {
  static const std::vector<Corpus> corpora = {
      load_corpus(PayloadKind::graph_alert, "tests/fixtures/graph/alerts_v2_list.json"),
      load_corpus(PayloadKind::graph_incident, "tests/fixtures/graph/incidents_list.json"),
      load_corpus(PayloadKind::secure_score, "tests/fixtures/graph/secure_scores_list.json"),
      load_corpus(PayloadKind::mdc, "tests/fixtures/defender/alerts_flat.json"),
      load_corpus(PayloadKind::mdc, "tests/fixtures/defender/assessments.json"),
  };
  return corpora.at(static_cast<std::size_t>(index));
}

const char* kCorpusNames[] = {"graph_alert", "graph_incident", "secure_score", "mdc_alert",
                              "mdc_assessment"};

void report(benchmark::State& state, const Corpus& corpus) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * corpus.items.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.bytes));
  state.SetLabel(kCorpusNames[state.range(0)]);
}

void BM_ParseOnly(benchmark::State& state) {
  const Corpus& corpus = corpus_for(static_cast<int>(state.range(0)));
  rapidjson::MemoryPoolAllocator<> allocator(64 * 1024);
  for (auto _ : state) {
    for (const std::string& item : corpus.items) {
      allocator.Clear();
      rapidjson::Document doc(&allocator);
      doc.Parse(item.data(), item.size());
      benchmark::DoNotOptimize(doc.IsObject());
    }
  }
  report(state, corpus);
}

// Parses and normalizes every item; `encode` runs on each resulting event.
template <class Encode>
void run_path(benchmark::State& state, Encode&& encode) {
  const Corpus& corpus = corpus_for(static_cast<int>(state.range(0)));
  rapidjson::MemoryPoolAllocator<> allocator(64 * 1024);
  Arena arena;
  EventBatch batch;
  std::string error, out;
  out.reserve(64 * 1024);
  std::size_t events = 0;
  for (auto _ : state) {
    for (const std::string& item : corpus.items) {
      allocator.Clear();
      rapidjson::Document doc(&allocator);
      doc.Parse(item.data(), item.size());
      arena.reset();
      batch.clear();
      NormalizeContext ctx{arena, "bench", "", "", item};
      if (!normalize_item(corpus.kind, doc, ctx, batch, error)) {
        state.SkipWithError(error.c_str());
        return;
      }
      for (const Event& event : batch) {
        out.clear();
        encode(event, out);
        benchmark::DoNotOptimize(out.data());
        ++events;
      }
    }
  }
  report(state, corpus);
  state.counters["events_per_item"] = benchmark::Counter(
      static_cast<double>(events) / static_cast<double>(state.iterations() * corpus.items.size()));
}

void BM_ParseNormalize(benchmark::State& state) {
  run_path(state, [](const Event&, std::string&) {});
}
void BM_ParseToCef(benchmark::State& state) {
  run_path(state, [](const Event& e, std::string& out) { encode_cef(e, out); });
}
void BM_ParseToJson(benchmark::State& state) {
  run_path(state, [](const Event& e, std::string& out) { encode_json(e, out); });
}
void BM_ParseToSentinel(benchmark::State& state) {
  run_path(state, [](const Event& e, std::string& out) { encode_sentinel(e, out); });
}
void BM_ParseToRaw(benchmark::State& state) {
  run_path(state, [](const Event& e, std::string& out) { encode_raw(e, out); });
}

BENCHMARK(BM_ParseOnly)->DenseRange(0, 4);
BENCHMARK(BM_ParseNormalize)->DenseRange(0, 4);
BENCHMARK(BM_ParseToCef)->DenseRange(0, 4);
BENCHMARK(BM_ParseToJson)->DenseRange(0, 4);
BENCHMARK(BM_ParseToRaw)->DenseRange(0, 4);
BENCHMARK(BM_ParseToSentinel)->DenseRange(0, 4);

}  // namespace
}  // namespace secfeed

BENCHMARK_MAIN();
