// Microsoft Graph /security/alerts_v2 -> one alert Event.
//
// Attributes (snake_case): incident_url, actor_display_name, threat_display_name,
// threat_family_name, alert_policy_id, investigation_state, comment_count (integer),
// categories (json), custom_details (json), additional_data (json).
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/graph_evidence.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {

bool normalize_graph_alert(const rapidjson::Value& item, const NormalizeContext& ctx,
                           EventBatch& out, std::string& error) {
  ObjectReader r(item, KeyMatch::exact, error);
  Event& e = out.add();
  e.kind = EventKind::alert;
  e.id = r.required_string("id");
  e.provider_id = r.string("providerAlertId");
  e.incident_id = r.string("incidentId");
  e.detector_id = r.string("detectorId");
  e.tenant_id = r.string("tenantId");
  e.title = r.string("title");
  e.description = r.string("description");
  if (const rapidjson::Value* actions = r.find("recommendedActions");
      actions != nullptr && actions->IsArray()) {
    // Documented as one string; tolerate the legacy API's array form too.
    read_string_array(r, "recommendedActions", e.recommended_actions);
  } else if (const std::string_view action = r.string("recommendedActions"); !action.empty()) {
    e.recommended_actions.push_back(action);
  }
  e.category = r.string("category");
  e.assigned_to = r.string("assignedTo");
  e.url = r.string("alertWebUrl");
  add_string_if_present(e, "incident_url", r.string("incidentWebUrl"));
  add_string_if_present(e, "actor_display_name", r.string("actorDisplayName"));
  add_string_if_present(e, "threat_display_name", r.string("threatDisplayName"));
  add_string_if_present(e, "threat_family_name", r.string("threatFamilyName"));
  read_string_array(r, "mitreTechniques", e.techniques);
  read_string_array(r, "systemTags", e.tags);

  e.created_ms = r.time("createdDateTime").value_or(kNoTime);
  e.updated_ms = r.time("lastUpdateDateTime").value_or(kNoTime);
  e.resolved_ms = r.time("resolvedDateTime").value_or(kNoTime);
  e.first_activity_ms = r.time("firstActivityDateTime").value_or(kNoTime);
  e.last_activity_ms = r.time("lastActivityDateTime").value_or(kNoTime);
  e.time_ms = e.updated_ms != kNoTime ? e.updated_ms : e.created_ms;

  e.status = r.string("status");
  e.severity = severity_from_string(r.string("severity"));
  e.classification = r.string("classification");
  e.determination = r.string("determination");
  e.service_source = r.string("serviceSource");
  e.detection_source = r.string("detectionSource");
  e.product = r.string("productName");
  if (e.product.empty()) e.product = product_name_from_service_source(e.service_source);

  // MDE reports the ATT&CK tactic as the category ("InitialAccess"); live data also
  // carries categories[]. Tactic-valued ones go to tactics, the category stays too.
  add_tactic_if_known(e.category, e.tactics);
  if (const rapidjson::Value* categories = r.array("categories")) {
    for (rapidjson::SizeType i = 0; i < categories->Size(); ++i) {
      const rapidjson::Value& category = (*categories)[i];
      if (category.IsString()) add_tactic_if_known(json_string(category), e.tactics);
    }
    e.add_json("categories", json_text(*categories, ctx.arena));
  }

  add_string_if_present(e, "alert_policy_id", r.string("alertPolicyId"));
  add_string_if_present(e, "investigation_state", r.string("investigationState"));
  if (const std::optional<std::int64_t> comments = read_array_size(r, "comments")) {
    e.add_integer("comment_count", *comments);
  }
  add_json_attribute(r, "customDetails", "custom_details", e, ctx.arena);
  add_json_attribute(r, "additionalData", "additional_data", e, ctx.arena);

  read_graph_evidence(r, e, ctx.arena);
  return !r.failed();
}

}  // namespace secfeed
