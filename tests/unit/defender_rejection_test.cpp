// Defender for Cloud: classification, exact rejection texts, hostile $id/$ref graphs,
// and the batch left unchanged by a rejected record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "tests/unit/defender_fixture.hpp"

namespace secfeed {
namespace {

using secfeed::testing::NormalizedRecord;

// bad_records.ndjson, line by line: the exact rejection, or "" for a record that is
// accepted (the $ref graphs are hostile but the alert itself is fine).
const std::vector<std::string> kExpected = {
    "Properties.Status.Code: expected a string, got a number",
    "unrecognised Defender for Cloud record: type \"Microsoft.Foo/bar\"",
    "unrecognised Defender for Cloud record: no type, $type or alert keys",
    "type: expected a string, got a number",
    "Severity: expected a string, got a number",
    "Entities[1].HostName: expected a string, got a number",
    "TimeGenerated: not an ISO 8601 time",
    "RemediationSteps[1]: expected a string, got a number",
    "SystemAlertId: required field is missing",
    "properties.score.current: expected a number, got a string",
    "properties.healthyResourceCount: expected an integer, got a fractional number",
    "id: required field is missing",
    "properties.metadata.categories: expected an array, got a string",
    "properties: required field is missing",
    "properties.entities: expected an array, got an object",
    "",
    "",
};

TEST(DefenderRejections, BadRecordsAreRejectedWithExactReasons) {
  std::size_t line = 0;
  secfeed::testing::for_each_ndjson_item(
      "bad_records.ndjson",
      [&](const PayloadItem& item, bool ok, const std::string& error, const EventBatch& batch) {
        ASSERT_LT(line, kExpected.size());
        const std::string& expected = kExpected[line++];
        EXPECT_EQ(error, expected) << item.position;
        EXPECT_EQ(ok, expected.empty()) << item.position;
        EXPECT_EQ(batch.size(), ok ? 1u : 0u) << item.position;
      });
  EXPECT_EQ(line, kExpected.size());
}

TEST(DefenderRejections, CyclicAndDanglingReferencesAreDroppedNotFollowed) {
  std::vector<std::vector<Entity>> entities;
  secfeed::testing::for_each_ndjson_item(
      "bad_records.ndjson",
      [&](const PayloadItem&, bool ok, const std::string&, const EventBatch& batch) {
        if (!ok) return;
        // Entity fields are views into the item: compare inside the callback.
        const Event& e = batch[0];
        entities.push_back(e.entities);
        if (e.id == "cyclic-refs") {
          ASSERT_EQ(e.entities.size(), 2u);
          EXPECT_EQ(e.entities[0].type, EntityType::process);
          EXPECT_EQ(e.entities[0].id, "0x10");
          EXPECT_EQ(e.entities[0].name, "");  // ImageFile refers back to the process
          EXPECT_EQ(e.entities[0].user, "");  // Account refers to itself
          EXPECT_EQ(e.entities[1].type, EntityType::file);
          EXPECT_EQ(e.entities[1].name, "loop.exe");
          EXPECT_EQ(e.entities[1].sha1, "");
        } else {
          EXPECT_EQ(e.id, "dangling-refs");
          ASSERT_EQ(e.entities.size(), 2u);
          EXPECT_EQ(e.entities[0].type, EntityType::process);
          EXPECT_EQ(e.entities[0].command_line, "a.exe");
          EXPECT_EQ(e.entities[0].name, "");
          EXPECT_EQ(e.entities[1].type, EntityType::file);
          EXPECT_EQ(e.entities[1].name, "b.dll");
          EXPECT_EQ(e.entities[1].md5, "d41d8cd98f00b204e9800998ecf8427e");
        }
      });
  EXPECT_EQ(entities.size(), 2u);
}

TEST(DefenderRejections, RejectedRecordLeavesTheBatchUnchanged) {
  rapidjson::Document good, bad;
  good.Parse(R"({"SystemAlertId":"keep","AlertDisplayName":"Kept","Severity":"Low"})");
  // Fails late: after the event, its entities and attributes were appended.
  bad.Parse(R"({"SystemAlertId":"drop","CompromisedEntity":"x","Entities":[)"
            R"({"$id":"1","HostName":"h","Type":"host"}],"AlertUri":7})");
  Arena arena;
  EventBatch batch;
  std::string error;
  NormalizeContext ctx{arena, "src", "", "", {}};
  ASSERT_TRUE(normalize_item(PayloadKind::mdc, good, ctx, batch, error)) << error;
  EXPECT_FALSE(normalize_item(PayloadKind::mdc, bad, ctx, batch, error));
  EXPECT_EQ(error, "AlertUri: expected a string, got a number");
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].id, "keep");
  EXPECT_EQ(batch[0].title, "Kept");
  // Direct calls (not through the dispatcher) leave it unchanged too.
  EXPECT_FALSE(normalize_defender_record(bad, ctx, batch, error));
  EXPECT_EQ(batch.size(), 1u);
}

