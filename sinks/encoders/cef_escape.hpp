// CEF text escaping (shared/specs/cef-syslog.md), written straight into the output
// buffer. Every context first sanitizes: invalid UTF-8 bytes become U+FFFD and control
// characters (C0 and DEL) that the context has no escape for become a space, so no raw
// NUL, TAB, ESC ... ever reaches the wire. Then:
//   header:    `\` -> `\\`, `|` -> `\|`, CR/LF -> space (like every other control).
//   extension: `\` -> `\\`, `=` -> `\=`, LF -> `\n`, CR -> `\r`; `|` is NOT escaped.
//   unescaped: sanitizing only: the value a correct CEF parser hands back (tests use it).
// Lengths and limits count sanitized, unescaped bytes: what the receiver stores.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace secfeed {

struct EncodeStats;

enum class CefContext { header, extension, unescaped };

// Appended after a value cut at its key's limit (U+2026, 3 bytes), so a reader sees
// the cut; EncodeStats::truncated_fields counts it for the metrics.
inline constexpr std::string_view kCefTruncationMarker = "\xE2\x80\xA6";

// Sanitized length of `text` in bytes (before escaping).
std::size_t cef_sanitized_length(std::string_view text);

// Appends sanitized, escaped characters of `text` while their sanitized length fits in
// `budget` (decremented); never splits a character. Returns false when one did not fit.
bool append_cef_text(std::string& out, std::string_view text, CefContext context,
                     std::size_t& budget);

// Appends `parts` joined by `separator`, cut to `limit` sanitized bytes with the
// truncation marker (counted in `stats`) when the whole does not fit.
void append_cef_limited(std::string& out, std::span<const std::string_view> parts,
                        std::string_view separator, CefContext context, std::size_t limit,
                        EncodeStats* stats);

inline void append_cef_limited(std::string& out, std::string_view text, CefContext context,
                               std::size_t limit, EncodeStats* stats) {
  append_cef_limited(out, std::span<const std::string_view>(&text, 1), {}, context, limit, stats);
}

}  // namespace secfeed
