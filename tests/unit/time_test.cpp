#include <gtest/gtest.h>

#include "connector/core/time.hpp"

namespace secfeed {
namespace {

TEST(Iso8601, ParsesGraphSevenDigitFractionsTruncatingToMillis) {
  EXPECT_EQ(parse_iso8601_ms("2021-04-27T12:19:27.7211305Z"), 1619525967721);
}

TEST(Iso8601, ParsesOffsetsDatesAndMissingZone) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1969-12-31T23:00:00-01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29"), 1709164800000);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T00:00:00"), 1709164800000);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T00:00"), 1709164800000);
}

TEST(Iso8601, RejectsMalformedText) {
  for (const char* bad : {"", "2024", "2024-13-01", "2024-01-01T25:00:00Z", "2024-01-01Tx",
                          "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00Q", "yesterday"}) {
    EXPECT_FALSE(parse_iso8601_ms(bad).has_value()) << bad;
  }
}

TEST(Iso8601, FormatsMillisecondsAndRoundTrips) {
  EXPECT_EQ(format_iso8601_ms(1619525967721), "2021-04-27T12:19:27.721Z");
  EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(parse_iso8601_ms(format_iso8601_ms(1709164800123)), 1709164800123);
}

}  // namespace
}  // namespace secfeed
