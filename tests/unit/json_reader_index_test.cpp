// ObjectReader's member index (objects of 8..100 members) must answer exactly like the
// linear find_member it replaces: same member, first duplicate wins, case rules kept.
#include <gtest/gtest.h>

#include <string>

#include <rapidjson/document.h>

#include "connector/core/json_reader.hpp"

namespace secfeed {
namespace {

TEST(ObjectReaderIndex, AnswersLikeTheLinearScan) {
  rapidjson::Document d;
  d.Parse(
      R"({"id":"1","Id":"2","title":"t","a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"a":7,)"
      R"("status":"new","STATUS":"x","n":null,"createdDateTime":"c","lastUpdateDateTime":"u"})");
  ASSERT_FALSE(d.HasParseError());
  const char* keys[] = {"id",
                        "Id",
                        "ID",
                        "title",
                        "a",
                        "b",
                        "c",
                        "d",
                        "e",
                        "f",
                        "g",
                        "status",
                        "STATUS",
                        "Status",
                        "n",
                        "createdDateTime",
                        "lastUpdateDateTime",
                        "lastupdatedatetime",
                        ""};
  for (const KeyMatch match : {KeyMatch::exact, KeyMatch::case_insensitive}) {
    std::string error;
    ObjectReader reader(d, match, error);
    for (const char* key : keys) {
      const rapidjson::Value* linear = find_member(d, key, match);
      if (linear != nullptr && linear->IsNull()) linear = nullptr;  // find() hides null
      EXPECT_EQ(reader.find(key), linear) << key << " match " << static_cast<int>(match);
    }
  }
  std::string error;
  ObjectReader exact(d, KeyMatch::exact, error);
  EXPECT_EQ(exact.find("a")->GetInt(), 1);  // the first duplicate
  ObjectReader folded(d, KeyMatch::case_insensitive, error);
  EXPECT_EQ(folded.string("STATUS"), "new");
  EXPECT_EQ(folded.string("ID"), "1");
}

TEST(ObjectReaderIndex, LargeObjectsFallBackToTheScan) {
  std::string text = "{";
  for (int i = 0; i < 150; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k0\":-1}";
  rapidjson::Document d;
  d.Parse(text.c_str());
  std::string error;
  ObjectReader reader(d, KeyMatch::exact, error);
  EXPECT_EQ(reader.integer("k0"), 0);
  EXPECT_EQ(reader.integer("k149"), 149);
  EXPECT_EQ(reader.find("k150"), nullptr);
}

}  // namespace
}  // namespace secfeed
