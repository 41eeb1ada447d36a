// Defender for Cloud regulatory compliance: `type` ending in
// regulatoryComplianceControls/regulatoryComplianceAssessments -> kind compliance,
// payload_kind mdc_compliance.
//
// Mapping:
//   id               id (.../regulatoryComplianceStandards/<standard>/
//                    regulatoryComplianceControls/<control>/
//                    regulatoryComplianceAssessments/<assessment>) - required
//   subscription_id  from id          tenant_id  tenantId
//   title, description  properties.description (the export has no other name)
//   status           properties.state (Passed, Failed, Skipped, Unsupported)
//   severity         Failed -> medium (the export gives none; a failed control is a
//                    gap to look at, not an active threat), Passed / Skipped /
//                    Unsupported -> informational, anything else unknown
//   url              properties.assessmentDetailsLink
// Attributes (only when present): standard, control, assessment (from the id),
//   passed_resources, failed_resources, skipped_resources (integers),
//   assessment_type, assessment_details_link, action, is_snapshot, interval
//   (securityEventDataEnrichment).
#include "connector/core/text.hpp"
#include "connector/normalize/defender_common.hpp"

namespace secfeed::defender {
namespace {

Severity severity_of_state(std::string_view state) {
  if (iequals(state, "Failed")) return Severity::medium;
  if (iequals(state, "Passed") || iequals(state, "Skipped") || iequals(state, "Unsupported")) {
    return Severity::informational;
  }
  return Severity::unknown;
}

}  // namespace

bool normalize_compliance(const rapidjson::Value& item, const NormalizeContext&, EventBatch& out,
                          std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::compliance, "mdc_compliance");
  read_arm_envelope(record, event);
  add_string_if(event, "standard", segment_after(event.id, "/regulatoryComplianceStandards/"));
  add_string_if(event, "control", segment_after(event.id, "/regulatoryComplianceControls/"));
  add_string_if(event, "assessment", segment_after(event.id, "/regulatoryComplianceAssessments/"));
  const rapidjson::Value* properties = required_object(record, "properties");
  if (properties == nullptr) return false;
  ObjectReader reader = record.child(*properties, "properties");
  event.description = reader.string("description");
  event.title = event.description;
  event.status = reader.string("state");
  event.severity = severity_of_state(event.status);
  add_integer_if(event, "passed_resources", reader.integer("passedResources"));
  add_integer_if(event, "failed_resources", reader.integer("failedResources"));
  add_integer_if(event, "skipped_resources", reader.integer("skippedResources"));
  add_string_if(event, "assessment_type", reader.string("assessmentType"));
  const std::string_view link = reader.string("assessmentDetailsLink");
  add_string_if(event, "assessment_details_link", link);
  event.url = link;
  return !record.failed();
}

}  // namespace secfeed::defender
