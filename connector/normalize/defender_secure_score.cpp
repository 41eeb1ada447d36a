// Defender for Cloud secure scores, overall and per control.
//
// `type: Microsoft.Security/secureScores` (id ends in /secureScores/ascScore)
//   -> kind secure_score, payload_kind mdc_secure_score
// `type: Microsoft.Security/secureScores/secureScoreControls`
//   -> kind control_score, payload_kind mdc_secure_score_control
//
// Both: id (required), subscription_id from id, tenant_id from tenantId,
// title = properties.displayName, severity informational (a score is a state, not a
// threat). The export carries no timestamp, so time_ms stays absent.
// Attributes, both (only when present): current_score, max_score, percentage (numbers,
//   properties.score{current, max, percentage}), weight (integer), action,
//   is_snapshot, interval (enrichment object).
// Control only: control_id (last id segment), healthy_resource_count,
//   unhealthy_resource_count, not_applicable_resource_count (integers),
//   definition_max_score (number) and assessment_definitions (json) from
//   properties.definition - read there or under definition.properties, the ARM shape.
#include "connector/normalize/defender_common.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed::defender {
namespace {

// The envelope, displayName, score and weight both kinds share. Returns the
// properties object (nullptr after an error).
const rapidjson::Value* read_score_record(ObjectReader& record, Event& event) {
  read_arm_envelope(record, event);
  event.severity = Severity::informational;
  const rapidjson::Value* properties = required_object(record, "properties");
  if (properties == nullptr) return nullptr;
  ObjectReader reader = record.child(*properties, "properties");
  event.title = reader.string("displayName");
  if (const rapidjson::Value* score = reader.object("score")) {
    ObjectReader score_reader = reader.child(*score, "score");
    add_number_if(event, "current_score", score_reader.number("current"));
    add_number_if(event, "max_score", score_reader.number("max"));
    add_number_if(event, "percentage", score_reader.number("percentage"));
  }
  add_integer_if(event, "weight", reader.integer("weight"));
  return record.failed() ? nullptr : properties;
}

void read_definition(ObjectReader& properties, Event& event, Arena& arena) {
  const rapidjson::Value* definition = properties.object("definition");
  if (definition == nullptr) return;
  ObjectReader reader = properties.child(*definition, "definition");
  std::optional<double> max_score = reader.number("maxScore");
  const rapidjson::Value* assessments = reader.array("assessmentDefinitions");
  if (const rapidjson::Value* nested = reader.object("properties")) {
    ObjectReader nested_reader = reader.child(*nested, "properties");
    if (!max_score) max_score = nested_reader.number("maxScore");
    if (assessments == nullptr) assessments = nested_reader.array("assessmentDefinitions");
  }
  add_number_if(event, "definition_max_score", max_score);
  add_json_if(event, "assessment_definitions", assessments, arena);
}

}  // namespace

bool normalize_secure_score(const rapidjson::Value& item, const NormalizeContext&, EventBatch& out,
                            std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::secure_score, "mdc_secure_score");
  return read_score_record(record, event) != nullptr;
}

bool normalize_secure_score_control(const rapidjson::Value& item, const NormalizeContext& ctx,
                                    EventBatch& out, std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::control_score, "mdc_secure_score_control");
  const rapidjson::Value* properties = read_score_record(record, event);
  if (properties == nullptr) return false;
  add_string_if(event, "control_id", last_path_segment(event.id));
  ObjectReader reader = record.child(*properties, "properties");
  add_integer_if(event, "healthy_resource_count", reader.integer("healthyResourceCount"));
  add_integer_if(event, "unhealthy_resource_count", reader.integer("unhealthyResourceCount"));
  add_integer_if(event, "not_applicable_resource_count",
                 reader.integer("notApplicableResourceCount"));
  read_definition(reader, event, ctx.arena);
  return !record.failed();
}

}  // namespace secfeed::defender
