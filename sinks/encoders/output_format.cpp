#include <array>

#include "connector/core/text.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

constexpr std::array<OutputFormat, 5> kAllFormats = {OutputFormat::cef, OutputFormat::json,
                                                     OutputFormat::raw, OutputFormat::ocsf,
                                                     OutputFormat::sentinel};

}  // namespace

std::string_view to_string(OutputFormat format) {
  switch (format) {
    case OutputFormat::cef:
      return "cef";
    case OutputFormat::json:
      return "json";
    case OutputFormat::raw:
      return "raw";
    case OutputFormat::ocsf:
      return "ocsf";
    case OutputFormat::sentinel:
      return "sentinel";
  }
  return "unknown";
}

// Case-insensitive: config files and CLI flags are written by people.
std::optional<OutputFormat> output_format_from_string(std::string_view text) {
  for (OutputFormat format : kAllFormats) {
    if (iequals(text, to_string(format))) return format;
  }
  return std::nullopt;
}

}  // namespace secfeed
