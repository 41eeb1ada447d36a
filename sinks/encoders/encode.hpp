// Encodes an event in a sink's configured format: the one switch every sink shares.
#pragma once

#include "sinks/encoders/encoders.hpp"

namespace secfeed {

// Appends `event` in `format`; false for a format this build cannot encode yet.
bool encode_event(OutputFormat format, const Event& event, std::string& out);

}  // namespace secfeed
