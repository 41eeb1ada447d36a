// Defender for Cloud recommendations: `type: Microsoft.Security/assessments`
// -> kind recommendation, payload_kind mdc_recommendation.
//
// Mapping (camelCase as Microsoft documents it; keys match case-insensitively):
//   id               id (the assessment's ARM id, on its resource) - required
//   subscription_id  from id, else from the resource id
//   tenant_id        tenantId
//   title            properties.displayName, else properties.metadata.displayName
//   description      properties.metadata.description
//   status           properties.status.code (Healthy, Unhealthy, NotApplicable)
//   updated_ms       properties.status.statusChangeDate
//   created_ms       properties.status.firstEvaluationDate
//   time_ms          statusChangeDate, else firstEvaluationDate
//   resource_id      properties.resourceDetails.id, else .nativeResourceId (AWS/GCP);
//                    also a resource entity (name resourceName, type_name resourceType)
//   severity         properties.metadata.severity
//   category, tags   first of / all of properties.metadata.categories
//   remediation      properties.metadata.remediationDescription
//   url              properties.links.azurePortal (https:// added when it has no scheme)
// Attributes (only when present):
//   assessment_key (name), status_cause, status_description, resource_source,
//   categories (json), threats (json), user_impact, implementation_effort,
//   assessment_type, policy_definition_id, additional_data (json), and from the
//   enrichment object (assessmentEventDataEnrichment, any casing): action (Insert,
//   Delete), is_snapshot (boolean), interval.
#include "connector/normalize/defender_common.hpp"

namespace secfeed::defender {
namespace {

void read_status(ObjectReader& properties, Event& event) {
  const rapidjson::Value* status = properties.object("status");
  if (status == nullptr) return;
  ObjectReader reader = properties.child(*status, "status");
  event.status = reader.string("code");
  add_string_if(event, "status_cause", reader.string("cause"));
  add_string_if(event, "status_description", reader.string("description"));
  const std::optional<std::int64_t> changed = reader.time("statusChangeDate");
  const std::optional<std::int64_t> first = reader.time("firstEvaluationDate");
  if (changed) event.updated_ms = *changed;
  if (first) event.created_ms = *first;
  event.time_ms = changed ? *changed : (first ? *first : kNoTime);
}

void read_metadata(ObjectReader& properties, Event& event, Arena& arena) {
  const rapidjson::Value* metadata = properties.object("metadata");
  if (metadata == nullptr) return;
  ObjectReader reader = properties.child(*metadata, "metadata");
  if (event.title.empty()) event.title = reader.string("displayName");
  event.description = reader.string("description");
  set_severity(event, reader.string("severity"));
  read_string_array(reader, "categories", event.tags);
  if (!event.tags.empty()) event.category = event.tags.front();
  add_json_if(event, "categories", reader.array("categories"), arena);
  add_json_if(event, "threats", reader.array("threats"), arena);
  add_string_if(event, "user_impact", reader.string("userImpact"));
  add_string_if(event, "implementation_effort", reader.string("implementationEffort"));
  event.remediation = reader.string("remediationDescription");
  add_string_if(event, "assessment_type", reader.string("assessmentType"));
  add_string_if(event, "policy_definition_id", reader.string("policyDefinitionId"));
}

}  // namespace

bool normalize_assessment(const rapidjson::Value& item, const NormalizeContext& ctx,
                          EventBatch& out, std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::recommendation, "mdc_recommendation");
  add_string_if(event, "assessment_key", read_arm_envelope(record, event));
  const rapidjson::Value* properties = required_object(record, "properties");
  if (properties == nullptr) return false;
  ObjectReader reader = record.child(*properties, "properties");
  event.title = reader.string("displayName");
  read_status(reader, event);
  read_resource_details(reader, event);
  read_metadata(reader, event, ctx.arena);
  if (const rapidjson::Value* links = reader.object("links")) {
    ObjectReader links_reader = reader.child(*links, "links");
    event.url = portal_url(links_reader.string("azurePortal"), ctx.arena);
  }
  add_json_if(event, "additional_data", reader.object("additionalData"), ctx.arena);
  return !record.failed();
}

}  // namespace secfeed::defender
