#include "graph_render.hpp"

#include "alert_subjects.hpp"
#include "alert_templates.hpp"

namespace secfeed::emulator {
namespace {

std::string_view enum_value(std::string_view value, RenderOptions options) {
  return !options.include_unknown_enum_members && is_evolvable_enum_member(value)
             ? std::string_view("unknownFutureValue")
             : value;
}

std::string_view status_v2(AlertStatus status) {
  switch (status) {
    case AlertStatus::new_alert:
      return "new";
    case AlertStatus::in_progress:
      return "inProgress";
    case AlertStatus::resolved:
      return "resolved";
  }
  return "unknown";
}

// Resolved alerts carry a verdict; true positives more often for high severity.
std::pair<std::string_view, std::string_view> verdict(const Alert& alert, AlertStatus status) {
  if (status != AlertStatus::resolved) return {"", ""};
  if (alert.seed % 3 == 0) return {"falsePositive", "notMalicious"};
  if (alert.seed % 3 == 1) return {"truePositive", "malware"};
  return {"informationalExpectedActivity", "securityTesting"};
}

void nullable(JsonWriter& w, std::string_view key, std::string_view value) {
  if (value.empty()) {
    json_null(w, key);
  } else {
    json_field(w, key, value);
  }
}

const std::string& analyst() {
  static const std::string name = "secops@contoso.com";
  return name;
}

}  // namespace

void render_alert_v2(JsonWriter& w, const TenantGraph& graph, const Alert& alert,
                     const AlertVersion& version, RenderOptions options) {
  const AlertTemplate& shape = alert_template_for(alert.seed);
  const AlertSubjects subjects = subjects_for(alert.seed);
  const std::string created = format_datetime(alert.created());
  const std::string updated = format_datetime(version.last_update);
  const Incident& incident = graph.incidents()[alert.incident];
  const auto [classification, determination] = verdict(alert, version.status);
  w.StartObject();
  json_field(w, "@odata.type", "#microsoft.graph.security.alert");
  json_field(w, "id", alert.id);
  json_field(w, "providerAlertId", alert.id.substr(2));
  json_field(w, "incidentId", incident.id);
  json_field(w, "status", status_v2(version.status));
  json_field(w, "severity", shape.severity);
  nullable(w, "classification", classification);
  nullable(w, "determination", determination);
  json_field(w, "serviceSource", enum_value(shape.service_source, options));
  json_field(w, "detectionSource", enum_value(shape.detection_source, options));
  json_field(w, "productName", shape.product_name);
  json_field(w, "detectorId", shape.detector_id);
  json_field(w, "tenantId", graph.tenant_id());
  json_field(w, "title", shape.title);
  json_field(w, "description", shape.description);
  json_field(w, "recommendedActions", shape.recommended_actions);
  json_field(w, "category", shape.category);
  nullable(w, "assignedTo", version.status == AlertStatus::new_alert ? "" : analyst());
  json_field(w, "alertWebUrl",
             "https://security.microsoft.com/alerts/" + alert.id + "?tid=" + graph.tenant_id());
  json_field(
      w, "incidentWebUrl",
      "https://security.microsoft.com/incidents/" + incident.id + "?tid=" + graph.tenant_id());
  nullable(w, "actorDisplayName", "");
  nullable(w, "threatDisplayName", shape.threat_family);
  nullable(w, "threatFamilyName", shape.threat_family);
  json_key(w, "mitreTechniques");
  w.StartArray();
  for (const std::string_view technique : shape.mitre_techniques) json_string(w, technique);
  w.EndArray();
  json_field(w, "createdDateTime", created);
  json_field(w, "lastUpdateDateTime", updated);
  nullable(w, "resolvedDateTime", version.status == AlertStatus::resolved ? updated : "");
  json_field(w, "firstActivityDateTime", format_datetime(alert.created() - 3 * kTicksPerMinute));
  json_field(w, "lastActivityDateTime", format_datetime(alert.created() - kTicksPerMinute));
  json_field(w, "alertPolicyId", "");
  json_field(w, "investigationState", "unsupportedAlertType");
  json_key(w, "systemTags");
  w.StartArray();
  w.EndArray();
  json_key(w, "comments");
  w.StartArray();
  if (version.status != AlertStatus::new_alert) {
    w.StartObject();
    json_field(w, "comment", "Investigating.");
    json_field(w, "createdByDisplayName", analyst());
    json_field(w, "createdDateTime", updated);
    w.EndObject();
  }
  w.EndArray();
  write_evidence(w, shape, subjects, created);
  json_key(w, "additionalData");
  w.StartObject();
  json_field(w, "emulatorSeed", static_cast<std::int64_t>(alert.seed >> 12));
  w.EndObject();
  w.EndObject();
}

void render_legacy_alert(JsonWriter& w, const TenantGraph& graph, const Alert& alert,
                         const AlertVersion& version) {
  const AlertTemplate& shape = alert_template_for(alert.seed);
  const AlertSubjects s = subjects_for(alert.seed);
  const std::string updated = format_datetime(version.last_update);
  w.StartObject();
  json_field(w, "id", alert.id);
  json_field(w, "azureTenantId", graph.tenant_id());
  nullable(w, "azureSubscriptionId", "");
  json_field(w, "title", shape.title);
  json_field(w, "description", shape.description);
  json_field(w, "category", shape.category);
  json_field(w, "severity", shape.severity);
  json_field(w, "status",
             version.status == AlertStatus::new_alert     ? "newAlert"
             : version.status == AlertStatus::in_progress ? "inProgress"
                                                          : "resolved");
  nullable(w, "assignedTo", version.status == AlertStatus::new_alert ? "" : analyst());
  json_field(w, "createdDateTime", format_datetime(alert.created()));
  json_field(w, "eventDateTime", format_datetime(alert.created() - kTicksPerMinute));
  json_field(w, "lastModifiedDateTime", updated);
  nullable(w, "closedDateTime", version.status == AlertStatus::resolved ? updated : "");
  json_null(w, "feedback");
  json_key(w, "recommendedActions");
  w.StartArray();
  json_string(w, shape.recommended_actions);
  w.EndArray();
  json_key(w, "incidentIds");
  w.StartArray();
  json_string(w, graph.incidents()[alert.incident].id);
  w.EndArray();
  json_key(w, "vendorInformation");
  w.StartObject();
  json_field(w, "provider", shape.product_name);
  json_field(w, "vendor", "Microsoft");
  json_null(w, "subProvider");
  json_null(w, "providerVersion");
  w.EndObject();
  json_key(w, "userStates");
  w.StartArray();
  w.StartObject();
  json_field(w, "accountName", s.account_name);
  json_field(w, "domainName", s.domain);
  json_field(w, "userPrincipalName", s.upn);
  json_field(w, "aadUserId", s.aad_user_id);
  json_field(w, "logonIp", s.remote_ip);
  w.EndObject();
  w.EndArray();
  json_key(w, "hostStates");
  w.StartArray();
  w.StartObject();
  json_field(w, "fqdn", s.device_name);
  json_field(w, "netBiosName", s.device_name.substr(0, s.device_name.find('.')));
  json_field(w, "os", s.os_platform);
  json_field(w, "privateIpAddress", s.local_ip);
  w.EndObject();
  w.EndArray();
  json_key(w, "fileStates");
  w.StartArray();
  w.StartObject();
  json_field(w, "name", s.file_name);
  json_field(w, "path", s.file_path);
  json_key(w, "fileHash");
  w.StartObject();
  json_field(w, "hashType", "sha256");
  json_field(w, "hashValue", s.sha256);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  json_key(w, "networkConnections");
  w.StartArray();
  w.StartObject();
  json_field(w, "destinationAddress", s.remote_ip);
  json_field(w, "sourceAddress", s.local_ip);
  json_field(w, "destinationUrl", s.url);
  w.EndObject();
  w.EndArray();
  json_empty_array(w, "processes");
  w.EndObject();
}

void render_incident(JsonWriter& w, const TenantGraph& graph, const Incident& incident,
                     const IncidentState& state, RenderOptions options) {
  const Alert& first = graph.alerts()[incident.alerts.front()];
  const AlertTemplate& shape = alert_template_for(first.seed);
  const bool resolved = state.status == "resolved";
  w.StartObject();
  json_field(w, "id", incident.id);
  json_field(w, "tenantId", graph.tenant_id());
  json_field(w, "displayName", std::string(shape.title) + " involving one user");
  json_field(w, "description", shape.description);
  nullable(w, "summary", "");
  json_field(
      w, "incidentWebUrl",
      "https://security.microsoft.com/incidents/" + incident.id + "?tid=" + graph.tenant_id());
  nullable(w, "redirectIncidentId", "");
  json_field(w, "createdDateTime", format_datetime(state.created));
  json_field(w, "lastUpdateDateTime", format_datetime(state.last_update));
  nullable(w, "assignedTo", state.status == "active" ? "" : analyst());
  json_field(w, "classification", resolved ? "truePositive" : "unknown");
  json_field(w, "determination", resolved ? "malware" : "unknown");
  json_field(w, "status", enum_value(state.status, options));
  json_field(w, "severity", severity_name(state.severity_rank));
  json_field(w, "priorityScore", 10 + state.severity_rank * 25);
  json_key(w, "customTags");
  w.StartArray();
  w.EndArray();
  json_key(w, "systemTags");
  w.StartArray();
  json_string(w, "Emulated");
  w.EndArray();
  json_empty_array(w, "comments");
  w.EndObject();
}

void render_malformed_item(JsonWriter& w) {
  w.StartObject();
  json_field(w, "@odata.type", "#microsoft.graph.security.alert");
  json_field(w, "id", 12345);
  json_field(w, "createdDateTime", "yesterday");
  json_field(w, "lastUpdateDateTime", true);
  json_field(w, "severity", 7);
  json_field(w, "evidence", "not-an-array");
  w.EndObject();
}

}  // namespace secfeed::emulator
