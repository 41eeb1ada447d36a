// secureScores and secureScoreControlProfiles normalization against
// tests/fixtures/graph/{secure_scores,control_profiles}_list.json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/graph_fixture_support.hpp"

namespace secfeed {
namespace {

using testing::attribute_keys;
using testing::attribute_text;
using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::IsEmpty;
using testing::ms;
using testing::Normalized;
using testing::number_attribute;

constexpr std::string_view kTenant = "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c";

class SecureScoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(fixture_.size(), 3u);
    ASSERT_TRUE(n_.run(PayloadKind::secure_score, fixture_.item(0))) << n_.error;
  }
  Fixture fixture_{"secure_scores_list.json"};
  Normalized n_;
};

TEST_F(SecureScoreTest, OneScoreEventThenOneEventPerControl) {
  ASSERT_EQ(n_.batch.size(), 11u);
  EXPECT_EQ(n_.batch[0].kind, EventKind::secure_score);
  for (std::size_t i = 1; i < n_.batch.size(); ++i) {
    EXPECT_EQ(n_.batch[i].kind, EventKind::control_score) << i;
    EXPECT_EQ(n_.batch[i].payload_kind, "secure-score") << i;
    EXPECT_EQ(n_.batch[i].raw_value, &fixture_.item(0)) << i;
  }
}

TEST_F(SecureScoreTest, ScoreEventCarriesTotalsAndComparisons) {
  const Event& e = n_.batch[0];
  EXPECT_EQ(e.id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-03");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.time_ms, ms("2024-03-03T00:00:00Z"));
  EXPECT_EQ(e.created_ms, e.time_ms);
  EXPECT_EQ(e.title, "Microsoft Secure Score");
  EXPECT_EQ(e.product, "Microsoft Secure Score");
  EXPECT_EQ(e.vendor, "Microsoft");
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("current_score", "max_score", "percentage", "active_user_count",
                          "licensed_user_count", "enabled_services", "average_score_all_tenants",
                          "average_score_total_seats", "average_score_industry_types",
                          "average_comparative_scores"));
  EXPECT_EQ(number_attribute(e, "current_score"), 25.5);
  EXPECT_EQ(number_attribute(e, "max_score"), 61.0);
  EXPECT_DOUBLE_EQ(number_attribute(e, "percentage").value_or(-1), 25.5 / 61.0 * 100);
  EXPECT_EQ(attribute_text(e, "active_user_count"), "i:120");
  EXPECT_EQ(attribute_text(e, "licensed_user_count"), "i:150");
  EXPECT_EQ(attribute_text(e, "enabled_services"),
            R"(j:["HasExchange","HasSharePoint","HasOD4B","HasMDEP"])");
  EXPECT_EQ(number_attribute(e, "average_score_all_tenants"), 39.97);
  EXPECT_EQ(number_attribute(e, "average_score_total_seats"), 43.84);
  EXPECT_EQ(number_attribute(e, "average_score_industry_types"), 48.42);
  EXPECT_TRUE(attribute_text(e, "average_comparative_scores")
                  .starts_with(R"(j:[{"basis":"AllTenants","averageScore":39.97},)"));
}

TEST_F(SecureScoreTest, ControlEventKeepsKnownAndOpenKeys) {
  const Event& e = n_.batch[1];
  EXPECT_EQ(e.id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-03_MFARegistrationV2");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.time_ms, ms("2024-03-03T00:00:00Z"));
  EXPECT_EQ(e.title, "MFARegistrationV2");
  EXPECT_EQ(e.category, "Identity");
  EXPECT_EQ(e.description, "Ensure all users can complete multifactor authentication");
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("control_name", "score", "score_in_percentage", "implementation_status",
                          "count", "total", "last_synced", "is_applicable", "on", "score_drivers"));
  EXPECT_EQ(attribute_text(e, "control_name"), "s:MFARegistrationV2");
  EXPECT_EQ(number_attribute(e, "score"), 0.0);
  EXPECT_EQ(number_attribute(e, "score_in_percentage"), 0.0);
  EXPECT_EQ(attribute_text(e, "implementation_status"), "s:You have 2 of 3 users registered");
  EXPECT_EQ(attribute_text(e, "count"), "i:1");  // "1" in the payload
  EXPECT_EQ(attribute_text(e, "total"), "i:10");
  EXPECT_EQ(attribute_text(e, "last_synced"), "s:2024-03-03T06:00:00Z");
  EXPECT_EQ(attribute_text(e, "is_applicable"), "s:true");
  EXPECT_EQ(attribute_text(e, "on"), "s:true");
  EXPECT_EQ(attribute_text(e, "score_drivers"), R"(j:[{"name":"registeredUsers","value":2}])");
}

