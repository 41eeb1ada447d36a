// The emulator's $filter subset: what connectors send must parse and select exactly.
#include <gtest/gtest.h>

#include <array>

#include "tests/emulators/clock.hpp"
#include "tests/emulators/odata_filter.hpp"

namespace secfeed::emulator {
namespace {

constexpr std::array<FilterField, 2> kFields{
    {{"lastUpdateDateTime", FieldType::datetime}, {"status", FieldType::text}}};

struct Item {
  Ticks updated;
  std::string_view status;
};

bool matches(const std::string& filter_text, const Item& item) {
  auto parsed = ODataFilter::parse(filter_text, kFields);
  EXPECT_TRUE(std::holds_alternative<ODataFilter>(parsed)) << std::get<std::string>(parsed);
  return std::get<ODataFilter>(parsed).matches([&](std::size_t field) {
    return field == 0 ? FieldValue{item.updated, {}} : FieldValue{0, item.status};
  });
}

std::string error_of(const std::string& filter_text) {
  auto parsed = ODataFilter::parse(filter_text, kFields);
  return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

Ticks at(const char* text) {
  return *parse_datetime(text);
}

TEST(EmulatorODataFilter, HalfOpenWindowAsConnectorsSendIt) {
  const std::string window =
      "lastUpdateDateTime ge 2024-01-01T00:00:00Z and lastUpdateDateTime lt 2024-01-01T01:00:00Z";
  EXPECT_TRUE(matches(window, {at("2024-01-01T00:00:00Z"), "new"}));
  EXPECT_TRUE(matches(window, {at("2024-01-01T00:59:59.9999999Z"), "new"}));
  EXPECT_FALSE(matches(window, {at("2024-01-01T01:00:00Z"), "new"}));
  EXPECT_FALSE(matches(window, {at("2023-12-31T23:59:59.9999999Z"), "new"}));
}

TEST(EmulatorODataFilter, SevenDigitFractionsCompareExactly) {
  const std::string gt = "lastUpdateDateTime gt 2021-04-27T12:19:27.7211305Z";
  EXPECT_FALSE(matches(gt, {at("2021-04-27T12:19:27.7211305Z"), "new"}));
  EXPECT_TRUE(matches(gt, {at("2021-04-27T12:19:27.7211306Z"), "new"}));
}

TEST(EmulatorODataFilter, OrParenthesesAndCaseInsensitiveText) {
  const std::string text =
      "(status eq 'Resolved' or status eq 'inProgress') and lastUpdateDateTime le "
      "2024-01-01T00:00:00+01:00";
  EXPECT_TRUE(matches(text, {at("2023-12-31T23:00:00Z"), "resolved"}));
  EXPECT_FALSE(matches(text, {at("2023-12-31T23:00:00.0000001Z"), "resolved"}));
  EXPECT_FALSE(matches(text, {at("2023-01-01T00:00:00Z"), "new"}));
  EXPECT_TRUE(matches("", {0, "new"}));
}

TEST(EmulatorODataFilter, ErrorsNameTheProblem) {
  EXPECT_EQ(error_of("createdDateTime ge 2024-01-01T00:00:00Z"),
            "Invalid filter clause: Could not find a property named 'createdDateTime' on type "
            "'microsoft.graph.security' or it does not support filtering.");
  EXPECT_EQ(error_of("lastUpdateDateTime ge '2024-01-01T00:00:00Z'"),
            "Invalid filter clause: A binary operator with incompatible types was detected. "
            "Found operand types 'Edm.DateTimeOffset' and 'Edm.String'.");
  EXPECT_EQ(error_of("lastUpdateDateTime after 2024-01-01T00:00:00Z"),
            "Invalid filter clause: unsupported operator 'after'.");
  EXPECT_EQ(error_of("status gt 'new'"),
            "Invalid filter clause: only eq and ne apply to 'status'.");
  EXPECT_EQ(error_of("(status eq 'new'"), "Invalid filter clause: ')' expected.");
  EXPECT_EQ(error_of("status eq 'new' status"), "Invalid filter clause: syntax error at 'status'.");
  EXPECT_EQ(error_of(std::string(100, '(')), "Invalid filter clause: nesting is too deep.");
  EXPECT_EQ(error_of("status eq"),
            "Invalid filter clause: expected a quoted string after 'eq', found ''.");
}

TEST(EmulatorClock, FormatsAndParsesGraphTimestamps) {
  const Ticks t = at("2021-04-27T12:19:27.7211305Z");
  EXPECT_EQ(format_datetime(t), "2021-04-27T12:19:27.7211305Z");
  EXPECT_EQ(format_date(t), "2021-04-27");
  EXPECT_EQ(format_http_date(t), "Tue, 27 Apr 2021 12:19:27 GMT");
  EXPECT_EQ(at("2021-04-27T14:19:27.7211305+02:00"), t);
  EXPECT_EQ(format_datetime(at("1969-12-31T23:59:59.5Z")), "1969-12-31T23:59:59.5000000Z");
  for (const char* bad : {"2021-02-30T00:00:00Z", "2021-04-27T12:19:27", "2021-04-27 12:19:27Z",
                          "2021-04-27T12:19:27.12345678Z", "2021-04-27T12:19:27.Z", ""}) {
    EXPECT_FALSE(parse_datetime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace secfeed::emulator
