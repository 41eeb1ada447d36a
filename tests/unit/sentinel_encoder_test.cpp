#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "connector/core/time.hpp"
#include "sinks/encoders/encode.hpp"
#include "sinks/encoders/encoders.hpp"
#include "tests/unit/encoder_test_events.hpp"
#include "tests/unit/support/text_checks.hpp"

namespace secfeed {
namespace {

using namespace std::literals;

std::string row(const Event& event, EncodeStats* stats = nullptr) {
  std::string out;
  SentinelOptions options;
  options.fallback_time_ms = test::kT0 + 1000;
  encode_sentinel(event, out, options, stats);
  return out;
}

// schemas/sentinel/<table>.json: column name -> type, as the DCR declares them.
struct TableSchema {
  std::string stream;
  std::vector<std::pair<std::string, std::string>> columns;
  std::set<std::string> kinds;
};

TableSchema load_table(SentinelTable table) {
  const std::string name(sentinel_table_name(table));
  std::ifstream file(std::string(SECFEED_SOURCE_DIR) + "/schemas/sentinel/" + name + ".json");
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  TableSchema schema;
  if (doc.HasParseError() || !doc.IsObject()) return schema;
  for (const auto& kind : doc["kinds"].GetArray()) schema.kinds.insert(kind.GetString());
  const auto& declarations = doc["streamDeclarations"];
  for (const auto& stream : declarations.GetObject()) {
    schema.stream = stream.name.GetString();
    for (const auto& column : stream.value["columns"].GetArray()) {
      schema.columns.emplace_back(column["name"].GetString(), column["type"].GetString());
    }
  }
  return schema;
}

bool fits(const rapidjson::Value& value, const std::string& type) {
  if (type == "dynamic") return true;
  if (type == "string") return value.IsString();
  if (type == "int") return value.IsInt();
  if (type == "long") return value.IsInt64();
  if (type == "real") return value.IsDouble();  // written with '.', so never read as an int
  if (type == "boolean") return value.IsBool();
  if (type == "datetime") {
    return value.IsString() && parse_iso8601_ms(value.GetString()).has_value();
  }
  return false;
}

// "" when every key of `json` is a column of `schema` with a fitting value.
std::string schema_violation(const std::string& json, const TableSchema& schema) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return "not a JSON object: " + json;
  for (const auto& member : doc.GetObject()) {
    const std::string name = member.name.GetString();
    const auto column = std::find_if(schema.columns.begin(), schema.columns.end(),
                                     [&](const auto& declared) { return declared.first == name; });
    if (column == schema.columns.end()) return "column " + name + " is not declared";
    if (!fits(member.value, column->second))
      return "column " + name + " is not a " + column->second;
  }
  if (!doc.HasMember("TimeGenerated")) return "no TimeGenerated";
  return "";
}

TEST(SentinelEncoder, AlertRowExactBytes) {
  Event alert = test::sample_alert();
  alert.raw_text = R"({ "id": "da6",
   "severity": "medium" })";
  EXPECT_EQ(
      row(alert),
      R"({"TimeGenerated":"2024-05-01T10:20:30.456Z","SchemaVersion":1,"EventKind":"alert",)"
      R"("EventId":"da637551227677560813_-961444813","ProviderId":"da637551227677560813_-961444813",)"
      R"("EntraTenantId":"b3c1b5a0-0000-4000-8000-000000000001","TenantName":"Contoso",)"
      R"("SourceName":"graph","PayloadKind":"graph_alert","Vendor":"Microsoft",)"
      R"("Product":"Microsoft Defender for Endpoint","DisplayName":"Suspicious PowerShell command line",)"
      R"("Description":"A suspicious PowerShell activity was observed on the machine.",)"
      R"("Severity":"medium","SeverityScore":5,"Status":"new","Category":"Execution",)"
      R"("Classification":"truePositive","Determination":"malware",)"
      R"("AssignedTo":"secops@contoso.com","DetectionSource":"microsoftDefenderForEndpoint",)"
      R"("ServiceSource":"microsoftDefenderForEndpoint",)"
      R"("DetectorId":"7f1c3609-a3ff-40e2-995b-c01770161d68","IncidentId":"2893",)"
      R"("PortalUrl":"https://security.microsoft.com/alerts/da637551227677560813_-961444813",)"
      R"("CreatedTime":"2024-05-01T10:19:30.456Z","FirstActivityTime":"2024-05-01T10:18:30.456Z",)"
      R"("LastActivityTime":"2024-05-01T10:19:00.456Z","Tactics":["Execution","DefenseEvasion"],)"
      R"("Techniques":["T1059.001","T1027"],"Entities":[)"
      R"({"type":"host","role":"compromised","name":"win10-01.contoso.local",)"
      R"("id":"7d1ef1e1c6b36a9f0a8e7c9a6b4b1d7c8e3a2f10","os":"Windows10"},)"
      R"({"type":"user","name":"alice","domain":"CONTOSO","upn":"alice@contoso.com",)"
      R"("sid":"S-1-5-21-1-2-3-1104"},{"type":"ip","role":"attacker","address":"203.0.113.7"},)"
      R"({"type":"ip","role":"destination","address":"10.0.0.4"},)"
      R"({"type":"file","name":"payload.ps1","path":"C:\\Users\\alice\\Downloads",)"
      R"("sha1":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",)"
      R"("sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","size":1234},)"
      R"({"type":"process","name":"powershell.exe","id":"4321",)"
      R"("command_line":"powershell.exe -enc ZQBjAGgAbwA="},)"
      R"({"type":"url","url":"http://malicious.example/a?b=c"}],)"
      R"("Attributes":{"alert_count":1},"RawData":{"id":"da6","severity":"medium"}})");
}

