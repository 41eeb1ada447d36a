#include "connector/core/config_units.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

TEST(ParseDurationTest, UnitsAndCompounds) {
  EXPECT_EQ(parse_duration("250ms"), Duration(250));
  EXPECT_EQ(parse_duration("30s"), Duration(30'000));
  EXPECT_EQ(parse_duration("5m"), Duration(300'000));
  EXPECT_EQ(parse_duration("1h"), Duration(3'600'000));
  EXPECT_EQ(parse_duration("7d"), Duration(604'800'000));
  EXPECT_EQ(parse_duration("1h30m"), Duration(5'400'000));
  EXPECT_EQ(parse_duration("1m500ms"), Duration(60'500));
  EXPECT_EQ(parse_duration("0s"), Duration(0));
}

TEST(ParseDurationTest, RejectsAmbiguousOrMalformed) {
  for (const char* text : {"", "30", "s", "5 m", "-5s", "1.5s", "5min", "5M", "1h30", "10us",
                           "99999999999999999999s", "106751991167301d"}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << text;
  }
}

TEST(ParseSizeTest, DecimalAndBinaryUnits) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("10B"), 10u);
  EXPECT_EQ(parse_size("1KB"), 1000u);
  EXPECT_EQ(parse_size("1MB"), 1'000'000u);
  EXPECT_EQ(parse_size("2GB"), 2'000'000'000u);
  EXPECT_EQ(parse_size("512KiB"), 524'288u);
  EXPECT_EQ(parse_size("1MiB"), 1'048'576u);
  EXPECT_EQ(parse_size("10GiB"), 10'737'418'240u);
  EXPECT_EQ(parse_size("1TiB"), 1'099'511'627'776u);
  EXPECT_EQ(parse_size("64kib"), 65'536u);
}

TEST(ParseSizeTest, RejectsMalformedAndOverflow) {
  for (const char* text : {"", "MB", "1.5MB", "1 MB", "-1", "1XB", "1MBB", "1Mi",
                           "18446744073709551616", "20000000TiB"}) {
    EXPECT_EQ(parse_size(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace secfeed
