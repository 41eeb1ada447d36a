// OCSF enumerations: the Event's open vendor strings -> OCSF ids and captions. Internal
// to the ocsf encoder (sinks/encoders/ocsf_*.cpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "connector/core/event.hpp"

namespace secfeed::ocsf {

// An enum value as OCSF writes it: `<x>_id` and its caption `<x>`.
struct Enum {
  int id = 0;
  std::string_view caption = "Unknown";
};

inline constexpr int kCategoryFindings = 2;
inline constexpr int kClassComplianceFinding = 2003;
inline constexpr int kClassDetectionFinding = 2004;
inline constexpr int kClassIncidentFinding = 2005;

struct EventClass {
  int uid = kClassDetectionFinding;
  std::string_view name = "Detection Finding";
};
EventClass class_of(EventKind kind);

// severity_id: Unknown 0, Informational 1, Low 2, Medium 3, High 4, Critical 5.
Enum severity(Severity severity);

// activity_id: Close (3) when the status says closed or the export deleted the record,
// Update (2) when it changed after creation, else Create (1).
Enum activity(const Event& event);

// Finding status_id (Detection Finding): New 1, In Progress 2, Suppressed 3,
// Resolved 4, Other 99; Unknown 0 when there is no status.
Enum finding_status(std::string_view status);
// Incident status_id: New 1, In Progress 2, On Hold 3, Resolved 4, Closed 5, Other 99.
Enum incident_status(std::string_view status);
// compliance.status_id: Pass 1, Warning 2, Fail 3, Other 99, Unknown 0.
Enum compliance_status(const Event& event);

// evidences[].verdict_id from a Graph evidence verdict (unknown, suspicious,
// malicious, noThreatsFound).
Enum verdict(std::string_view verdict);

// device.os.type_id from an OS platform text (Windows10, Linux, macOS ...).
Enum os_type(std::string_view os);

// "TA0002" for a canonical tactic name ("Execution"), "" when unknown.
std::string_view tactic_uid(std::string_view tactic);

}  // namespace secfeed::ocsf
