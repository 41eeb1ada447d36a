// Rejections (exact texts, batch left unchanged) from tests/fixtures/graph/bad_items.ndjson,
// and payload kind detection on every Graph fixture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/graph_fixture_support.hpp"

namespace secfeed {
namespace {

using testing::Fixture;
using testing::Normalized;

struct Rejection {
  PayloadKind kind;
  std::string_view error;
};

// One row per line of bad_items.ndjson, in order.
constexpr Rejection kRejections[] = {
    {PayloadKind::graph_alert, "severity: expected a string, got a number"},
    {PayloadKind::graph_alert,
     "evidence[1].userAccount.accountName: expected a string, got a number"},
    {PayloadKind::graph_alert, "id: required field is missing"},
    {PayloadKind::graph_alert, "id: required field is empty"},
    {PayloadKind::graph_alert, "mitreTechniques[1]: expected a string, got a number"},
    {PayloadKind::graph_alert, "createdDateTime: not an ISO 8601 time"},
    {PayloadKind::graph_alert, "evidence: expected an array, got an object"},
    {PayloadKind::graph_alert, "evidence[0]: expected an object, got a string"},
    {PayloadKind::graph_alert,
     "evidence[0].processId: expected a string or an integer, got a fractional number"},
    {PayloadKind::graph_alert,
     "evidence[0].fileDetails.fileSize: expected an integer, got a string"},
    {PayloadKind::graph_alert, "evidence[0].roles[0]: expected a string, got a number"},
    {PayloadKind::graph_alert, "evidence[0].@odata.type: expected a string, got a number"},
    {PayloadKind::graph_alert, "recommendedActions: expected a string, got a number"},
    {PayloadKind::graph_legacy_alert,
     "vendorInformation.provider: expected a string, got a number"},
    {PayloadKind::graph_legacy_alert,
     "userStates[0].accountName: expected a string, got a boolean"},
    {PayloadKind::graph_incident, "priorityScore: expected an integer, got a string"},
    {PayloadKind::graph_incident, "id: expected a string, got a number"},
    {PayloadKind::secure_score, "controlScores[2].score: expected a number, got a string"},
    {PayloadKind::secure_score, "controlScores[0].controlName: required field is missing"},
    {PayloadKind::secure_score, "currentScore: expected a number, got a string"},
    {PayloadKind::secure_score,
     "averageComparativeScores[0].averageScore: expected a number, got a string"},
    {PayloadKind::control_profile, "deprecated: expected a boolean, got a string"},
    {PayloadKind::control_profile, "threats: expected an object or an array, got a string"},
};

TEST(GraphRejection, EveryBadItemIsRejectedWithItsExactReason) {
  const Fixture bad("bad_items.ndjson");
  ASSERT_EQ(bad.size(), std::size(kRejections));
  for (std::size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE("bad_items.ndjson line " + std::to_string(i + 1));
    EXPECT_EQ(detect_payload_kind(bad.item(i)), kRejections[i].kind);
    Normalized n;
    EXPECT_FALSE(n.run(kRejections[i].kind, bad.item(i)));
    EXPECT_EQ(n.error, kRejections[i].error);
    EXPECT_TRUE(n.batch.empty());
  }
}

TEST(GraphRejection, ARejectedItemLeavesTheBatchAsItWas) {
  const Fixture good("secure_scores_list.json");
  const Fixture bad("bad_items.ndjson");
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::secure_score, good.item(0))) << n.error;
  ASSERT_EQ(n.batch.size(), 11u);
  // Line 18 appends a score and two control events before its third control fails.
  EXPECT_FALSE(n.run(PayloadKind::secure_score, bad.item(17)));
  EXPECT_EQ(n.error, "controlScores[2].score: expected a number, got a string");
  ASSERT_EQ(n.batch.size(), 11u);
  EXPECT_EQ(n.batch[0].id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-03");
  EXPECT_EQ(n.batch[10].id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-03_exo_mailboxaudit");
  // The next good item lands right after, reusing the truncated slots.
  ASSERT_TRUE(n.run(PayloadKind::secure_score, good.item(1))) << n.error;
  ASSERT_EQ(n.batch.size(), 22u);
  EXPECT_EQ(n.batch[11].id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-02");
  EXPECT_EQ(n.batch[12].attributes.size(), n.batch[1].attributes.size());
}

TEST(GraphRejection, NonObjectItemsAreRejectedByEveryGraphNormalizer) {
  rapidjson::Document doc;
  doc.Parse(R"([[], "text", 3, null, true])");
  for (const PayloadKind kind :
       {PayloadKind::graph_alert, PayloadKind::graph_legacy_alert, PayloadKind::graph_incident,
        PayloadKind::secure_score, PayloadKind::control_profile}) {
    for (const rapidjson::Value& item : doc.GetArray()) {
      Normalized n;
      EXPECT_FALSE(n.run(kind, item));
      EXPECT_TRUE(n.error.starts_with("expected a JSON object, got ")) << n.error;
    }
  }
}

struct FixtureKind {
  std::string_view file;
  PayloadKind kind;
};

TEST(GraphDetection, EveryFixtureItemIsDetectedWithAndWithoutTheContextHint) {
  for (const FixtureKind& f :
       {FixtureKind{"alerts_v2_list.json", PayloadKind::graph_alert},
        FixtureKind{"legacy_alerts_list.json", PayloadKind::graph_legacy_alert},
        FixtureKind{"incidents_list.json", PayloadKind::graph_incident},
        FixtureKind{"secure_scores_list.json", PayloadKind::secure_score},
        FixtureKind{"control_profiles_list.json", PayloadKind::control_profile}}) {
    const Fixture fixture(f.file);
    ASSERT_GT(fixture.size(), 0u) << f.file;
    for (std::size_t i = 0; i < fixture.size(); ++i) {
      SCOPED_TRACE(std::string(f.file) + " item " + std::to_string(i));
      EXPECT_FALSE(fixture.context(i).empty());
      EXPECT_EQ(detect_payload_kind(fixture.item(i), fixture.context(i)), f.kind);
      EXPECT_EQ(detect_payload_kind(fixture.item(i)), f.kind);
      Normalized n;
      EXPECT_TRUE(n.run(f.kind, fixture.item(i))) << n.error;
    }
  }
}

}  // namespace
}  // namespace secfeed
