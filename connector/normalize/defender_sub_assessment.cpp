// Defender for Cloud security findings (sub-assessments): `$type: subAssessmentEvent`
// or `Type: Microsoft.Security/assessments/subAssessments` -> kind finding,
// payload_kind mdc_finding. Samples come in PascalCase and camelCase; keys match
// case-insensitively, error paths use the record's spelling
// (`Properties.Status.Code: expected a string, got a number`).
//
// Mapping:
//   id               Id (ARM id of the sub-assessment) - required
//   subscription_id  from Id, else from the resource id
//   tenant_id        TenantId
//   title            Properties.DisplayName     description  Properties.Description
//   status           Properties.Status.Code     severity     Properties.Status.Severity
//   remediation      Properties.Remediation     category     Properties.Category
//   time_ms          Properties.TimeGenerated
//   resource_id      Properties.ResourceDetails.Id (else NativeResourceId), also a
//                    resource entity
// Attributes (only when present):
//   finding_id (Properties.Id: the vulnerability/check id), assessment_id (the parent
//   assessment: Id up to /subAssessments/), impact, status_cause, status_description,
//   resource_source, assessed_resource_type (Properties.AdditionalData.
//   AssessedResourceType), additional_data (json), action, is_snapshot, interval.
#include "connector/core/text.hpp"
#include "connector/normalize/defender_common.hpp"

namespace secfeed::defender {
namespace {

std::string_view parent_assessment(std::string_view id) {
  constexpr std::string_view kMarker = "/subAssessments/";
  for (std::size_t i = 0; i + kMarker.size() <= id.size(); ++i) {
    if (iequals(id.substr(i, kMarker.size()), kMarker)) return id.substr(0, i);
  }
  return {};
}

void read_status(ObjectReader& properties, Event& event) {
  const rapidjson::Value* status = properties.object("Status");
  if (status == nullptr) return;
  ObjectReader reader = properties.child(*status, "Status");
  event.status = reader.string("Code");
  set_severity(event, reader.string("Severity"));
  add_string_if(event, "status_cause", reader.string("Cause"));
  add_string_if(event, "status_description", reader.string("Description"));
}

}  // namespace

bool normalize_sub_assessment(const rapidjson::Value& item, const NormalizeContext& ctx,
                              EventBatch& out, std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::finding, "mdc_finding");
  read_arm_envelope(record, event);
  const rapidjson::Value* properties = required_object(record, "Properties");
  if (properties == nullptr) return false;
  ObjectReader reader = record.child(*properties, "Properties");
  add_string_if(event, "finding_id", reader.string("Id"));
  add_string_if(event, "assessment_id", parent_assessment(event.id));
  event.title = reader.string("DisplayName");
  event.description = reader.string("Description");
  read_status(reader, event);
  event.remediation = reader.string("Remediation");
  event.category = reader.string("Category");
  add_string_if(event, "impact", reader.string("Impact"));
  if (std::optional<std::int64_t> generated = reader.time("TimeGenerated")) {
    event.time_ms = *generated;
  }
  read_resource_details(reader, event);
  if (const rapidjson::Value* additional = reader.object("AdditionalData")) {
    ObjectReader additional_reader = reader.child(*additional, "AdditionalData");
    add_string_if(event, "assessed_resource_type",
                  additional_reader.string("AssessedResourceType"));
    add_json_if(event, "additional_data", additional, ctx.arena);
  }
  return !record.failed();
}

}  // namespace secfeed::defender
