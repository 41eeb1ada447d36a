// Kind detection and the common post-processing every normalizer shares.
#include "connector/normalize/normalizer.hpp"

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"

namespace secfeed {
namespace {

struct KindName {
  PayloadKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {PayloadKind::graph_alert, "graph-alert"},
    {PayloadKind::graph_legacy_alert, "graph-legacy-alert"},
    {PayloadKind::graph_incident, "graph-incident"},
    {PayloadKind::secure_score, "secure-score"},
    {PayloadKind::control_profile, "control-profile"},
    {PayloadKind::mdc, "mdc"},
};

bool has(const rapidjson::Value& item, std::string_view key) {
  return find_member(item, key) != nullptr;
}

bool has_ci(const rapidjson::Value& item, std::string_view key) {
  return find_member(item, key, KeyMatch::case_insensitive) != nullptr;
}

// Graph list responses name their entity set in @odata.context, e.g.
// "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2".
std::optional<PayloadKind> kind_from_context(std::string_view context) {
  const std::size_t hash = context.rfind('#');
  if (hash == std::string_view::npos) return std::nullopt;
  std::string_view set = context.substr(hash + 1);
  if (const std::size_t paren = set.find('('); paren != std::string_view::npos) {
    set = set.substr(0, paren);
  }
  if (iends_with(set, "alerts_v2")) return PayloadKind::graph_alert;
  if (iends_with(set, "security/alerts")) return PayloadKind::graph_legacy_alert;
  if (iends_with(set, "incidents")) return PayloadKind::graph_incident;
  if (iends_with(set, "secureScoreControlProfiles")) return PayloadKind::control_profile;
  if (iends_with(set, "secureScores")) return PayloadKind::secure_score;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(PayloadKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<PayloadKind> payload_kind_from_string(std::string_view text) {
  for (const KindName& k : kKindNames) {
    if (iequals(k.name, text)) return k.kind;
  }
  return std::nullopt;
}

std::optional<PayloadKind> detect_payload_kind(const rapidjson::Value& item,
                                               std::string_view hint) {
  if (!item.IsObject()) return std::nullopt;
  if (std::optional<PayloadKind> from_hint = kind_from_context(hint)) return from_hint;
  // A single object fetched by id carries its own @odata.context.
  if (const rapidjson::Value* ctx = find_member(item, "@odata.context");
      ctx != nullptr && ctx->IsString()) {
    if (std::optional<PayloadKind> own = kind_from_context(json_string(*ctx))) return own;
  }
  // Defender export: ARM-style `type`, `$type`, or the flat PascalCase alert keys.
  if (has_ci(item, "type") || has_ci(item, "$type") || has(item, "SystemAlertId") ||
      has(item, "AlertType")) {
    return PayloadKind::mdc;
  }
  if (has(item, "controlScores") || has(item, "currentScore")) return PayloadKind::secure_score;
  if (has(item, "actionType") || has(item, "implementationCost") ||
      has(item, "controlStateUpdates")) {
    return PayloadKind::control_profile;
  }
  if (has(item, "vendorInformation") || has(item, "azureTenantId") || has(item, "eventDateTime")) {
    return PayloadKind::graph_legacy_alert;
  }
  if (has(item, "incidentWebUrl") && !has(item, "alertWebUrl")) {
    return PayloadKind::graph_incident;
  }
  if (has(item, "redirectIncidentId") || (has(item, "displayName") && !has(item, "title"))) {
    return PayloadKind::graph_incident;
  }
  if (has(item, "evidence") || has(item, "serviceSource") || has(item, "alertWebUrl") ||
      has(item, "detectorId") || has(item, "providerAlertId")) {
    return PayloadKind::graph_alert;
  }
  return std::nullopt;
}

bool normalize_item(PayloadKind kind, const rapidjson::Value& item, const NormalizeContext& ctx,
                    EventBatch& out, std::string& error) {
  error.clear();
  const std::size_t first = out.size();
  if (!item.IsObject()) {
    error = "expected a JSON object, got ";
    error += json_type_name(item);
    return false;
  }
  bool ok = false;
  switch (kind) {
    case PayloadKind::graph_alert:
      ok = normalize_graph_alert(item, ctx, out, error);
      break;
    case PayloadKind::graph_legacy_alert:
      ok = normalize_graph_legacy_alert(item, ctx, out, error);
      break;
    case PayloadKind::graph_incident:
      ok = normalize_graph_incident(item, ctx, out, error);
      break;
    case PayloadKind::secure_score:
      ok = normalize_secure_score(item, ctx, out, error);
      break;
    case PayloadKind::control_profile:
      ok = normalize_control_profile(item, ctx, out, error);
      break;
    case PayloadKind::mdc:
      ok = normalize_defender_record(item, ctx, out, error);
      break;
  }
  if (!ok || !error.empty()) {
    if (error.empty()) error = "rejected by the normalizer";
    out.truncate(first);
    return false;
  }
  for (std::size_t i = first; i < out.size(); ++i) {
    Event& event = out[i];
    if (event.source.empty()) event.source = ctx.source;
    if (event.tenant_id.empty()) event.tenant_id = ctx.tenant_id;
    if (event.tenant_name.empty()) event.tenant_name = ctx.tenant_name;
    if (event.payload_kind.empty()) event.payload_kind = to_string(kind);
    if (event.raw_text.empty()) event.raw_text = ctx.raw_text;
    if (event.raw_value == nullptr && event.raw_text.empty()) event.raw_value = &item;
    if (event.severity_score == 0) event.severity_score = default_severity_score(event.severity);
    if (event.vendor.empty()) event.vendor = "Microsoft";
  }
  return true;
}

}  // namespace secfeed
