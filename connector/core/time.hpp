// ISO 8601 / RFC 3339 timestamps <-> milliseconds since the epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed {

// Accepts `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.f{1,9}]]` followed by `Z`, `+hh:mm`,
// `-hh:mm` or nothing (taken as UTC, as Defender export sometimes sends). Fractions
// beyond milliseconds are truncated (Graph sends 7 digits).
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// Appends `YYYY-MM-DDThh:mm:ss.mmmZ`.
void append_iso8601_ms(std::string& out, std::int64_t epoch_ms);
std::string format_iso8601_ms(std::int64_t epoch_ms);

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace secfeed
