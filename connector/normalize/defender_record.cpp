// Classifies one Defender for Cloud continuous-export record and hands it to the
// normalizer of its type.
//
// Recognition (keys and values compared case-insensitively):
//   type  Microsoft.Security/assessments                          -> recommendation
//   type  Microsoft.Security/assessments/subAssessments,
//   $type subAssessmentEvent                                      -> finding
//   type  Microsoft.Security/secureScores                         -> secure_score
//   type  Microsoft.Security/secureScores/secureScoreControls     -> control_score
//   type  ...regulatoryComplianceControls/regulatoryComplianceAssessments -> compliance
//   type  ending in /alerts (Microsoft.Security/Locations/alerts) -> alert (ARM form)
//   SystemAlertId / AlertType / AlertDisplayName at the top       -> alert (flat form)
//   no type, but properties.systemAlertId / properties.alertType  -> alert (ARM form)
// A recognised type wins over the alert keys; the alert keys win over an unrecognised
// type (Log Analytics copies of alerts carry `Type: SecurityAlert`). Anything else is
// rejected with what was seen:
//   unrecognised Defender for Cloud record: type "Microsoft.Foo/bar"
//   unrecognised Defender for Cloud record: no type, $type or alert keys
#include <string>

#include "connector/core/text.hpp"
#include "connector/normalize/defender_common.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {
namespace {

using Normalizer = bool (*)(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                            std::string&);

struct TypeRoute {
  std::string_view type;
  bool suffix;  // match the end of the type rather than all of it
  Normalizer normalizer;
};

constexpr TypeRoute kTypeRoutes[] = {
    {"Microsoft.Security/assessments", false, defender::normalize_assessment},
    {"Microsoft.Security/assessments/subAssessments", false, defender::normalize_sub_assessment},
    {"subAssessmentEvent", false, defender::normalize_sub_assessment},
    {"Microsoft.Security/secureScores", false, defender::normalize_secure_score},
    {"Microsoft.Security/secureScores/secureScoreControls", false,
     defender::normalize_secure_score_control},
    {"regulatoryComplianceControls/regulatoryComplianceAssessments", true,
     defender::normalize_compliance},
    {"/alerts", true, defender::normalize_alert_arm},
};

Normalizer route_for_type(std::string_view type) {
  if (type.empty()) return nullptr;
  for (const TypeRoute& route : kTypeRoutes) {
    if (route.suffix ? iends_with(type, route.type) : iequals(type, route.type)) {
      return route.normalizer;
    }
  }
  return nullptr;
}

bool has_any(const rapidjson::Value& object, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (find_member(object, key, KeyMatch::case_insensitive) != nullptr) return true;
  }
  return false;
}

bool looks_like_arm_alert(const rapidjson::Value& item) {
  const rapidjson::Value* properties = find_member(item, "properties", KeyMatch::case_insensitive);
  return properties != nullptr && properties->IsObject() &&
         has_any(*properties, {"systemAlertId", "alertType"});
}

void describe_unrecognised(std::string_view key, std::string_view value, std::string& error) {
  const std::string_view shown = defender::excerpt(value);
  error = "unrecognised Defender for Cloud record: ";
  error += key;
  error += " \"";
  error += shown;
  if (shown.size() < value.size()) error += "...";
  error += '"';
}

}  // namespace

bool normalize_defender_record(const rapidjson::Value& item, const NormalizeContext& ctx,
                               EventBatch& out, std::string& error) {
  if (!item.IsObject()) {
    error = "expected a JSON object, got ";
    error += json_type_name(item);
    return false;
  }
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  const std::string_view type = record.string("type");
  const std::string_view dollar_type = record.string("$type");
  if (record.failed()) return false;

  Normalizer normalizer = route_for_type(dollar_type);
  if (normalizer == nullptr) normalizer = route_for_type(type);
  if (normalizer == nullptr) {
    if (has_any(item, {"SystemAlertId", "AlertType", "AlertDisplayName"})) {
      normalizer = defender::normalize_alert_flat;
    } else if (type.empty() && dollar_type.empty() && looks_like_arm_alert(item)) {
      normalizer = defender::normalize_alert_arm;
    }
  }
  if (normalizer == nullptr) {
    if (!type.empty()) {
      describe_unrecognised("type", type, error);
    } else if (!dollar_type.empty()) {
      describe_unrecognised("$type", dollar_type, error);
    } else {
      error = "unrecognised Defender for Cloud record: no type, $type or alert keys";
    }
    return false;
  }

  // The dispatcher truncates too; doing it here keeps direct callers' batches clean.
  const std::size_t first = out.size();
  if (!normalizer(item, ctx, out, error) || !error.empty()) {
    out.truncate(first);
    if (error.empty()) error = "rejected by the Defender for Cloud normalizer";
    return false;
  }
  return true;
}

}  // namespace secfeed
