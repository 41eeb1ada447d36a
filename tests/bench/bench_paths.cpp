#include "tests/bench/bench_paths.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/ocsf_encoder.hpp"

namespace secfeed::bench {
namespace {

Corpus load_corpus(std::string name, PayloadKind kind, const char* relative_path) {
  Corpus corpus{std::move(name), kind, {}, 0};
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

constexpr std::array<std::pair<Stage, std::string_view>, 9> kStageNames = {{
    {Stage::parse_only, "parse_only"},
    {Stage::reader_only, "reader_only"},
    {Stage::parse_normalize, "parse_normalize"},
    {Stage::parse_to_cef, "parse_to_cef"},
    {Stage::encode_cef, "encode_cef"},
    {Stage::encode_json, "encode_json"},
    {Stage::encode_ocsf, "encode_ocsf"},
    {Stage::encode_sentinel, "encode_sentinel"},
    {Stage::encode_raw, "encode_raw"},
}};

void encode(Stage stage, const Event& event, std::string& out) {
  switch (stage) {
    case Stage::parse_to_cef:
    case Stage::encode_cef:
      encode_cef(event, out);
      return;
    case Stage::encode_json:
      encode_json(event, out);
      return;
    case Stage::encode_sentinel:
      encode_sentinel(event, out);
      return;
    case Stage::encode_ocsf:
      encode_ocsf(event, out, OcsfOptions{0});
      return;
    case Stage::encode_raw:
      encode_raw(event, out);
      return;
    default:
      return;
  }
}

}  // namespace

const std::vector<Corpus>& corpora() {
  static const std::vector<Corpus> all = [] {
    std::vector<Corpus> list;
    list.push_back(load_corpus("graph_alert", PayloadKind::graph_alert,
                               "tests/fixtures/graph/alerts_v2_list.json"));
    list.push_back(load_corpus("graph_legacy_alert", PayloadKind::graph_legacy_alert,
                               "tests/fixtures/graph/legacy_alerts_list.json"));
    list.push_back(load_corpus("graph_incident", PayloadKind::graph_incident,
                               "tests/fixtures/graph/incidents_list.json"));
    list.push_back(load_corpus("secure_score", PayloadKind::secure_score,
                               "tests/fixtures/graph/secure_scores_list.json"));
    list.push_back(load_corpus("control_profile", PayloadKind::control_profile,
                               "tests/fixtures/graph/control_profiles_list.json"));
    list.push_back(
        load_corpus("mdc_alert", PayloadKind::mdc, "tests/fixtures/defender/alerts_flat.json"));
    list.push_back(
        load_corpus("mdc_alert_arm", PayloadKind::mdc, "tests/fixtures/defender/alert_arm.json"));
    list.push_back(load_corpus("mdc_assessment", PayloadKind::mdc,
                               "tests/fixtures/defender/assessments.json"));
    list.push_back(load_corpus("mdc_sub_assessment", PayloadKind::mdc,
                               "tests/fixtures/defender/sub_assessments.json"));
    list.push_back(
        load_corpus("mdc_compliance", PayloadKind::mdc, "tests/fixtures/defender/compliance.json"));
    list.push_back(load_corpus("mdc_secure_score", PayloadKind::mdc,
                               "tests/fixtures/defender/secure_scores.json"));
    return list;
  }();
  return all;
}

const Corpus* find_corpus(std::string_view name) {
  for (const Corpus& corpus : corpora()) {
    if (corpus.name == name) return &corpus;
  }
  return nullptr;
}

std::string_view to_string(Stage stage) {
  for (const auto& [s, name] : kStageNames) {
    if (s == stage) return name;
  }
  return "unknown";
}

const std::vector<Stage>& all_stages() {
  static const std::vector<Stage> stages = [] {
    std::vector<Stage> list;
    for (const auto& entry : kStageNames) list.push_back(entry.first);
    return list;
  }();
  return stages;
}

bool stage_from_string(std::string_view text, Stage& stage) {
  for (const auto& [s, name] : kStageNames) {
    if (name == text) {
      stage = s;
      return true;
    }
  }
  return false;
}

PathRunner::PathRunner(const Corpus& corpus) : corpus_(corpus) {
  out_.reserve(64 * 1024);
}

PathRunner::~PathRunner() = default;

void PathRunner::prepare_events() {
  if (prepared_ready_) return;
  prepared_ready_ = true;
  for (const std::string& item : corpus_.items) {
    auto document = std::make_unique<rapidjson::Document>();
    document->Parse(item.data(), item.size());
    NormalizeContext ctx{prepared_arena_, "bench", "", "", item};
    if (!normalize_item(corpus_.kind, *document, ctx, prepared_, error_)) return;
    documents_.push_back(std::move(document));
  }
}

std::size_t PathRunner::run(Stage stage) {
  std::size_t events = 0;
  output_bytes_ = 0;
  switch (stage) {
    case Stage::parse_only:
      for (const std::string& item : corpus_.items) {
        allocator_.Clear();
        rapidjson::Document doc(&allocator_);
        doc.Parse(item.data(), item.size());
        if (doc.HasParseError()) return 0;
        ++events;
      }
      return events;
    case Stage::reader_only:
    case Stage::parse_normalize:
    case Stage::parse_to_cef: {
      bool ok = true;
      const auto on_item = [&](const PayloadItem& item) {
        if (stage == Stage::reader_only) {
          ++events;
          return;
        }
        arena_.reset();
        batch_.clear();
        NormalizeContext ctx{arena_, "bench", "", "", item.raw_text};
        if (!normalize_item(corpus_.kind, item.value, ctx, batch_, error_)) {
          ok = false;
          return;
        }
        for (const Event& event : batch_) {
          out_.clear();
          encode(stage, event, out_);
          output_bytes_ += out_.size();
          ++events;
        }
      };
      const auto on_error = [&](const PayloadError& e) {
        error_ = e.reason;
        ok = false;
      };
      // Built once per pass, as a source does per message batch.
      const PayloadReader::ItemHandler item_handler(std::cref(on_item));
      const PayloadReader::ErrorHandler error_handler(std::cref(on_error));
      for (const std::string& item : corpus_.items) {
        reader_.read(item, item_handler, error_handler);
        if (!ok) return 0;
      }
      return events;
    }
    case Stage::encode_cef:
    case Stage::encode_json:
    case Stage::encode_ocsf:
    case Stage::encode_sentinel:
    case Stage::encode_raw:
      prepare_events();
      if (!error_.empty()) return 0;
      for (const Event& event : prepared_) {
        out_.clear();
        encode(stage, event, out_);
        output_bytes_ += out_.size();
        ++events;
      }
      return events;
  }
  return 0;
}

}  // namespace secfeed::bench
