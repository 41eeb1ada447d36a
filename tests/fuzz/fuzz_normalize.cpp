// libFuzzer entry: payload splitting + one normalizer (chosen at build time) + every
// encoder on whatever events come out. Must never crash, leak or trip UBSan.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/ocsf_encoder.hpp"

namespace {

std::optional<secfeed::PayloadKind> fuzzed_kind() {
#if defined(FUZZ_PAYLOAD_KIND_graph_alert)
  return secfeed::PayloadKind::graph_alert;
#elif defined(FUZZ_PAYLOAD_KIND_graph_legacy_alert)
  return secfeed::PayloadKind::graph_legacy_alert;
#elif defined(FUZZ_PAYLOAD_KIND_graph_incident)
  return secfeed::PayloadKind::graph_incident;
#elif defined(FUZZ_PAYLOAD_KIND_secure_score)
  return secfeed::PayloadKind::secure_score;
#elif defined(FUZZ_PAYLOAD_KIND_control_profile)
  return secfeed::PayloadKind::control_profile;
#elif defined(FUZZ_PAYLOAD_KIND_mdc)
  return secfeed::PayloadKind::mdc;
#else
  return std::nullopt;  // auto-detect, as `secfeed convert --kind auto`
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static secfeed::PayloadReader reader;
  static secfeed::Arena arena;
  static secfeed::EventBatch batch;
  static std::string out, error;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  reader.read(
      text,
      [&](const secfeed::PayloadItem& item) {
        std::optional<secfeed::PayloadKind> kind = fuzzed_kind();
        if (!kind) kind = secfeed::detect_payload_kind(item.value, item.context);
        if (!kind) return;
        arena.reset();
        batch.clear();
        secfeed::NormalizeContext ctx{arena, "fuzz", "tenant", "Tenant", item.raw_text};
        if (!secfeed::normalize_item(*kind, item.value, ctx, batch, error)) return;
        for (const secfeed::Event& event : batch) {
          out.clear();
          secfeed::encode_cef(event, out);
          secfeed::encode_json(event, out);
          secfeed::encode_raw(event, out);
          secfeed::encode_ocsf(event, out, {0});
          // A Sentinel row must be one valid JSON object whatever the input, or the
          // Logs Ingestion API refuses the whole request.
          out.clear();
          secfeed::SentinelOptions sentinel;
          sentinel.fallback_time_ms = 0;
          secfeed::encode_sentinel(event, out, sentinel);
          rapidjson::Document row;
          row.Parse<rapidjson::kParseValidateEncodingFlag>(out.data(), out.size());
          if (row.HasParseError() || !row.IsObject()) std::abort();
        }
      },
      [](const secfeed::PayloadError&) {});
  return 0;
}
