// CEF:0|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Ext
#include <algorithm>

#include "sinks/encoders/cef_encoder.hpp"
#include "sinks/encoders/cef_mapping.hpp"

namespace secfeed {
namespace {

// Header field limits (ArcSight's own: vendor/product 63, version 31, class id 1023,
// name 512), so one huge title cannot push the extension past a receiver's size limit.
constexpr std::size_t kVendorLimit = 63;
constexpr std::size_t kProductLimit = 63;
constexpr std::size_t kVersionLimit = 31;
constexpr std::size_t kClassIdLimit = 1023;
constexpr std::size_t kNameLimit = 512;

// Strict parsers reject an empty header field; each falls back to something stable.
std::string_view first_non_empty(std::string_view a, std::string_view b, std::string_view c = {}) {
  if (!a.empty()) return a;
  if (!b.empty()) return b;
  return c;
}

void append_header_field(std::string& out, std::string_view text, std::size_t limit,
                         EncodeStats* stats) {
  append_cef_limited(out, text, CefContext::header, limit, stats);
  out.push_back('|');
}

}  // namespace

std::string_view cef_severity(const Event& event) {
  static constexpr std::string_view kScores[] = {"0", "1", "2", "3", "4", "5",
                                                 "6", "7", "8", "9", "10"};
  if (event.severity == Severity::unknown && event.severity_score <= 0) return "Unknown";
  return kScores[std::clamp(event.severity_score, 0, 10)];
}

void encode_cef(const Event& event, std::string& out, const CefOptions& options,
                EncodeStats* stats) {
  // A line is bounded by the key limits; most fit in 2 KB (a 1 MB description must
  // not reserve 1 MB for a 1 KB line).
  out.reserve(out.size() + 2048);
  out.append("CEF:0|");
  append_header_field(out, first_non_empty(options.device_vendor, "Microsoft"), kVendorLimit,
                      stats);
  append_header_field(out, first_non_empty(event.product, "Security"), kProductLimit, stats);
  append_header_field(out,
                      first_non_empty(event.product_version, options.default_device_version, "0"),
                      kVersionLimit, stats);
  const std::string_view kind = to_string(event.kind);
  append_header_field(out, first_non_empty(event.detector_id, event.category, kind), kClassIdLimit,
                      stats);
  append_header_field(out, first_non_empty(event.title, kind), kNameLimit, stats);
  out.append(cef_severity(event));
  out.push_back('|');
  bool first = true;
  visit_cef_fields(event, [&](const CefFieldRule& rule, const CefValue& value) {
    if (!first) out.push_back(' ');
    first = false;
    out.append(rule.key);
    out.push_back('=');
    append_cef_value(out, rule, value, CefContext::extension, options, stats);
    if (!rule.label_key.empty()) {
      out.push_back(' ');
      out.append(rule.label_key);
      out.push_back('=');
      std::size_t unlimited = rule.label.size() * 3 + 1;
      append_cef_text(out, rule.label, CefContext::extension, unlimited);
    }
  });
}

}  // namespace secfeed
