// CEF details beyond encode_cef (declared in encoders.hpp).
#pragma once

#include <string_view>

#include "connector/core/event.hpp"

namespace secfeed {

// The header's Severity: "Unknown" when the event has neither a severity nor a score
// (secure scores, compliance states), else event.severity_score clamped to 0..10.
std::string_view cef_severity(const Event& event);

}  // namespace secfeed
