#include "tests/kafka_broker/message_input.hpp"

#include <gtest/gtest.h>

namespace secfeed::testkafka {
namespace {

TEST(MessageInput, OneMessagePerNonBlankLine) {
  std::vector<std::string> messages;
  append_lines("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}", &messages);
  EXPECT_EQ(messages, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
}

TEST(MessageInput, MissingFileIsAnError) {
  std::vector<std::string> messages;
  std::string error;
  EXPECT_FALSE(read_messages({"/nonexistent/input.ndjson"}, false, &messages, &error));
  EXPECT_EQ(error, "/nonexistent/input.ndjson: No such file or directory");
}

TEST(MessageInput, KeyFromField) {
  EXPECT_EQ(key_from_field(R"({"id":"a-1","n":2})", "id"), "a-1");
  EXPECT_EQ(key_from_field(R"({"id":"a-1","n":2})", "n"), "2");
  EXPECT_EQ(key_from_field(R"({"id":{"x":[1, true]}})", "id"), R"({"x":[1,true]})");
  EXPECT_EQ(key_from_field(R"({"id":null})", "id"), std::nullopt);
  EXPECT_EQ(key_from_field(R"({"id":"a"})", "other"), std::nullopt);
  EXPECT_EQ(key_from_field(R"(["id"])", "id"), std::nullopt);
  EXPECT_EQ(key_from_field(R"({"id":"a")", "id"), std::nullopt);
  EXPECT_EQ(key_from_field("", "id"), std::nullopt);
}

}  // namespace
}  // namespace secfeed::testkafka
