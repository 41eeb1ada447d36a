#include "sinks/encoders/cef_escape.hpp"

#include <array>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "connector/core/text.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

constexpr bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7F;
}

// What replaces one single-byte character in `context`, or "" when it is written as is.
constexpr std::string_view escape_for(char c, CefContext context) {
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

// Per context, true for the ASCII bytes written as they are: the inner loop of
// append_cef_text tests one table entry per byte instead of escape_for's branches.
using PlainTable = std::array<bool, 128>;
constexpr PlainTable plain_table(CefContext context) {
  PlainTable table{};
  for (int c = 0; c < 128; ++c) table[c] = escape_for(static_cast<char>(c), context).empty();
  return table;
}
constexpr PlainTable kPlainHeader = plain_table(CefContext::header);
constexpr PlainTable kPlainExtension = plain_table(CefContext::extension);
constexpr PlainTable kPlainUnescaped = plain_table(CefContext::unescaped);

const PlainTable& plain_table_for(CefContext context) {
  switch (context) {
    case CefContext::header:
      return kPlainHeader;
    case CefContext::extension:
      return kPlainExtension;
    case CefContext::unescaped:
      break;
  }
  return kPlainUnescaped;
}

// How many leading bytes are certainly plain in every context, 16 at a time: none of
// them is a control character, DEL, non-ASCII, `\\`, `=` or `|`. Conservative: the byte
// it stops at may still be plain in the caller's context (the table decides).
std::size_t plain_prefix(const unsigned char* bytes, std::size_t size) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i equals = _mm_set1_epi8('=');
  const __m128i pipe = _mm_set1_epi8('|');
  for (; i + 16 <= size; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    // Signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches non-ASCII.
    __m128i special = _mm_cmplt_epi8(v, space);
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, del));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, backslash));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, equals));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, pipe));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  (void)bytes;
  return i;
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
  const PlainTable& plain = plain_table_for(context);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t run_start = 0;
  const auto flush = [&](std::size_t end) { out.append(text.data() + run_start, end - run_start); };
  for (std::size_t i = 0; i < size;) {
    // ASCII fast path: one table test per byte, the budget charged once per run.
    std::size_t end = i + plain_prefix(bytes + i, size - i);
    while (end < size && bytes[end] < 0x80 && plain[bytes[end]]) ++end;
    if (end - i > budget) {
      i += budget;
      budget = 0;
      flush(i);
      return false;
    }
    budget -= end - i;
    i = end;
    if (i == size) break;
    const unsigned char byte = bytes[i];
    if (byte < 0x80) {  // a byte the context replaces
      if (budget == 0) {
        flush(i);
        return false;
      }
      --budget;
      flush(i);
      out.append(escape_for(static_cast<char>(byte), context));
      run_start = ++i;
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
  flush(size);
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
