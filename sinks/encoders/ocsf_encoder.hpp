// OCSF (Open Cybersecurity Schema Framework) output: each Event as one JSON object of an
// OCSF 1.3 Findings class (category_uid 2):
//   alert                                   -> Detection Finding  (class_uid 2004)
//   incident                                -> Incident Finding   (class_uid 2005)
//   recommendation, finding, compliance,
//   control_score, control_profile,
//   secure_score, score_change              -> Compliance Finding (class_uid 2003)
// The field-by-field mapping, and why the score kinds land in Compliance Finding, is
// schemas/ocsf-mapping.md. Values the schema has no place for go to `unmapped`.
#pragma once

#include <cstdint>
#include <string>

#include "connector/core/event.hpp"

namespace secfeed {

inline constexpr std::string_view kOcsfSchemaVersion = "1.3.0";

struct OcsfOptions {
  // `time` is required by OCSF; for an event without any timestamp (Defender for Cloud
  // secure scores carry none) this is used, or the current time when it is kNoTime.
  std::int64_t fallback_time_ms = kNoTime;
};

// Appends one OCSF JSON object (one line, no trailing newline) to `out`.
void encode_ocsf(const Event& event, std::string& out, const OcsfOptions& options = {});

}  // namespace secfeed
