#include "connector/core/eventhub_connection_string.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

constexpr std::string_view kKey = "Zm9vYmFyYmF6cXV4+/ABCDEFGHIJ=";

std::string parse_error(std::string_view text) {
  std::string error;
  const auto result = parse_eventhub_connection_string(text, error);
  EXPECT_FALSE(result.has_value()) << text;
  EXPECT_EQ(error.find(kKey), std::string::npos) << "the key leaked: " << error;
  EXPECT_EQ(error.find("Zm9v"), std::string::npos) << "part of the key leaked: " << error;
  return error;
}

TEST(EventHubConnectionStringTest, ParsesAllParts) {
  std::string error;
  const auto parsed = parse_eventhub_connection_string(
      "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
      "SharedAccessKey=" +
          std::string(kKey) + ";EntityPath=defender",
      error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->fqdn, "myns.servicebus.windows.net");
  EXPECT_EQ(parsed->bootstrap, "myns.servicebus.windows.net:9093");
  EXPECT_EQ(parsed->key_name, "RootManageSharedAccessKey");
  EXPECT_EQ(parsed->entity_path, "defender");
}

TEST(EventHubConnectionStringTest, TolerantOfOrderCaseSpacesAndTrailingSemicolons) {
  std::string error;
  const auto parsed = parse_eventhub_connection_string(
      " sharedaccesskey=" + std::string(kKey) +
          " ; ENDPOINT = sb://ns.servicebus.chinacloudapi.cn ;SharedAccessKeyName=k;;Other=x;",
      error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->fqdn, "ns.servicebus.chinacloudapi.cn");
  EXPECT_EQ(parsed->entity_path, "");
}

TEST(EventHubConnectionStringTest, ErrorsNameThePartAndNeverTheKey) {
  const std::string key = "SharedAccessKey=" + std::string(kKey);
  EXPECT_EQ(parse_error(""),
            "connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/");
  // A key pasted on its own or in the wrong place: no '=' -> "not Name=Value"; with
  // base64 '=' padding it reads as an unknown segment and is ignored.
  EXPECT_EQ(parse_error("Zm9vYmFy"), "connection string segment 1 is not Name=Value");
  EXPECT_EQ(parse_error(kKey),
            "connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/");
  EXPECT_EQ(parse_error("SharedAccessKeyName=k;" + key),
            "connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/");
  EXPECT_EQ(parse_error("Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=k;" + key),
            "connection string Endpoint must start with sb://");
  EXPECT_EQ(parse_error("Endpoint=sb://;SharedAccessKeyName=k;" + key),
            "connection string Endpoint must be sb://<fully qualified namespace name>/");
  EXPECT_EQ(parse_error("Endpoint=sb://n s/;SharedAccessKeyName=k;" + key),
            "connection string Endpoint must be sb://<fully qualified namespace name>/");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;" + key),
            "connection string has no SharedAccessKeyName");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;SharedAccessKeyName=k"),
            "connection string has no SharedAccessKey");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey="),
            "connection string has no SharedAccessKey");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;SharedAccessKeyName=k;" + key + ";EntityPath="),
            "connection string EntityPath is empty");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;SharedAccessKeyName=k;Zm9vYmFy"),
            "connection string segment 3 is not Name=Value");
  EXPECT_EQ(parse_error("Endpoint=sb://ns/;SharedAccessKeyName=k;" + std::string(kKey)),
            "connection string has no SharedAccessKey");
}

}  // namespace
}  // namespace secfeed
