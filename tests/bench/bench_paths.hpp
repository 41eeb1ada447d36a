// The hot path in measurable pieces, shared by the Google Benchmark binary
// (pipeline_microbench.cpp) and the fixed-iteration runner for callgrind
// (fixed_run.cpp), so both measure exactly the same code.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"

namespace secfeed::bench {

// One payload kind's fixture, split into items (each item's compact JSON text).
struct Corpus {
  std::string name;  // graph_alert, mdc_assessment ...
  PayloadKind kind;
  std::vector<std::string> items;
  std::size_t bytes = 0;
};

// Every bundled fixture kind, loaded once.
const std::vector<Corpus>& corpora();
const Corpus* find_corpus(std::string_view name);

enum class Stage {
  parse_only,       // rapidjson DOM parse, default flags: the floor the target refers to
  reader_only,      // PayloadReader (what sources use: validated, iterative, depth-checked)
  parse_normalize,  // PayloadReader + normalize_item
  parse_to_cef,     // the whole path: PayloadReader + normalize + encode_cef
  encode_cef,       // encoders alone, over events normalized up front
  encode_json,
  encode_ocsf,
  encode_sentinel,
  encode_raw,
};
std::string_view to_string(Stage stage);
const std::vector<Stage>& all_stages();
bool stage_from_string(std::string_view text, Stage& stage);

class PathRunner {
 public:
  explicit PathRunner(const Corpus& corpus);
  ~PathRunner();
  PathRunner(const PathRunner&) = delete;
  PathRunner& operator=(const PathRunner&) = delete;

  // One pass over the corpus; returns the events produced (items for the parse
  // stages), or 0 with error() set when an item was rejected.
  std::size_t run(Stage stage);
  const std::string& error() const { return error_; }
  std::size_t output_bytes() const { return output_bytes_; }

 private:
  void prepare_events();

  const Corpus& corpus_;
  rapidjson::MemoryPoolAllocator<> allocator_{64 * 1024};
  PayloadReader reader_;
  Arena arena_;
  EventBatch batch_;
  std::string error_, out_;
  std::size_t output_bytes_ = 0;
  // Encoder stages: every item parsed and normalized once, kept alive.
  std::vector<std::unique_ptr<rapidjson::Document>> documents_;
  Arena prepared_arena_;
  EventBatch prepared_;
  bool prepared_ready_ = false;
};

}  // namespace secfeed::bench
