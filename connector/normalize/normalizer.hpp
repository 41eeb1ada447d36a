// Entry points that turn one source item (a JSON value) into normalized Events.
//
// Contract for every normalizer below:
//   * append zero or more events to `out` (a daily secure score yields one
//     secure_score event plus one control_score event per control);
//   * on a bad item return false with `error` set to a one-line reason naming the
//     field (`severity: expected a string, got a number`); the dispatcher then removes
//     anything the normalizer appended, so a rejected item leaves `out` unchanged;
//   * never throw, never crash on any JSON value (fuzzed);
//   * strings that are not views into `item` are stored in `ctx.arena`.
// The dispatcher fills Event::source, tenant fallbacks, payload_kind and raw_value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"

namespace secfeed {

enum class PayloadKind {
  graph_alert,         // /security/alerts_v2
  graph_legacy_alert,  // /security/alerts (deprecated)
  graph_incident,      // /security/incidents
  secure_score,        // /security/secureScores
  control_profile,     // /security/secureScoreControlProfiles
  mdc,                 // Defender for Cloud continuous export (any record type)
};

std::string_view to_string(PayloadKind kind);  // the CLI spelling: graph-alert ...
std::optional<PayloadKind> payload_kind_from_string(std::string_view text);

// Control profiles by control name (the secure_score source's cache), joined onto
// control_score events when a NormalizeContext carries one.
class ControlProfileLookup {
 public:
  virtual ~ControlProfileLookup() = default;
  // The control_profile Event of `control_name`, or nullptr. It must outlive the batch.
  virtual const Event* find(std::string_view control_name) const = 0;
};

struct NormalizeContext {
  Arena& arena;
  std::string_view source;       // configured source name ("" for convert)
  std::string_view tenant_id;    // fallback when the payload has none
  std::string_view tenant_name;  // display name from config
  std::string_view raw_text;     // the item's own JSON text, when the caller has it
  const ControlProfileLookup* control_profiles = nullptr;  // optional join (secure scores)
};

// Detects the kind of one item. `hint` is the list response's @odata.context, if any.
std::optional<PayloadKind> detect_payload_kind(const rapidjson::Value& item,
                                               std::string_view hint = {});

// Dispatches to the normalizer of `kind` and applies the common post-processing.
bool normalize_item(PayloadKind kind, const rapidjson::Value& item, const NormalizeContext& ctx,
                    EventBatch& out, std::string& error);

// The individual normalizers (connector/normalize/graph_*.cpp, defender_*.cpp).
bool normalize_graph_alert(const rapidjson::Value& item, const NormalizeContext& ctx,
                           EventBatch& out, std::string& error);
bool normalize_graph_legacy_alert(const rapidjson::Value& item, const NormalizeContext& ctx,
                                  EventBatch& out, std::string& error);
bool normalize_graph_incident(const rapidjson::Value& item, const NormalizeContext& ctx,
                              EventBatch& out, std::string& error);
bool normalize_secure_score(const rapidjson::Value& item, const NormalizeContext& ctx,
                            EventBatch& out, std::string& error);
bool normalize_control_profile(const rapidjson::Value& item, const NormalizeContext& ctx,
                               EventBatch& out, std::string& error);
// Classifies a Defender for Cloud export record (alert flat/ARM, assessment,
// sub-assessment, secure score, secure score control, regulatory compliance).
bool normalize_defender_record(const rapidjson::Value& item, const NormalizeContext& ctx,
                               EventBatch& out, std::string& error);

}  // namespace secfeed