TEST_F(SecureScoreTest, OpenKeysAreTypedByTheirJsonType) {
  EXPECT_EQ(number_attribute(n_.batch[2], "score"), 0.5);
  EXPECT_EQ(attribute_text(n_.batch[2], "on"), "<missing>");  // null adds nothing
  EXPECT_EQ(attribute_text(n_.batch[4], "source_id"), "i:4");
  EXPECT_EQ(attribute_text(n_.batch[5], "is_enforced"), "b:true");
  EXPECT_EQ(number_attribute(n_.batch[6], "threshold_ratio"), 0.75);
  EXPECT_EQ(attribute_text(n_.batch[7], "tenant_settings"), R"(j:{"mode":"block"})");
  EXPECT_EQ(n_.batch[10].id, "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c_2024-03-03_exo_mailboxaudit");
}

TEST_F(SecureScoreTest, EveryDayOfTheFixtureNormalizes) {
  for (std::size_t day = 1; day < fixture_.size(); ++day) {
    Normalized n;
    ASSERT_TRUE(n.run(PayloadKind::secure_score, fixture_.item(day))) << n.error;
    EXPECT_EQ(n.batch.size(), 11u);
  }
}

TEST(SecureScore, PercentageIsZeroWhenMaxScoreIsZero) {
  rapidjson::Document item;
  item.Parse(R"({"id":"t_2024-01-01","currentScore":5,"maxScore":0})");
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::secure_score, item)) << n.error;
  ASSERT_EQ(n.batch.size(), 1u);
  EXPECT_EQ(number_attribute(n.batch[0], "percentage"), 0.0);
  EXPECT_EQ(n.batch[0].time_ms, kNoTime);
}

TEST(ControlProfile, MapsEveryProperty) {
  const Fixture fixture("control_profiles_list.json");
  ASSERT_EQ(fixture.size(), 3u);
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::control_profile, fixture.item(0))) << n.error;
  ASSERT_EQ(n.batch.size(), 1u);
  const Event& e = n.batch[0];
  EXPECT_EQ(e.kind, EventKind::control_profile);
  EXPECT_EQ(e.payload_kind, "control-profile");
  EXPECT_EQ(e.id, "OneAdmin");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.title, "Designate more than one global admin");
  EXPECT_EQ(e.category, "Identity");
  EXPECT_EQ(e.time_ms, ms("2023-02-01T00:00:00Z"));
  EXPECT_EQ(e.updated_ms, e.time_ms);
  EXPECT_EQ(e.url, "https://portal.office.com/AdminPortal/Home#/users");
  EXPECT_EQ(e.remediation, "<p>You should designate more than one global admin.</p>");
  EXPECT_EQ(e.product, "SecureScore");
  EXPECT_THAT(
      attribute_keys(e),
      ElementsAre("max_score", "tier", "rank", "service", "action_type", "action_url",
                  "user_impact", "implementation_cost", "threats", "deprecated", "remediation",
                  "remediation_impact", "compliance_information", "control_state_updates"));
  EXPECT_EQ(number_attribute(e, "max_score"), 1.0);
  EXPECT_EQ(attribute_text(e, "tier"), "s:Core");
  EXPECT_EQ(attribute_text(e, "rank"), "i:22");
  EXPECT_EQ(attribute_text(e, "service"), "s:AzureAD");
  EXPECT_EQ(attribute_text(e, "action_type"), "s:Config");
  EXPECT_EQ(attribute_text(e, "action_url"), "s:https://portal.office.com/AdminPortal/Home#/users");
  EXPECT_EQ(attribute_text(e, "user_impact"), "s:Low");
  EXPECT_EQ(attribute_text(e, "implementation_cost"), "s:Low");
  EXPECT_EQ(attribute_text(e, "threats"), R"(j:["Account Breach","Elevation of Privilege"])");
  EXPECT_EQ(attribute_text(e, "deprecated"), "b:false");
  EXPECT_EQ(attribute_text(e, "remediation"),
            "s:<p>You should designate more than one global admin.</p>");
  EXPECT_EQ(attribute_text(e, "remediation_impact"),
            "s:Global admins have access to all features.");
  EXPECT_EQ(
      attribute_text(e, "compliance_information"),
      R"(j:[{"certificationName":"NIST 800-53","certificationControls":[{"name":"AC-2","url":null}]}])");
  EXPECT_TRUE(attribute_text(e, "control_state_updates")
                  .starts_with(R"(j:[{"assignedTo":null,"comment":"Tracked in CHG-1001",)"));
}

TEST(ControlProfile, SparseDeprecatedProfile) {
  const Fixture fixture("control_profiles_list.json");
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::control_profile, fixture.item(2))) << n.error;
  const Event& e = n.batch[0];
  EXPECT_EQ(e.id, "mdo_legacyPolicy");
  EXPECT_EQ(e.url, "");
  EXPECT_EQ(e.time_ms, kNoTime);
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("max_score", "tier", "rank", "service", "action_type", "deprecated"));
  EXPECT_EQ(attribute_text(e, "deprecated"), "b:true");
  EXPECT_EQ(number_attribute(e, "max_score"), 0.0);
}

}  // namespace
}  // namespace secfeed
