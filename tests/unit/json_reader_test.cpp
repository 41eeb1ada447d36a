#include "connector/core/json_reader.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

rapidjson::Document parse(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  return d;
}

TEST(ObjectReader, ReadsTypedFieldsAndTreatsNullAsAbsent) {
  const auto d = parse(R"({"s":"x","n":3,"f":2.5,"b":true,"bs":"False","t":"2024-01-02T03:04:05Z",
                           "z":null,"o":{},"a":[]})");
  std::string error;
  ObjectReader r(d, KeyMatch::exact, error);
  EXPECT_EQ(r.string("s"), "x");
  EXPECT_EQ(r.integer("n"), 3);
  EXPECT_EQ(r.number("f"), 2.5);
  EXPECT_EQ(r.boolean("b"), true);
  EXPECT_EQ(r.boolean("bs"), false);
  EXPECT_EQ(r.time("t"), 1704164645000);
  EXPECT_EQ(r.string("z"), "");
  EXPECT_EQ(r.string("missing"), "");
  EXPECT_NE(r.object("o"), nullptr);
  EXPECT_NE(r.array("a"), nullptr);
  EXPECT_FALSE(r.failed());
}

TEST(ObjectReader, CaseInsensitiveMatchingForDefenderKeys) {
  const auto d = parse(R"({"AssessmentEventDataEnrichment":{"Action":"Insert"}})");
  std::string error;
  ObjectReader r(d, KeyMatch::case_insensitive, error);
  const rapidjson::Value* enrichment = r.object("assessmentEventDataEnrichment");
  ASSERT_NE(enrichment, nullptr);
  EXPECT_EQ(r.child(*enrichment, "assessmentEventDataEnrichment").string("action"), "Insert");
}

TEST(ObjectReader, FirstErrorWinsAndNamesTheNestedPath) {
  const auto d = parse(R"({"evidence":[{},{"userAccount":{"accountName":7}}],"severity":1})");
  std::string error;
  ObjectReader r(d, KeyMatch::exact, error);
  const rapidjson::Value& second = (*r.array("evidence"))[1];
  ObjectReader item = r.element(second, "evidence", 1);
  ObjectReader account = item.child(*item.object("userAccount"), "userAccount");
  EXPECT_EQ(account.string("accountName"), "");
  EXPECT_EQ(r.string("severity"), "");
  EXPECT_EQ(error, "evidence[1].userAccount.accountName: expected a string, got a number");
}

TEST(ObjectReader, ExactErrorTexts) {
  const auto d = parse(R"({"id":"","n":1.5,"t":"yesterday","o":[],"big":18446744073709551615})");
  const auto first_error = [&](auto&& read) {
    std::string error;
    ObjectReader r(d, KeyMatch::exact, error);
    read(r);
    return error;
  };
  EXPECT_EQ(first_error([](ObjectReader& r) { r.required_string("id"); }),
            "id: required field is empty");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.required_string("nope"); }),
            "nope: required field is missing");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.integer("n"); }),
            "n: expected an integer, got a fractional number");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.time("t"); }), "t: not an ISO 8601 time");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.time("n"); }),
            "n: expected an ISO 8601 time string, got a number");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.object("o"); }),
            "o: expected an object, got an array");
  EXPECT_EQ(first_error([](ObjectReader& r) { r.integer("big"); }), "big: integer out of range");
}

}  // namespace
}  // namespace secfeed