TEST(DefenderClassification, TypeValuesMatchCaseInsensitively) {
  NormalizedRecord assessment(
      R"({"TYPE":"MICROSOFT.SECURITY/ASSESSMENTS","ID":"/subscriptions/s/a",)"
      R"("PROPERTIES":{"DISPLAYNAME":"T"}})");
  ASSERT_TRUE(assessment.ok) << assessment.error;
  EXPECT_EQ(assessment.batch[0].payload_kind, "mdc_recommendation");
  EXPECT_EQ(assessment.batch[0].title, "T");

  NormalizedRecord finding(R"({"$TYPE":"SUBASSESSMENTEVENT","id":"f","properties":{}})");
  ASSERT_TRUE(finding.ok) << finding.error;
  EXPECT_EQ(finding.batch[0].payload_kind, "mdc_finding");

  NormalizedRecord alert(
      R"({"type":"microsoft.security/locations/ALERTS","name":"n","properties":{}})");
  ASSERT_TRUE(alert.ok) << alert.error;
  EXPECT_EQ(alert.batch[0].payload_kind, "mdc_alert_arm");
}

TEST(DefenderClassification, AlertKeysWinOverAnUnknownType) {
  NormalizedRecord alert(R"({"Type":"SecurityAlert","SystemAlertId":"a1","AlertType":"X"})");
  ASSERT_TRUE(alert.ok) << alert.error;
  EXPECT_EQ(alert.batch[0].payload_kind, "mdc_alert");
}

TEST(DefenderClassification, UnknownDollarTypeIsNamed) {
  NormalizedRecord run(R"({"$type":"pricingEvent"})");
  EXPECT_FALSE(run.ok);
  EXPECT_EQ(run.error, "unrecognised Defender for Cloud record: $type \"pricingEvent\"");
}

TEST(DefenderClassification, HugeUnknownTypeIsQuotedShortened) {
  const std::string type(1 << 20, 'T');
  NormalizedRecord run(R"({"type":")" + type + R"("})");
  EXPECT_FALSE(run.ok);
  EXPECT_EQ(run.error,
            "unrecognised Defender for Cloud record: type \"" + type.substr(0, 200) + "...\"");
}

TEST(DefenderClassification, NonObjectIsRejected) {
  NormalizedRecord run("[1,2]");
  EXPECT_FALSE(run.ok);
  EXPECT_EQ(run.error, "expected a JSON object, got an array");
}

TEST(DefenderClassification, ContextTenantIsTheFallback) {
  NormalizedRecord without(R"({"type":"Microsoft.Security/secureScores","id":"/subscriptions/s/x",)"
                           R"("properties":{}})",
                           "ctx-tenant");
  ASSERT_TRUE(without.ok) << without.error;
  EXPECT_EQ(without.batch[0].tenant_id, "ctx-tenant");
  EXPECT_EQ(without.batch[0].source, "src");
  NormalizedRecord with(R"({"type":"Microsoft.Security/secureScores","id":"/subscriptions/s/x",)"
                        R"("tenantId":"own","properties":{}})",
                        "ctx-tenant");
  ASSERT_TRUE(with.ok) << with.error;
  EXPECT_EQ(with.batch[0].tenant_id, "own");
}

}  // namespace
}  // namespace secfeed
