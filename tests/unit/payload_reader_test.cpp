#include "connector/normalize/payload_reader.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "connector/core/json_reader.hpp"

namespace secfeed {
namespace {

struct Seen {
  std::vector<std::string> items;  // "position|raw_text|context|first member name"
  std::vector<std::string> errors;
};

Seen read_all(std::string_view text) {
  Seen seen;
  PayloadReader reader;
  reader.read(
      text,
      [&](const PayloadItem& item) {
        std::string first;
        if (item.value.IsObject() && item.value.MemberCount() > 0) {
          first = json_string(item.value.MemberBegin()->name);
        }
        seen.items.push_back(std::string(item.position) + "|" + std::string(item.raw_text) + "|" +
                             std::string(item.context) + "|" + first);
      },
      [&](const PayloadError& error) {
        seen.errors.push_back(std::string(error.position) + "|" + error.reason);
      });
  return seen;
}

TEST(PayloadReader, SplitsGraphListResponseAndKeepsContextHint) {
  const Seen seen = read_all(
      R"({"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",)"
      R"("@odata.nextLink":"https://next","value":[{"id":"a"},{"id":"b"}]})");
  ASSERT_EQ(seen.items.size(), 2u);
  EXPECT_EQ(seen.items[0],
            "value[0]||https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2|id");
  EXPECT_EQ(seen.items[1],
            "value[1]||https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2|id");
  EXPECT_TRUE(seen.errors.empty());
}

TEST(PayloadReader, SplitsEventHubRecordsInAnyCasingAndBareArrays) {
  Seen seen = read_all(R"({"Records":[{"x":1},{"y":2}]})");
  ASSERT_EQ(seen.items.size(), 2u);
  EXPECT_EQ(seen.items[1], "records[1]|||y");
  seen = read_all(R"([{"x":1}, {"y":2}, {"z":3}])");
  ASSERT_EQ(seen.items.size(), 3u);
  EXPECT_EQ(seen.items[2], "[2]|||z");
}

TEST(PayloadReader, SingleObjectKeepsItsOwnTextForRawPassthrough) {
  const Seen seen = read_all("  {\n  \"id\": \"a\"\n}\n");
  ASSERT_EQ(seen.items.size(), 1u);
  EXPECT_EQ(seen.items[0], "|{\n  \"id\": \"a\"\n}||id");
}

TEST(PayloadReader, NdjsonReportsBadLinesAndGoesOn) {
  const Seen seen = read_all("{\"a\":1}\n\n{\"b\":\n{\"records\":[{\"c\":1}]}\n[{\"d\":1}]\n");
  ASSERT_EQ(seen.items.size(), 3u);
  EXPECT_EQ(seen.items[0], "line 1|{\"a\":1}||a");
  EXPECT_EQ(seen.items[1], "line 4 records[0]|||c");
  EXPECT_EQ(seen.items[2], "line 5 [0]|||d");
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0], "line 3|invalid JSON at offset 5: Invalid value.");
}

TEST(PayloadReader, MalformedSingleDocumentIsOneErrorWithOffset) {
  const Seen seen = read_all("\n{\n \"a\": [1, 2\n}");
  EXPECT_TRUE(seen.items.empty());
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0],
            "|invalid JSON at offset 15: Missing a comma or ']' after an array "
            "element.");
}

TEST(PayloadReader, RejectsInvalidUtf8AndHostileNesting) {
  Seen seen = read_all("{\"a\":\"\xff\"}");
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0], "|invalid JSON at offset 6: Invalid encoding in string.");
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  seen = read_all(deep);
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0], "|JSON nested deeper than 64 levels");
}

// The recursive parser is bounded by refusing the 65th nested container, so the limit is
// exact for arrays and objects alike, and unterminated nesting never recurses deeper.
TEST(PayloadReader, NestingLimitIsExactly64Levels) {
  const auto nested_arrays = [](int levels) {
    return std::string(std::size_t(levels), '[') + std::string(std::size_t(levels), ']');
  };
  const auto nested_objects = [](int levels) {
    std::string text;
    for (int i = 1; i < levels; ++i) text += "{\"a\":";
    text += "{}";
    text += std::string(std::size_t(levels - 1), '}');
    return text;
  };
  for (const auto& make : {std::function<std::string(int)>(nested_arrays),
                           std::function<std::string(int)>(nested_objects)}) {
    Seen seen = read_all(make(64));
    EXPECT_TRUE(seen.errors.empty()) << seen.errors[0];
    EXPECT_EQ(seen.items.size(), 1u);
    seen = read_all(make(65));
    ASSERT_EQ(seen.errors.size(), 1u);
    EXPECT_EQ(seen.errors[0], "|JSON nested deeper than 64 levels");
  }
  const Seen unterminated = read_all(std::string(1000000, '['));
  ASSERT_EQ(unterminated.errors.size(), 1u);
  EXPECT_EQ(unterminated.errors[0], "|JSON nested deeper than 64 levels");
}

// rapidjson decodes \uDC00-\uDFFF alone into bytes that are not UTF-8; found by
// fuzz_normalize_mdc (tests/fuzz/corpus/fuzz_normalize_mdc/regression_lone_low_surrogate).
TEST(PayloadReader, RejectsALoneLowSurrogateEscape) {
  Seen seen = read_all(R"({"a":"x\uDDDDy"})");
  EXPECT_TRUE(seen.items.empty());
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0],
            "|invalid JSON at offset 15: a \\u escape encodes a lone surrogate (U+DC00 to "
            "U+DFFF).");
  seen = read_all(R"({"\udc00":1})");  // in a key too
  ASSERT_EQ(seen.errors.size(), 1u);
  // A surrogate pair, and an escaped backslash before "udc00", are fine.
  seen = read_all(R"({"a":"\uD83D\uDE00","b":"\\udc00"})");
  ASSERT_TRUE(seen.errors.empty()) << seen.errors[0];
  ASSERT_EQ(seen.items.size(), 1u);
}

TEST(PayloadReader, EmptyInputHasNoItems) {
  const Seen seen = read_all(" \n\t ");
  EXPECT_TRUE(seen.items.empty());
  EXPECT_TRUE(seen.errors.empty());
}

}  // namespace
}  // namespace secfeed
