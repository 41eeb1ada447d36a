// The normalized event as one JSON line; the shape is schemas/event.schema.json.
// Empty optional fields are left out, so a consumer tests presence, never "".
// Written with direct appends (the layout is fixed): strings are escaped and
// sanitized in one pass straight into `out`.
#include "connector/core/text.hpp"
#include "connector/core/time.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed {
namespace {

// Bumped when a field changes meaning or type (additions keep the version).
constexpr int kEventSchemaVersion = 1;

}  // namespace

void encode_json(const Event& event, std::string& out) {
  out.reserve(out.size() + 1024 + event.description.size());
  JsonLine json(out);
  json.begin_object();
  json.key("schema_version");
  json.integer(kEventSchemaVersion);
  json.key("kind");
  json.string(to_string(event.kind));
  json.key("id");
  json.string(event.id);
  json.optional_string("provider_id", event.provider_id);
  if (!event.tenant_id.empty() || !event.tenant_name.empty()) {
    json.key("tenant");
    json.begin_object();
    json.optional_string("id", event.tenant_id);
    json.optional_string("name", event.tenant_name);
    json.end_object();
  }
  json.optional_string("source", event.source);
  json.optional_string("payload_kind", event.payload_kind);
  json.optional_string("vendor", event.vendor);
  json.optional_string("product", event.product);
  json.optional_string("product_version", event.product_version);
  json.optional_string("title", event.title);
  json.optional_string("description", event.description);
  json.key("severity");
  json.begin_object();
  json.key("label");
  json.string(to_string(event.severity));
  json.key("score");
  json.integer(event.severity_score < 0    ? 0
               : event.severity_score > 10 ? 10
                                           : event.severity_score);
  json.end_object();
  json.optional_string("status", event.status);
  json.optional_string("category", event.category);
  json.optional_string("classification", event.classification);
  json.optional_string("determination", event.determination);
  json.optional_string("assigned_to", event.assigned_to);
  json.optional_string("detection_source", event.detection_source);
  json.optional_string("service_source", event.service_source);
  json.optional_string("detector_id", event.detector_id);
  json.optional_string("incident_id", event.incident_id);
  json.optional_string("url", event.url);
  json.optional_string("remediation", event.remediation);
  json.optional_string("subscription_id", event.subscription_id);
  json.optional_string("resource_id", event.resource_id);
  json.optional_time("time", event.time_ms);
  json.optional_time("created_time", event.created_ms);
  json.optional_time("updated_time", event.updated_ms);
  json.optional_time("first_activity_time", event.first_activity_ms);
  json.optional_time("last_activity_time", event.last_activity_ms);
  json.optional_time("resolved_time", event.resolved_ms);
  json.optional_list("tactics", event.tactics);
  json.optional_list("techniques", event.techniques);
  json.optional_list("tags", event.tags);
  json.optional_list("recommended_actions", event.recommended_actions);
  if (!event.entities.empty()) {
    json.key("entities");
    json.begin_array();
    for (const Entity& entity : event.entities) write_entity(json, entity);
    json.end_array();
  }
  json.optional_attributes("attributes", event);
  json.end_object();
}

}  // namespace secfeed