TEST(SentinelEncoder, PostureRowsExactBytes) {
  EXPECT_EQ(
      row(test::sample_secure_score()),
      R"({"TimeGenerated":"2024-05-01T10:20:30.456Z","SchemaVersion":1,)"
      R"("EventKind":"secure_score","EventId":"b3c1b5a0-0000-4000-8000-000000000001_2024-05-01",)"
      R"("EntraTenantId":"b3c1b5a0-0000-4000-8000-000000000001","PayloadKind":"secure_score",)"
      R"("Product":"Microsoft Secure Score","DisplayName":"Secure Score",)"
      R"("Severity":"unknown","SeverityScore":0,"CurrentScore":123.45,"MaxScore":400.0,)"
      R"("Percentage":30.8625,"Attributes":{"current_score":123.45,"max_score":400.0,)"
      R"("percentage":30.8625,"active_user_count":42,"licensed_user_count":50,)"
      R"("enabled_services":["HasExchange","HasSharePoint"]}})");
  // No time of its own: TimeGenerated is the fallback; the control name is the id.
  EXPECT_EQ(
      row(test::sample_control_profile()),
      R"({"TimeGenerated":"2024-05-01T10:20:31.456Z","SchemaVersion":1,)"
      R"("EventKind":"control_profile","EventId":"AdminMFAV2","Product":"Microsoft Secure Score",)"
      R"("DisplayName":"Ensure multifactor authentication is enabled for all users in )"
      R"(administrative roles","Severity":"unknown","SeverityScore":0,"Category":"Identity",)"
      R"("ControlName":"AdminMFAV2","ImplementationStatus":"Partially","MaxScore":10.0,)"
      R"("Attributes":{"max_score":10,"implementation_status":"Partially"}})");
  EXPECT_EQ(row(test::sample_compliance()),
            R"({"TimeGenerated":"2024-05-01T10:20:30.456Z","SchemaVersion":1,)"
            R"("EventKind":"compliance","EventId":"/subscriptions/0b1f6471-1bf0-4dda-aec3-)"
            R"(cb9272f09590/providers/Microsoft.Security/regulatoryComplianceStandards/CIS-1.3.0/)"
            R"(regulatoryComplianceControls/1.1/regulatoryComplianceAssessments/a1b2",)"
            R"("EntraTenantId":"b3c1b5a0-0000-4000-8000-000000000001",)"
            R"("Product":"Microsoft Defender for Cloud",)"
            R"("DisplayName":"Ensure MFA is enabled for all privileged users",)"
            R"("Severity":"unknown","SeverityScore":0,"Status":"Failed",)"
            R"("AzureSubscriptionId":"0b1f6471-1bf0-4dda-aec3-cb9272f09590",)"
            R"("ComplianceStandard":"CIS-1.3.0","Attributes":{"standard":"CIS-1.3.0",)"
            R"("passed_resources":2,"failed_resources":1,"skipped_resources":0}})");
  // Reals always carry a '.', so Log Analytics never sees an int in a real column.
  EXPECT_EQ(row(test::sample_score_change()),
            R"({"TimeGenerated":"2024-05-01T10:20:30.456Z","SchemaVersion":1,)"
            R"("EventKind":"score_change","EventId":"AdminMFAV2_2024-05-01",)"
            R"("DisplayName":"AdminMFAV2","Severity":"low","SeverityScore":3,)"
            R"("CurrentScore":5.0,"PreviousScore":10.0,"MaxScore":10.0,)"
            R"("Attributes":{"current_score":5.0,"previous_score":10.0,"max_score":10.0}})");
}

