// TEMPORARY stub: replaced by cef_encoder.cpp, json_encoder.cpp, raw_encoder.cpp.
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
std::string_view to_string(OutputFormat format) {
  switch (format) {
    case OutputFormat::cef: return "cef";
    case OutputFormat::json: return "json";
    case OutputFormat::raw: return "raw";
    case OutputFormat::ocsf: return "ocsf";
    case OutputFormat::sentinel: return "sentinel";
  }
  return "?";
}
std::optional<OutputFormat> output_format_from_string(std::string_view text) {
  for (OutputFormat f : {OutputFormat::cef, OutputFormat::json, OutputFormat::raw,
                         OutputFormat::ocsf, OutputFormat::sentinel}) {
    if (to_string(f) == text) return f;
  }
  return std::nullopt;
}
void encode_cef(const Event&, std::string& out, const CefOptions&, EncodeStats*) {
  out += "CEF:0|TODO";
}
void encode_json(const Event&, std::string& out) { out += "{}"; }
void encode_raw(const Event& e, std::string& out) { out += e.raw_text; }
}  // namespace secfeed
