#include "sinks/encoders/cef_escape.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sinks/encoders/encoders.hpp"

namespace secfeed {
namespace {

using namespace std::string_literals;

std::string escaped(std::string_view text, CefContext context, std::size_t limit = 1 << 30,
                    EncodeStats* stats = nullptr) {
  std::string out;
  append_cef_limited(out, text, context, limit, stats);
  return out;
}

TEST(CefEscape, HeaderEscapesBackslashAndPipeAndBlanksNewlines) {
  EXPECT_EQ(escaped("a|b\\c=d\re\nf", CefContext::header), "a\\|b\\\\c=d e f");
}

TEST(CefEscape, ExtensionEscapesBackslashEqualsAndNewlinesButNotPipe) {
  EXPECT_EQ(escaped("a|b\\c=d\re\nf", CefContext::extension), "a|b\\\\c\\=d\\re\\nf");
}

TEST(CefEscape, UnescapedContextOnlySanitizes) {
  EXPECT_EQ(escaped("a|b\\c=d\re\nf", CefContext::unescaped), "a|b\\c=d\re\nf");
}

TEST(CefEscape, ControlCharactersBecomeSpacesInEveryContext) {
  const std::string text = "n"s + '\0' + "t\te\x1b" + "d\x7f" + "b\x08";
  for (CefContext context : {CefContext::header, CefContext::extension, CefContext::unescaped}) {
    EXPECT_EQ(escaped(text, context), "n t e d b ") << static_cast<int>(context);
  }
}

TEST(CefEscape, InvalidUtf8BecomesReplacementCharacter) {
  // A lone continuation byte, a truncated 3-byte sequence, an overlong '/', a surrogate.
  EXPECT_EQ(escaped("a\x80"
                    "b\xe2\x82"
                    "c\xc0\xaf"
                    "d\xed\xa0\x80",
                    CefContext::extension),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD"
            "c\xEF\xBF\xBD\xEF\xBF\xBD"
            "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escaped("ok \xc3\xa9\xf0\x9f\x98\x80", CefContext::extension),
            "ok \xc3\xa9\xf0\x9f\x98\x80");
}

TEST(CefEscape, SanitizedLengthCountsReplacementsAsThreeBytes) {
  EXPECT_EQ(cef_sanitized_length("abc"), 3u);
  EXPECT_EQ(cef_sanitized_length("a\xff"), 4u);
  EXPECT_EQ(cef_sanitized_length("\xc3\xa9"), 2u);
  EXPECT_EQ(cef_sanitized_length("a\nb"), 3u);
}

TEST(CefEscape, ValueAtTheLimitIsNotTruncated) {
  EncodeStats stats;
  EXPECT_EQ(escaped("abcdef", CefContext::extension, 6, &stats), "abcdef");
  EXPECT_EQ(stats.truncated_fields, 0u);
}

TEST(CefEscape, LongValueIsCutWithMarkerAndCounted) {
  EncodeStats stats;
  // Limit 6 = 3 bytes of text + the 3-byte marker.
  EXPECT_EQ(escaped("abcdefg", CefContext::extension, 6, &stats), "abc\xE2\x80\xA6");
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEscape, LimitCountsUnescapedBytes) {
  // "a=b" is 3 bytes for the receiver even though "a\=b" is 4 on the wire.
  EXPECT_EQ(escaped("a=b", CefContext::extension, 3), "a\\=b");
  EXPECT_EQ(escaped("a=bc", CefContext::extension, 4), "a\\=bc");
}

TEST(CefEscape, TruncationNeverSplitsAMultiByteCharacter) {
  // "é" is 2 bytes, "€" 3, "😀" 4. Budget before the marker is limit - 3.
  const std::string text = "ab\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";  // 12 bytes
  EXPECT_EQ(escaped(text, CefContext::extension, 6), "ab\xE2\x80\xA6");
  EXPECT_EQ(escaped(text, CefContext::extension, 7), "ab\xc3\xa9\xE2\x80\xA6");
  EXPECT_EQ(escaped(text, CefContext::extension, 9), "ab\xc3\xa9\xE2\x80\xA6");
  EXPECT_EQ(escaped(text, CefContext::extension, 10), "ab\xc3\xa9\xe2\x82\xac\xE2\x80\xA6");
  EXPECT_EQ(escaped(text, CefContext::extension, 13), "ab\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
}

TEST(CefEscape, ReplacementCharactersCountTowardsTheLimit) {
  // 4 invalid bytes become 12 bytes: over a limit of 10 although the input is 4 bytes.
  EncodeStats stats;
  EXPECT_EQ(escaped("\xff\xff\xff\xff", CefContext::extension, 10, &stats),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x80\xA6");
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEscape, LimitSmallerThanMarkerStillCuts) {
  EncodeStats stats;
  EXPECT_EQ(escaped("abcdef", CefContext::extension, 2, &stats), "");
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEscape, JoinedPartsShareOneLimit) {
  const std::string_view parts[] = {"Execution", "Persistence", "Discovery"};
  std::string out;
  append_cef_limited(out, parts, ",", CefContext::extension, 1023, nullptr);
  EXPECT_EQ(out, "Execution,Persistence,Discovery");
  out.clear();
  EncodeStats stats;
  append_cef_limited(out, parts, ",", CefContext::extension, 16, &stats);
  EXPECT_EQ(out, "Execution,Per\xE2\x80\xA6");
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEscape, AppendsToExistingContent) {
  std::string out = "prefix|";
  append_cef_limited(out, "x=y", CefContext::extension, 100, nullptr);
  EXPECT_EQ(out, "prefix|x\\=y");
}

}  // namespace
}  // namespace secfeed