TEST(SentinelEncoder, EveryKindMatchesItsTableSchema) {
  const TableSchema alerts = load_table(SentinelTable::alerts);
  const TableSchema posture = load_table(SentinelTable::posture);
  ASSERT_EQ(alerts.stream, "Custom-SecfeedAlerts_CL");
  ASSERT_EQ(posture.stream, "Custom-SecfeedPosture_CL");
  std::set<std::string> kinds_seen;
  for (Event event : test::sample_events_of_every_kind()) {
    event.raw_text = R"({"a":[1,2.5,{"b":null}]})";
    const SentinelTable table = sentinel_table(event.kind);
    const TableSchema& schema = table == SentinelTable::alerts ? alerts : posture;
    EXPECT_TRUE(schema.kinds.contains(std::string(to_string(event.kind))))
        << to_string(event.kind) << " is not listed in " << sentinel_table_name(table);
    EXPECT_EQ(schema_violation(row(event), schema), "") << to_string(event.kind);
    kinds_seen.insert(std::string(to_string(event.kind)));
  }
  EXPECT_EQ(kinds_seen.size(), std::size_t(kEventKindCount));
  // Every kind is listed in exactly one table.
  for (const std::string& kind : alerts.kinds) EXPECT_FALSE(posture.kinds.contains(kind)) << kind;
  EXPECT_EQ(alerts.kinds.size() + posture.kinds.size(), std::size_t(kEventKindCount));
}

TEST(SentinelEncoder, ColumnNamesFollowTheLogAnalyticsRules) {
  const std::set<std::string> reserved = {
      "_ResourceId", "id", "_SubscriptionId", "TenantId", "Type", "UniqueId", "Title"};
  for (SentinelTable table : {SentinelTable::alerts, SentinelTable::posture}) {
    const TableSchema schema = load_table(table);
    ASSERT_FALSE(schema.columns.empty()) << sentinel_table_name(table);
    EXPECT_EQ(schema.columns.front(), std::make_pair("TimeGenerated"s, "datetime"s));
    std::set<std::string> names;
    for (const auto& [name, type] : schema.columns) {
      EXPECT_TRUE(test::is_identifier(name, 44)) << name;
      EXPECT_FALSE(reserved.contains(name)) << name;
      EXPECT_TRUE(names.insert(name).second) << "duplicate column " << name;
      const std::set<std::string> types = {"string",  "int",      "long",   "real",
                                           "boolean", "datetime", "dynamic"};
      EXPECT_TRUE(types.contains(type)) << name << ": " << type;
    }
    EXPECT_TRUE(names.contains("Entities"));
    EXPECT_TRUE(names.contains("RawData"));
  }
}

TEST(SentinelEncoder, HostileTextStaysValidAndWithinTheColumnLimits) {
  const TableSchema alerts = load_table(SentinelTable::alerts);
  Event event = test::sample_alert();
  event.title = test::hostile_text();
  const std::string long_text = std::string(32 * 1024 - 1, 'a') + "\xc3\xa9" + "tail";
  event.description = long_text;
  event.tactics = {test::hostile_text()};
  event.raw_text = "{not json";  // kept as a string value: still a valid dynamic
  EncodeStats stats;
  const std::string json = row(event, &stats);
  EXPECT_EQ(schema_violation(json, alerts), "");
  EXPECT_EQ(stats.truncated_fields, 1u);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  // Cut before the two-byte character that would cross 32 KB.
  EXPECT_EQ(doc["Description"].GetStringLength(), 32u * 1024 - 1);
  EXPECT_EQ(std::string(doc["RawData"].GetString()), "{not json");
}

TEST(SentinelEncoder, OversizedRawDataIsLeftOutAndFlagged) {
  Event event = test::sample_incident();
  const std::string big = R"({"x":")" + std::string(70000, 'x') + R"("})";
  event.raw_text = big;
  const std::string json = row(event);
  EXPECT_EQ(json.find("RawData\""), std::string::npos);
  EXPECT_NE(json.find(R"("RawDataOmitted":true})"), std::string::npos);
  EXPECT_EQ(schema_violation(json, load_table(SentinelTable::alerts)), "");
}

TEST(SentinelEncoder, RawValueIsSerializedWhenThereIsNoText) {
  rapidjson::Document raw;
  raw.Parse(R"({"k": [true, "v"]})");
  Event event = test::sample_incident();
  event.raw_value = &raw;
  EXPECT_NE(row(event).find(R"("RawData":{"k":[true,"v"]}})"), std::string::npos);
}

TEST(SentinelEncoder, EncodeEventProducesTheSentinelFormat) {
  std::string out;
  ASSERT_TRUE(encode_event(OutputFormat::sentinel, test::sample_incident(), out));
  EXPECT_EQ(out.rfind(R"({"TimeGenerated":"2024-05-01T10:20:30.456Z","SchemaVersion":1,)", 0), 0u);
}

}  // namespace
}  // namespace secfeed
