// The dead-letter record: what could not be normalized or delivered, why, and where it
// came from, with the original payload, so nothing is dropped silently and an operator
// can replay it (`secfeed convert` reads these payloads back).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace secfeed {

struct DeadLetter {
  std::int64_t time_ms = 0;
  std::string_view stage;   // "normalize" | "deliver"
  std::string_view source;  // configured source name
  std::string_view sink;    // configured sink name (deliver stage), else ""
  std::string_view tenant_id;
  std::string_view position;  // "partition 3 offset 1234", "page 2 value[7]", ...
  std::string_view reason;    // the normalizer's or sink's one-line reason
  std::string_view payload;   // the original bytes (any text; sanitized to valid UTF-8)
};

// One JSON object, no trailing newline:
// {"time":"...","stage":"normalize","source":"mdc","sink":"","tenant_id":"",
//  "position":"partition 0 offset 17","reason":"...","payload":"<original text>"}
void encode_dead_letter(const DeadLetter& letter, std::string& out);

}  // namespace secfeed
