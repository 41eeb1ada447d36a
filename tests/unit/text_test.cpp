#include "connector/core/text.hpp"

#include <gtest/gtest.h>

#include "connector/core/arena.hpp"

namespace secfeed {
namespace {

TEST(Utf8, TruncationNeverSplitsASequence) {
  const std::string text = "ab\xC3\xA9\xE2\x82\xAC";  // "abé€"
  EXPECT_EQ(utf8_truncation_point(text, 100), 7u);
  EXPECT_EQ(utf8_truncation_point(text, 3), 2u);  // inside é
  EXPECT_EQ(utf8_truncation_point(text, 4), 4u);
  EXPECT_EQ(utf8_truncation_point(text, 5), 4u);  // inside €
  EXPECT_EQ(utf8_truncation_point(text, 6), 4u);
}

TEST(Utf8, ValidationAndSanitizing) {
  EXPECT_TRUE(is_valid_utf8("plain \xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x82"));       // cut short
  std::string out;
  append_utf8_sanitized(out,
                        "a\xFF"
                        "b\xE2\x82");
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Text, CaseInsensitiveHelpersAndTrim) {
  EXPECT_TRUE(iequals("SystemAlertId", "systemalertid"));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_TRUE(istarts_with("Microsoft.Security/assessments", "microsoft.security/"));
  EXPECT_TRUE(iends_with("x/regulatoryComplianceAssessments", "REGULATORYCOMPLIANCEASSESSMENTS"));
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
}

TEST(Arena, StoresCopiesThatSurviveChunkGrowthUntilReset) {
  Arena arena(16);
  const std::string_view a = arena.store("0123456789");
  const std::string_view b = arena.store("abcdefghijklmnopqrstuvwxyz");  // bigger than a chunk
  const std::string_view c = arena.store("tail");
  EXPECT_EQ(a, "0123456789");
  EXPECT_EQ(b, "abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(c, "tail");
  EXPECT_EQ(arena.bytes_used(), 40u);
  arena.reset();
  EXPECT_EQ(arena.bytes_used(), 0u);
  EXPECT_EQ(arena.store(""), "");
}

}  // namespace
}  // namespace secfeed
