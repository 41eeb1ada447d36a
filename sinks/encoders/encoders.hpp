// Encoders: Event -> bytes. One encoder per format, shared by every sink that uses it.
// Each appends to `out` (never clears it) and writes no trailing newline, so a sink can
// encode a whole batch into one reusable buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connector/core/event.hpp"

namespace secfeed {

enum class OutputFormat { cef, json, raw, ocsf, sentinel };
std::string_view to_string(OutputFormat format);
std::optional<OutputFormat> output_format_from_string(std::string_view text);

struct CefOptions {
  std::string_view device_vendor = "Microsoft";
  // Device Version: the product version when the event has one, else this.
  std::string_view default_device_version = "1.0";
  // Maximum length of cs1..cs6 values (1023 by the spec; some receivers take 4000).
  std::size_t custom_string_limit = 1023;
};

// Counters an encoder updates so truncation is visible (a metric, not a silent cut).
struct EncodeStats {
  std::size_t truncated_fields = 0;
};

// CEF:0|Vendor|Product|Version|Class|Name|Severity|ext, per shared/specs/cef-syslog.md;
// the Event -> extension key mapping is the table in schemas/cef-mapping.json.
void encode_cef(const Event& event, std::string& out, const CefOptions& options = {},
                EncodeStats* stats = nullptr);

// The normalized JSON form (schemas/event.schema.json), one line.
void encode_json(const Event& event, std::string& out);

// Microsoft Sentinel custom tables (schemas/sentinel/<table>.json): alerts and incidents
// go to one, every posture kind to the other. The log_analytics sink routes rows to the
// DCR stream of the event's table with the same function.
enum class SentinelTable : std::uint8_t { alerts, posture };
SentinelTable sentinel_table(EventKind kind);
std::string_view sentinel_table_name(SentinelTable table);  // "SecfeedAlerts_CL" ...

struct SentinelOptions {
  // TimeGenerated of an event that has no time of its own (control profiles); kNoTime:
  // the current time. Tests pin it.
  std::int64_t fallback_time_ms = kNoTime;
};

// One JSON object whose keys are columns of the event's table, with matching types.
// Empty fields are left out; strings are cut at 32 KB (Log Analytics' string column
// limit, counted in stats) and RawData is left out above 64 KB (RawDataOmitted = true).
void encode_sentinel(const Event& event, std::string& out, const SentinelOptions& options = {},
                     EncodeStats* stats = nullptr);

// The record as it arrived (its JSON text, compact when it had to be re-serialized).
void encode_raw(const Event& event, std::string& out);

}  // namespace secfeed
