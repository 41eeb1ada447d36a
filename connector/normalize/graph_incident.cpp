// Microsoft Graph /security/incidents -> one incident Event. displayName is the title;
// summary (an AI/analyst digest in live data) stands in for a missing description.
//
// Attributes (snake_case): summary, redirect_incident_id, priority_score (integer),
// comment_count (integer), alert_count (integer, when the incident was fetched with
// $expand=alerts).
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {

bool normalize_graph_incident(const rapidjson::Value& item, const NormalizeContext&,
                              EventBatch& out, std::string& error) {
  ObjectReader r(item, KeyMatch::exact, error);
  Event& e = out.add();
  e.kind = EventKind::incident;
  e.id = r.required_string("id");
  e.tenant_id = r.string("tenantId");
  e.title = r.string("displayName");
  e.description = r.string("description");
  const std::string_view summary = r.string("summary");
  if (e.description.empty()) e.description = summary;
  add_string_if_present(e, "summary", summary);
  e.url = r.string("incidentWebUrl");
  add_string_if_present(e, "redirect_incident_id", r.string("redirectIncidentId"));

  e.created_ms = r.time("createdDateTime").value_or(kNoTime);
  e.updated_ms = r.time("lastUpdateDateTime").value_or(kNoTime);
  e.resolved_ms = r.time("resolvedDateTime").value_or(kNoTime);
  e.time_ms = e.updated_ms != kNoTime ? e.updated_ms : e.created_ms;

  e.assigned_to = r.string("assignedTo");
  e.classification = r.string("classification");
  e.determination = r.string("determination");
  e.status = r.string("status");
  e.severity = severity_from_string(r.string("severity"));
  read_string_array(r, "customTags", e.tags);
  read_string_array(r, "systemTags", e.tags);

  if (const std::optional<std::int64_t> priority = r.integer("priorityScore")) {
    e.add_integer("priority_score", *priority);
  }
  if (const std::optional<std::int64_t> comments = read_array_size(r, "comments")) {
    e.add_integer("comment_count", *comments);
  }
  if (const std::optional<std::int64_t> alerts = read_array_size(r, "alerts")) {
    e.add_integer("alert_count", *alerts);
  }
  return !r.failed();
}

}  // namespace secfeed
