#include "sinks/encoders/ocsf_enums.hpp"

#include <optional>
#include <utility>

#include "connector/core/text.hpp"

namespace secfeed::ocsf {
namespace {

constexpr Enum kOther{99, "Other"};

struct Caption {
  std::string_view text;  // vendor spelling, compared case-insensitively
  Enum value;
};

// Looks `text` up in `table`; Unknown when empty, Other when not listed.
template <std::size_t N>
Enum lookup(std::string_view text, const Caption (&table)[N]) {
  if (text.empty()) return {};
  for (const Caption& entry : table) {
    if (iequals(entry.text, text)) return entry.value;
  }
  return kOther;
}

bool status_closes(std::string_view status) {
  return iequals(status, "resolved") || iequals(status, "dismissed") || iequals(status, "closed") ||
         iequals(status, "redirected");
}

std::optional<double> numeric_attribute(const Event& event, std::string_view key) {
  const Attribute* attribute = event.find_attribute(key);
  if (attribute == nullptr) return std::nullopt;
  if (attribute->type == Attribute::Type::integer) return static_cast<double>(attribute->integer);
  if (attribute->type == Attribute::Type::number) return attribute->number;
  return std::nullopt;
}

// Percent of the achievable score reached: Graph control scores give it, the others
// give current and max.
std::optional<double> score_percent(const Event& event) {
  if (std::optional<double> percent = numeric_attribute(event, "score_in_percentage")) {
    return percent;
  }
  const std::optional<double> current = numeric_attribute(event, "current_score");
  const std::optional<double> max = numeric_attribute(event, "max_score");
  if (!current || !max || !(*max > 0)) return std::nullopt;
  return *current / *max * 100;
}

}  // namespace

EventClass class_of(EventKind kind) {
  switch (kind) {
    case EventKind::alert:
      return {kClassDetectionFinding, "Detection Finding"};
    case EventKind::incident:
      return {kClassIncidentFinding, "Incident Finding"};
    case EventKind::secure_score:
    case EventKind::control_score:
    case EventKind::control_profile:
    case EventKind::recommendation:
    case EventKind::finding:
    case EventKind::compliance:
    case EventKind::score_change:
      break;
  }
  return {kClassComplianceFinding, "Compliance Finding"};
}

Enum severity(Severity severity) {
  switch (severity) {
    case Severity::informational:
      return {1, "Informational"};
    case Severity::low:
      return {2, "Low"};
    case Severity::medium:
      return {3, "Medium"};
    case Severity::high:
      return {4, "High"};
    case Severity::critical:
      return {5, "Critical"};
    case Severity::unknown:
      break;
  }
  return {};
}

Enum activity(const Event& event) {
  const Attribute* action = event.find_attribute("action");
  const bool deleted = action != nullptr && action->type == Attribute::Type::string &&
                       iequals(action->text, "Delete");
  if (deleted || status_closes(event.status)) return {3, "Close"};
  if (event.updated_ms != kNoTime && event.created_ms != kNoTime &&
      event.updated_ms > event.created_ms) {
    return {2, "Update"};
  }
  return {1, "Create"};
}

Enum finding_status(std::string_view status) {
  static constexpr Caption kTable[] = {
      {"new", {1, "New"}},
      {"active", {1, "New"}},
      {"inProgress", {2, "In Progress"}},
      {"resolved", {4, "Resolved"}},
      {"dismissed", {3, "Suppressed"}},
  };
  return lookup(status, kTable);
}

Enum incident_status(std::string_view status) {
  static constexpr Caption kTable[] = {
      {"new", {1, "New"}},
      {"active", {1, "New"}},
      {"inProgress", {2, "In Progress"}},
      {"awaitingAction", {3, "On Hold"}},
      {"resolved", {4, "Resolved"}},
      {"redirected", {5, "Closed"}},  // merged into another incident
      {"closed", {5, "Closed"}},
  };
  return lookup(status, kTable);
}

Enum compliance_status(const Event& event) {
  static constexpr Caption kTable[] = {
      {"Healthy", {1, "Pass"}},
      {"Passed", {1, "Pass"}},
      {"Unhealthy", {3, "Fail"}},
      {"Failed", {3, "Fail"}},
  };
  switch (event.kind) {
    case EventKind::recommendation:
    case EventKind::finding:
    case EventKind::compliance:
      return lookup(event.status, kTable);
    case EventKind::secure_score:
    case EventKind::control_score:
    case EventKind::score_change: {
      const std::optional<double> percent = score_percent(event);
      if (!percent) return {};
      if (*percent >= 100) return {1, "Pass"};
      if (*percent <= 0) return {3, "Fail"};
      return {2, "Warning"};
    }
    case EventKind::alert:
    case EventKind::incident:
    case EventKind::control_profile:
      break;
  }
  return {};
}

Enum verdict(std::string_view verdict) {
  static constexpr Caption kTable[] = {
      {"unknown", {0, "Unknown"}},
      {"suspicious", {4, "Suspicious"}},
      {"malicious", {2, "True Positive"}},
      {"noThreatsFound", {5, "Benign"}},
  };
  return lookup(verdict, kTable);
}

Enum os_type(std::string_view os) {
  if (os.empty()) return {};
  if (istarts_with(os, "windows")) return {100, "Windows"};
  if (istarts_with(os, "linux") || istarts_with(os, "ubuntu") || istarts_with(os, "rhel") ||
      istarts_with(os, "centos") || istarts_with(os, "debian")) {
    return {200, "Linux"};
  }
  if (istarts_with(os, "android")) return {201, "Android"};
  if (istarts_with(os, "mac")) return {300, "macOS"};
  if (istarts_with(os, "ios")) return {301, "iOS"};
  return kOther;
}

std::string_view tactic_uid(std::string_view tactic) {
  static constexpr std::pair<std::string_view, std::string_view> kTactics[] = {
      {"Reconnaissance", "TA0043"}, {"ResourceDevelopment", "TA0042"},
      {"InitialAccess", "TA0001"},  {"Execution", "TA0002"},
      {"Persistence", "TA0003"},    {"PrivilegeEscalation", "TA0004"},
      {"DefenseEvasion", "TA0005"}, {"CredentialAccess", "TA0006"},
      {"Discovery", "TA0007"},      {"LateralMovement", "TA0008"},
      {"Collection", "TA0009"},     {"CommandAndControl", "TA0011"},
      {"Exfiltration", "TA0010"},   {"Impact", "TA0040"},
  };
  for (const auto& [name, uid] : kTactics) {
    if (iequals(name, tactic)) return uid;
  }
  return {};
}

}  // namespace secfeed::ocsf
