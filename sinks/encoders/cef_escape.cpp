#include "sinks/encoders/cef_escape.hpp"

#include <limits>

#include "connector/core/text.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

// What replaces one single-byte character in `context`, or "" when it is written as is.
std::string_view escape_for(char c, CefContext context) {
  // Letters, digits and most punctuation need nothing in any context.
  if (c > '=' && c != '\\' && c != '|' && c != 0x7F) return {};
  switch (context) {
    case CefContext::header:
      if (c == '\\') return "\\\\";
      if (c == '|') return "\\|";
      break;
    case CefContext::extension:
      if (c == '\\') return "\\\\";
      if (c == '=') return "\\=";
      if (c == '\n') return "\\n";
      if (c == '\r') return "\\r";
      break;
    case CefContext::unescaped:
      if (c == '\n' || c == '\r') return {};  // kept: a parser returns them unescaped
      break;
  }
  if (is_control(static_cast<unsigned char>(c))) return " ";
  return {};
}

}  // namespace

std::size_t cef_sanitized_length(std::string_view text) {
  std::size_t length = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII: the common case
      ++length;
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    length += n == 0 ? kReplacementCharacter.size() : n;
    i += n == 0 ? 1 : n;
  }
  return length;
}

bool append_cef_text(std::string& out, std::string_view text, CefContext context,
                     std::size_t& budget) {
  // Plain runs are appended in one go; only special bytes are handled one by one.
  std::size_t run_start = 0;
  const auto flush = [&](std::size_t end) { out.append(text.data() + run_start, end - run_start); };
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // ASCII fast path: no sequence decoding
      if (budget == 0) {
        flush(i);
        return false;
      }
      --budget;
      const std::string_view replacement = escape_for(text[i], context);
      if (!replacement.empty()) {
        flush(i);
        out.append(replacement);
        run_start = i + 1;
      }
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    const std::size_t sanitized = n == 0 ? kReplacementCharacter.size() : n;
    if (sanitized > budget) {
      flush(i);
      return false;
    }
    budget -= sanitized;
    if (n == 0) {
      flush(i);
      out.append(kReplacementCharacter);
      run_start = ++i;
      continue;
    }
    i += n;
  }
  flush(text.size());
  return true;
}

void append_cef_limited(std::string& out, std::span<const std::string_view> parts,
                        std::string_view separator, CefContext context, std::size_t limit,
                        EncodeStats* stats) {
  // Sanitizing can grow a value at most threefold (one invalid byte -> U+FFFD); only
  // values that might not fit pay for an exact measurement.
  std::size_t raw_total = parts.empty() ? 0 : separator.size() * (parts.size() - 1);
  for (std::string_view part : parts) raw_total += part.size();
  bool fits = raw_total <= limit / 3;
  if (!fits) {
    std::size_t total = parts.empty() ? 0 : cef_sanitized_length(separator) * (parts.size() - 1);
    for (std::string_view part : parts) total += cef_sanitized_length(part);
    fits = total <= limit;
  }
  std::size_t budget = std::numeric_limits<std::size_t>::max();
  if (!fits) budget = limit > kCefTruncationMarker.size() ? limit - kCefTruncationMarker.size() : 0;
  bool complete = true;
  for (std::size_t i = 0; i < parts.size() && complete; ++i) {
    if (i > 0) complete = append_cef_text(out, separator, context, budget);
    if (complete) complete = append_cef_text(out, parts[i], context, budget);
  }
  if (!fits) {
    // A limit too small for the marker still gets a cut (not an overflow).
    if (limit >= kCefTruncationMarker.size()) out.append(kCefTruncationMarker);
    if (stats != nullptr) ++stats->truncated_fields;
  }
}

}  // namespace secfeed
