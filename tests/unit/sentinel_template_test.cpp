// deploy/azure/sentinel-dcr.json (and .bicep) must declare exactly the tables and DCR
// streams of schemas/sentinel/, or the rows secfeed sends would be refused (400).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "tests/unit/support/run_process.hpp"

namespace secfeed {
namespace {

const std::string kRoot = SECFEED_SOURCE_DIR;

rapidjson::Document parse_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  return doc;
}

const rapidjson::Value* resource_of_type(const rapidjson::Document& arm, std::string_view type,
                                         int index = 0) {
  for (const auto& resource : arm["resources"].GetArray()) {
    if (resource["type"].GetString() == type && index-- == 0) return &resource;
  }
  return nullptr;
}

class SentinelTemplate : public ::testing::Test {
 protected:
  void SetUp() override {
    arm_ = parse_file(kRoot + "/deploy/azure/sentinel-dcr.json");
    ASSERT_FALSE(arm_.HasParseError());
    for (const auto& entry : std::filesystem::directory_iterator(kRoot + "/schemas/sentinel")) {
      if (entry.path().extension() == ".json") schema_paths_.push_back(entry.path().string());
    }
    std::sort(schema_paths_.begin(), schema_paths_.end());
    ASSERT_EQ(schema_paths_.size(), 2u);
  }
  rapidjson::Document arm_;
  std::vector<std::string> schema_paths_;
};

TEST_F(SentinelTemplate, DcrStreamDeclarationsEqualTheSchemas) {
  const rapidjson::Value* dcr = resource_of_type(arm_, "Microsoft.Insights/dataCollectionRules");
  ASSERT_NE(dcr, nullptr);
  EXPECT_STREQ((*dcr)["kind"].GetString(), "Direct");
  const rapidjson::Value& declarations = (*dcr)["properties"]["streamDeclarations"];
  EXPECT_EQ(declarations.MemberCount(), schema_paths_.size());
  for (const std::string& path : schema_paths_) {
    const rapidjson::Document schema = parse_file(path);
    for (const auto& stream : schema["streamDeclarations"].GetObject()) {
      ASSERT_TRUE(declarations.HasMember(stream.name)) << stream.name.GetString();
      EXPECT_TRUE(declarations[stream.name] == stream.value)
          << stream.name.GetString() << " differs: run deploy/azure/generate.py";
    }
  }
}

TEST_F(SentinelTemplate, EveryStreamFlowsUnchangedIntoItsTable) {
  const rapidjson::Value* dcr = resource_of_type(arm_, "Microsoft.Insights/dataCollectionRules");
  ASSERT_NE(dcr, nullptr);
  const rapidjson::Value& flows = (*dcr)["properties"]["dataFlows"];
  ASSERT_EQ(flows.Size(), schema_paths_.size());
  for (std::size_t i = 0; i < schema_paths_.size(); ++i) {
    const rapidjson::Document schema = parse_file(schema_paths_[i]);
    const std::string table = schema["table"].GetString();
    EXPECT_EQ(std::string(flows[i]["streams"][0].GetString()), "Custom-" + table);
    EXPECT_EQ(std::string(flows[i]["outputStream"].GetString()), "Custom-" + table);
    EXPECT_STREQ(flows[i]["transformKql"].GetString(), "source");
    // The workspace table has the same columns (the tables API spells it dateTime).
    const rapidjson::Value* resource =
        resource_of_type(arm_, "Microsoft.OperationalInsights/workspaces/tables", int(i));
    ASSERT_NE(resource, nullptr);
    const rapidjson::Value& table_schema = (*resource)["properties"]["schema"];
    EXPECT_EQ(std::string(table_schema["name"].GetString()), table);
    const auto& columns = table_schema["columns"];
    const auto& declared = schema["streamDeclarations"].MemberBegin()->value["columns"];
    ASSERT_EQ(columns.Size(), declared.Size());
    for (rapidjson::SizeType c = 0; c < columns.Size(); ++c) {
      EXPECT_STREQ(columns[c]["name"].GetString(), declared[c]["name"].GetString());
      const std::string type = declared[c]["type"].GetString();
      EXPECT_EQ(std::string(columns[c]["type"].GetString()),
                type == "datetime" ? "dateTime" : type);
    }
  }
}

TEST_F(SentinelTemplate, GrantsMonitoringMetricsPublisherOnTheDcr) {
  const rapidjson::Value* role = resource_of_type(arm_, "Microsoft.Authorization/roleAssignments");
  ASSERT_NE(role, nullptr);
  EXPECT_NE(std::string((*role)["properties"]["roleDefinitionId"].GetString())
                .find("3913510d-42f4-4e42-8a64-420c390055eb"),
            std::string::npos);
  EXPECT_STREQ((*role)["properties"]["principalId"].GetString(),
               "[parameters('servicePrincipalObjectId')]");
  EXPECT_NE(std::string((*role)["scope"].GetString()).find("dataCollectionRules"),
            std::string::npos);
}

TEST_F(SentinelTemplate, GeneratedFilesAreCurrent) {
  const testing::ProcessResult result =
      testing::run_process("python3 " + kRoot + "/deploy/azure/generate.py --check");
  EXPECT_EQ(result.status, 0) << result.err;
}

}  // namespace
}  // namespace secfeed
