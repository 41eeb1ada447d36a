#include "connector/core/config_reader.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("interval", "interval"), 0u);
  EXPECT_EQ(edit_distance("intervall", "interval"), 1u);
  EXPECT_EQ(edit_distance("intrval", "interval"), 1u);
  EXPECT_EQ(edit_distance("tsl", "tls"), 1u);  // a swap is one edit
  EXPECT_EQ(edit_distance("url", "uri"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("tls_ca", "tls"), 3u);
  EXPECT_EQ(edit_distance("routes", "sources"), 3u);  // so "routes" suggests nothing
}

// The config spells kinds and severities exactly as the Event model does.
TEST(ConfigEnumsTest, EventKindAndSeverityNamesMatchTheEventModel) {
  ASSERT_EQ(std::size(kEventKindNames), std::size_t(kEventKindCount));
  for (const auto& entry : kEventKindNames) EXPECT_EQ(to_string(entry.value), entry.name);
  for (const auto& entry : kSeverityNames) EXPECT_EQ(to_string(entry.value), entry.name);
  EXPECT_EQ(std::size(kSeverityNames), std::size_t(Severity::critical) + 1);
}

TEST(QuotedTest, EscapesControlCharactersAndHidesUrlCredentials) {
  EXPECT_EQ(quote_value("a\x1b[2Jb\n"), "\"a\\x1b[2Jb\\x0a\"");
  EXPECT_EQ(quote_url("http://user:S3cr3t@proxy:3128"), "\"http://(credentials)@proxy:3128\"");
  EXPECT_EQ(quote_url("udp://host:514"), "\"udp://host:514\"");
}

TEST(QuotedTest, ShortensLongValuesAtACharacterBoundary) {
  EXPECT_EQ(quote_value("abc"), "\"abc\"");
  const std::string long_text = std::string(79, 'a') + "\xC3\xA9" + "tail";
  EXPECT_EQ(quote_value(long_text), "\"" + std::string(79, 'a') + "...\"");
}

}  // namespace
}  // namespace secfeed
