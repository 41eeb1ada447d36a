// Emulated time in Graph's resolution: 100 ns ticks since the Unix epoch, so that the
// 7-digit fractions Graph emits round-trip exactly through $filter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed::emulator {

using Ticks = std::int64_t;
inline constexpr Ticks kTicksPerMs = 10'000;
inline constexpr Ticks kTicksPerSecond = 10'000'000;
inline constexpr Ticks kTicksPerMinute = 60 * kTicksPerSecond;
inline constexpr Ticks kTicksPerHour = 60 * kTicksPerMinute;
inline constexpr Ticks kTicksPerDay = 24 * kTicksPerHour;

// `YYYY-MM-DDThh:mm:ss[.f{1,7}](Z|+hh:mm|-hh:mm)`; nullopt on anything else.
std::optional<Ticks> parse_datetime(std::string_view text);
// `YYYY-MM-DDThh:mm:ss.fffffffZ`.
std::string format_datetime(Ticks ticks);
// `YYYY-MM-DD`.
std::string format_date(Ticks ticks);
// RFC 1123, for the Date/innerError date fields: `Sun, 06 Nov 1994 08:49:37 GMT`.
std::string format_http_date(Ticks ticks);

// Emulated clock: the real clock plus a fixed offset (0 unless --clock-start is given).
class Clock {
 public:
  Ticks now() const;
  void start_at(Ticks start);

 private:
  Ticks offset_ = 0;
};

}  // namespace secfeed::emulator
