// Event -> one OCSF Findings object. Written with direct appends like the json encoder
// (fixed layout, strings escaped and sanitized straight into `out`); the mapping is
// documented field by field in schemas/ocsf-mapping.md.
#include "sinks/encoders/ocsf_encoder.hpp"

#include <chrono>
#include <cstring>

#include "sinks/encoders/json_output.hpp"
#include "sinks/encoders/ocsf_entities.hpp"
#include "sinks/encoders/ocsf_enums.hpp"

namespace secfeed {
namespace {

using ocsf::Enum;

void enum_fields(JsonLine& json, std::string_view id_key, std::string_view caption_key,
                 Enum value) {
  json.key(id_key);
  json.integer(value.id);
  json.key(caption_key);
  json.string(value.caption);
}

// "Detection Finding: Create": both parts are fixed captions, so a stack buffer will do.
void write_type_name(JsonLine& json, std::string_view class_name, std::string_view activity) {
  char buffer[96];
  std::size_t n = 0;
  const auto add = [&](std::string_view part) {
    const std::size_t take = std::min(part.size(), sizeof buffer - n);
    std::memcpy(buffer + n, part.data(), take);
    n += take;
  };
  add(class_name);
  add(": ");
  add(activity);
  json.key("type_name");
  json.string({buffer, n});
}

std::int64_t event_time(const Event& event, const OcsfOptions& options) {
  for (const std::int64_t ms : {event.time_ms, event.updated_ms, event.created_ms}) {
    if (ms != kNoTime) return ms;
  }
  if (options.fallback_time_ms != kNoTime) return options.fallback_time_ms;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view string_attribute(const Event& event, std::string_view key) {
  const Attribute* attribute = event.find_attribute(key);
  return attribute != nullptr && attribute->type == Attribute::Type::string ? attribute->text
                                                                            : std::string_view{};
}

std::string_view title_of(const Event& event) {
  return event.title.empty() ? to_string(event.kind) : event.title;
}

void write_metadata(JsonLine& json, const Event& event, bool cloud_profile) {
  json.key("metadata");
  json.begin_object();
  json.key("version");
  json.string(kOcsfSchemaVersion);
  json.optional_string("uid", event.id);
  json.key("product");
  json.begin_object();
  json.key("name");
  json.string(event.product.empty() ? std::string_view("Security") : event.product);
  json.key("vendor_name");
  json.string(event.vendor.empty() ? std::string_view("Microsoft") : event.vendor);
  json.optional_string("version", event.product_version);
  json.end_object();
  json.optional_string("log_name", event.payload_kind);
  json.optional_string("tenant_uid", event.tenant_id);
  if (cloud_profile) json.raw(R"("profiles":["cloud"])");
  json.end_object();
}

bool has_cloud(const Event& event) {
  return !event.subscription_id.empty() || !event.tenant_id.empty() || !event.tenant_name.empty();
}

void write_cloud(JsonLine& json, const Event& event) {
  json.key("cloud");
  json.begin_object();
  json.key("provider");
  json.string("Azure");
  json.optional_object_of("account", "uid", event.subscription_id);
  if (!event.tenant_id.empty() || !event.tenant_name.empty()) {
    json.key("org");
    json.begin_object();
    json.optional_string("uid", event.tenant_id);
    json.optional_string("name", event.tenant_name);
    json.end_object();
  }
  json.end_object();
}

// MITRE ATT&CK: the model keeps tactics and techniques as separate lists, so each
// becomes its own attack object.
void write_attacks(JsonLine& json, const Event& event) {
  if (event.tactics.empty() && event.techniques.empty()) return;
  json.key("attacks");
  json.begin_array();
  for (const std::string_view tactic : event.tactics) {
    json.begin_object();
    json.key("tactic");
    json.begin_object();
    json.key("name");
    json.string(tactic);
    json.optional_string("uid", ocsf::tactic_uid(tactic));
    json.end_object();
    json.end_object();
  }
  for (const std::string_view technique : event.techniques) {
    json.begin_object();
    json.key("technique");
    json.begin_object();
    json.key("uid");
    json.string(technique);
    json.end_object();
    json.end_object();
  }
  json.end_array();
}

// The finding_info fields every class shares (uid, title, desc, types, times, link).
void write_finding_info_common(JsonLine& json, const Event& event) {
  json.key("uid");
  json.string(event.id);
  json.key("title");
  json.string(title_of(event));
  json.optional_string("desc", event.description);
  if (!event.category.empty()) {
    json.key("types");
    json.begin_array();
    json.string(event.category);
    json.end_array();
  }
  json.optional_time_ms("created_time", event.created_ms);
  json.optional_time_ms("modified_time", event.updated_ms);
  json.optional_string("src_url", event.url);
}

void write_remediation(JsonLine& json, const Event& event) {
  std::string_view desc = event.remediation;
  if (desc.empty() && event.recommended_actions.size() == 1) desc = event.recommended_actions[0];
  if (desc.empty()) return;
  json.key("remediation");
  json.begin_object();
  json.key("desc");
  json.string(desc);
  json.end_object();
}

void write_detection_finding(JsonLine& json, const Event& event) {
  json.key("finding_info");
  json.begin_object();
  write_finding_info_common(json, event);
  json.optional_time_ms("first_seen_time", event.first_activity_ms);
  json.optional_time_ms("last_seen_time", event.last_activity_ms);
  json.optional_string("product_uid", event.provider_id);
  if (!event.detector_id.empty()) {
    json.key("analytic");
    json.begin_object();
    json.key("uid");
    json.string(event.detector_id);
    enum_fields(json, "type_id", "type", {});
    json.end_object();
  }
  write_attacks(json, event);
  if (!event.detection_source.empty()) {
    json.key("data_sources");
    json.begin_array();
    json.string(event.detection_source);
    json.end_array();
  }
  json.end_object();
  write_remediation(json, event);
  ocsf::write_resources(json, event);
  ocsf::write_evidences(json, event);
}

void write_incident_finding(JsonLine& json, const Event& event) {
  json.key("finding_info_list");
  json.begin_array();
  json.begin_object();
  write_finding_info_common(json, event);
  json.end_object();
  json.end_array();
  json.optional_string("desc", event.description);
  json.optional_string("src_url", event.url);
  if (!event.assigned_to.empty()) {
    json.key("assignee");
    json.begin_object();
    const bool email = event.assigned_to.find('@') != std::string_view::npos;
    json.key(email ? "email_addr" : "name");
    json.string(event.assigned_to);
    json.end_object();
  }
  json.optional_time_ms("start_time", event.first_activity_ms);
  json.optional_time_ms("end_time", event.last_activity_ms);
  write_attacks(json, event);
}

// compliance.standards is required: the standard when the record names one (regulatory
// compliance), else the product whose benchmark it is (Defender for Cloud's
// recommendations, Microsoft Secure Score).
void write_compliance(JsonLine& json, const Event& event) {
  json.key("compliance");
  json.begin_object();
  std::string_view standard = string_attribute(event, "standard");
  if (standard.empty()) standard = event.product.empty() ? "Microsoft" : event.product;
  json.key("standards");
  json.begin_array();
  json.string(standard);
  json.end_array();
  std::string_view control = string_attribute(event, "control");
  if (control.empty()) control = string_attribute(event, "control_name");
  if (control.empty()) control = string_attribute(event, "control_id");
  if (control.empty()) {
    switch (event.kind) {
      case EventKind::control_profile:
        control = event.id;
        break;
      case EventKind::secure_score:
        break;  // the whole tenant, no single control
      default:
        control = event.title;
    }
  }
  json.optional_string("control", control);
  const Enum status = ocsf::compliance_status(event);
  enum_fields(json, "status_id", "status", status);
  json.optional_string("status_code", event.status);
  json.optional_string("status_detail", string_attribute(event, "status_description"));
  json.end_object();
}

void write_compliance_finding(JsonLine& json, const Event& event) {
  json.key("finding_info");
  json.begin_object();
  write_finding_info_common(json, event);
  json.end_object();
  write_compliance(json, event);
  write_remediation(json, event);
  ocsf::write_resources(json, event);
  ocsf::write_evidences(json, event);
}

// Everything the OCSF class has no attribute for, under our own field names.
void write_unmapped(JsonLine& json, const Event& event, int class_uid) {
  json.key("unmapped");
  json.begin_object();
  json.key("kind");
  json.string(to_string(event.kind));
  json.optional_string("source", event.source);
  json.key("severity_score");
  json.integer(event.severity_score);
  if (class_uid != ocsf::kClassDetectionFinding) {
    json.optional_string("provider_id", event.provider_id);
    json.optional_string("detector_id", event.detector_id);
    json.optional_string("detection_source", event.detection_source);
  }
  if (class_uid != ocsf::kClassIncidentFinding) {
    json.optional_string("assigned_to", event.assigned_to);
  }
  json.optional_string("incident_id", event.incident_id);
  json.optional_string("classification", event.classification);
  json.optional_string("determination", event.determination);
  json.optional_string("service_source", event.service_source);
  json.optional_time_ms("resolved_time", event.resolved_ms);
  json.optional_list("tags", event.tags);
  json.optional_list("recommended_actions", event.recommended_actions);
  if (class_uid == ocsf::kClassIncidentFinding) {
    json.optional_string("subscription_id", event.subscription_id);
    json.optional_string("resource_id", event.resource_id);
  }
  json.optional_attributes("attributes", event);
  json.end_object();
}

}  // namespace

void encode_ocsf(const Event& event, std::string& out, const OcsfOptions& options) {
  out.reserve(out.size() + 2048 + event.description.size());
  JsonLine json(out);
  const ocsf::EventClass event_class = ocsf::class_of(event.kind);
  const Enum activity = ocsf::activity(event);
  json.begin_object();
  enum_fields(json, "activity_id", "activity_name", activity);
  json.key("category_uid");
  json.integer(ocsf::kCategoryFindings);
  json.key("category_name");
  json.string("Findings");
  json.key("class_uid");
  json.integer(event_class.uid);
  json.key("class_name");
  json.string(event_class.name);
  json.key("type_uid");
  json.integer(event_class.uid * 100 + activity.id);
  write_type_name(json, event_class.name, activity.caption);
  enum_fields(json, "severity_id", "severity", ocsf::severity(event.severity));
  if (event_class.uid != ocsf::kClassComplianceFinding) {
    // A compliance record's status is its compliance result (compliance.status_code).
    const Enum status = event_class.uid == ocsf::kClassIncidentFinding
                            ? ocsf::incident_status(event.status)
                            : ocsf::finding_status(event.status);
    enum_fields(json, "status_id", "status", status);
    json.optional_string("status_code", event.status);
  }
  json.key("time");
  json.integer(event_time(event, options));
  json.optional_string("message", event.title);
  const bool cloud = has_cloud(event);
  write_metadata(json, event, cloud);
  if (cloud) write_cloud(json, event);
  switch (event_class.uid) {
    case ocsf::kClassDetectionFinding:
      write_detection_finding(json, event);
      break;
    case ocsf::kClassIncidentFinding:
      write_incident_finding(json, event);
      break;
    default:
      write_compliance_finding(json, event);
  }
  ocsf::write_observables(json, event);
  write_unmapped(json, event, event_class.uid);
  json.end_object();
}

}  // namespace secfeed
