// Internal to the Defender for Cloud normalizers (connector/normalize/defender_*.cpp):
// the per-record-type entry points that defender_record.cpp dispatches to, and the
// helpers they share.
//
// Conventions for every Defender record type:
//   * keys are looked up case-insensitively (KeyMatch::case_insensitive): the export
//     mixes casings between record types and even between samples of one type;
//   * error paths spell keys as the record does (ObjectReader reports the data's
//     spelling for case-insensitive readers), e.g. `Properties.Status.Code: expected a
//     string, got a number` for a PascalCase finding, `properties.status.code: ...` for
//     a camelCase one; a key that is missing is spelled as in our code (the documented
//     schema);
//   * every event gets product "Microsoft Defender for Cloud" unless the record names
//     its own, a precise payload_kind (mdc_alert ...), the subscription derived from
//     any ARM id it carries, and the record's tenant id when present.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/core/json_reader.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed::defender {

inline constexpr std::string_view kProduct = "Microsoft Defender for Cloud";

// Per record type; same contract as normalize_defender_record. Each appends one event.
bool normalize_alert_flat(const rapidjson::Value& item, const NormalizeContext& ctx,
                          EventBatch& out, std::string& error);
bool normalize_alert_arm(const rapidjson::Value& item, const NormalizeContext& ctx, EventBatch& out,
                         std::string& error);
bool normalize_assessment(const rapidjson::Value& item, const NormalizeContext& ctx,
                          EventBatch& out, std::string& error);
bool normalize_sub_assessment(const rapidjson::Value& item, const NormalizeContext& ctx,
                              EventBatch& out, std::string& error);
bool normalize_secure_score(const rapidjson::Value& item, const NormalizeContext& ctx,
                            EventBatch& out, std::string& error);
bool normalize_secure_score_control(const rapidjson::Value& item, const NormalizeContext& ctx,
                                    EventBatch& out, std::string& error);
bool normalize_compliance(const rapidjson::Value& item, const NormalizeContext& ctx,
                          EventBatch& out, std::string& error);

// Appends an event with kind, payload_kind and the default product set.
Event& start_event(EventBatch& out, EventKind kind, std::string_view payload_kind);

// The ARM envelope of assessments, sub-assessments, scores and compliance records:
// id (required) -> event.id and subscription_id, tenantId -> tenant_id, and the
// export's enrichment object -> action, is_snapshot, interval. Returns the name.
std::string_view read_arm_envelope(ObjectReader& record, Event& event);

// An object that must be present: missing -> `<key>: required field is missing`.
const rapidjson::Value* required_object(ObjectReader& reader, std::string_view key);

// properties.resourceDetails{source, id, nativeResourceId, resourceName, resourceType}:
// resource_id (Azure id, else the AWS/GCP native id), a resource entity, the
// subscription, and the attribute resource_source.
void read_resource_details(ObjectReader& properties, Event& event);

// Fills subscription_id from an ARM id unless it is already set.
void set_subscription_from(Event& event, std::string_view arm_id);

// Text of the path segment after `marker` ("/secureScores/" ...), matched
// case-insensitively; "" when absent.
std::string_view segment_after(std::string_view id, std::string_view marker);

// Severity enum from vendor text (High, Medium, Low, Informational ...).
void set_severity(Event& event, std::string_view text);

// Attributes that are only added when present.
void add_string_if(Event& event, std::string_view key, std::string_view value);
void add_integer_if(Event& event, std::string_view key, std::optional<std::int64_t> value);
void add_number_if(Event& event, std::string_view key, std::optional<double> value);
void add_boolean_if(Event& event, std::string_view key, std::optional<bool> value);
void add_json_if(Event& event, std::string_view key, const rapidjson::Value* value, Arena& arena);

// An array of strings under `key`; a non-string element is an error naming its index
// (`RemediationSteps[2]: expected a string, got a number`). Empty strings are skipped.
void read_string_array(ObjectReader& reader, std::string_view key,
                       std::vector<std::string_view>& out);

// Azure portal links arrive without a scheme ("portal.azure.com/#blade/..."): prefix
// https:// so every sink gets a clickable URL.
std::string_view portal_url(std::string_view link, Arena& arena);

// Shortens a value quoted in an error message (a hostile record may carry 1 MB).
std::string_view excerpt(std::string_view text);

// Entities[] of an alert (flat or ARM form), `$id`/`$ref` resolved; see
// defender_alert_entities.cpp.
void read_alert_entities(ObjectReader& alert, std::string_view key, Event& event, Arena& arena);

}  // namespace secfeed::defender
