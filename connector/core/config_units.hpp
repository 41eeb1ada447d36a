// Durations ("30s", "5m", "1h30m", "250ms", "7d") and byte sizes ("1MB", "512KiB",
// "10GiB", "4096") as written in the configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace secfeed {

using Duration = std::chrono::milliseconds;

// One or more <integer><unit> groups, unit one of ms s m h d. A bare number is
// rejected: "30" could mean seconds or milliseconds, and guessing wrong is silent.
std::optional<Duration> parse_duration(std::string_view text);

// <integer>[unit], unit one of B, KB MB GB TB (powers of 1000) or KiB MiB GiB TiB
// (powers of 1024); no unit means bytes. Units are case-insensitive except that the
// `i` decides binary vs decimal. Overflow -> nullopt.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace secfeed
