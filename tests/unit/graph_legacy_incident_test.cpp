// Legacy /security/alerts and /security/incidents normalization against
// tests/fixtures/graph/{legacy_alerts,incidents}_list.json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/graph_fixture_support.hpp"

namespace secfeed {
namespace {

using testing::attribute_keys;
using testing::attribute_text;
using testing::describe_entities;
using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::IsEmpty;
using testing::ms;
using testing::Normalized;

constexpr std::string_view kTenant = "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c";

TEST(GraphLegacyAlert, MapsV1FieldsOntoTheV2Model) {
  const Fixture fixture("legacy_alerts_list.json");
  ASSERT_EQ(fixture.size(), 2u);
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::graph_legacy_alert, fixture.item(0))) << n.error;
  ASSERT_EQ(n.batch.size(), 1u);
  const Event& e = n.batch[0];
  EXPECT_EQ(e.kind, EventKind::alert);
  EXPECT_EQ(e.payload_kind, "graph-legacy-alert");
  EXPECT_EQ(e.id, "2517534829847932123_3cbd6bb4-5f2e-4a1d-8c3b-6a9f0e1d2c3b");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.subscription_id, "8700d3a3-3bb7-4fbe-a090-488a1ad04161");
  EXPECT_EQ(e.title, "Communication with a C2 server");
  EXPECT_EQ(e.description, "A process communicated with a known command-and-control server.");
  EXPECT_EQ(e.category, "CommandAndControl");
  EXPECT_THAT(e.tactics, ElementsAre("CommandAndControl"));
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.status, "resolved");
  EXPECT_EQ(e.assigned_to, "secops@contoso.com");
  EXPECT_EQ(e.classification, "truePositive");  // feedback
  EXPECT_EQ(e.created_ms, ms("2023-03-01T09:00:00.123Z"));
  EXPECT_EQ(e.first_activity_ms, ms("2023-03-01T08:55:12Z"));
  EXPECT_EQ(e.last_activity_ms, ms("2023-03-01T08:58:40Z"));
  EXPECT_EQ(e.updated_ms, ms("2023-03-02T10:15:30.5Z"));
  EXPECT_EQ(e.resolved_ms, ms("2023-03-02T10:15:00Z"));
  EXPECT_EQ(e.time_ms, e.updated_ms);
  EXPECT_THAT(e.recommended_actions,
              ElementsAre("Isolate the device", "Run a full antivirus scan"));
  EXPECT_THAT(e.tags, ElementsAre("Production"));
  EXPECT_EQ(e.product, "Microsoft Defender ATP");
  EXPECT_EQ(e.service_source, "Microsoft Defender ATP");
  EXPECT_EQ(e.vendor, "Microsoft");
  EXPECT_EQ(e.product_version, "2.0");
  EXPECT_EQ(e.incident_id, "9121");
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("sub_provider", "incident_ids", "confidence", "risk_score",
                          "detection_ids", "source_materials", "comment_count"));
  EXPECT_EQ(attribute_text(e, "sub_provider"), "s:MDATP");
  EXPECT_EQ(attribute_text(e, "incident_ids"), R"(j:["9121","9125"])");
  EXPECT_EQ(attribute_text(e, "confidence"), "i:80");
  EXPECT_EQ(attribute_text(e, "risk_score"), "s:70");
  EXPECT_EQ(attribute_text(e, "detection_ids"), R"(j:["4fd8c5e1-0b3a-4a6c-9f8e-7d6c5b4a3f2e"])");
  EXPECT_EQ(attribute_text(e, "source_materials"),
            R"(j:["https://securitycenter.microsoft.com/alert/2517534829847932123"])");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:1");
  EXPECT_THAT(
      describe_entities(e),
      ElementsAre(
          "user name=myuser id=2b5d0d3e-4f2a-4e8b-9c1d-7e6f5a4b3c2d domain=CONTOSO "
          "upn=myuser@contoso.com sid=S-1-5-21-1234567890-1234567890-1234567890-1001",
          "host name=ws-042.contoso.local address=10.0.0.4 os=Windows 10",
          "file name=beacon.dll path=C:\\ProgramData\\beacon.dll "
          "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "ip address=10.0.0.4 role=source", "ip address=198.51.100.77 role=destination",
          "url url=https://c2.example.org/beacon role=destination",
          "process name=rundll32.exe id=7340 path=C:\\Windows\\System32\\rundll32.exe "
          "command_line=rundll32.exe C:\\ProgramData\\beacon.dll,Start user=CONTOSO\\myuser",
          "file name=rundll32.exe path=C:\\Windows\\System32\\rundll32.exe "
          "sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709"));
}

TEST(GraphLegacyAlert, KeepsV1StatusAndFallsBackToCreatedTime) {
  const Fixture fixture("legacy_alerts_list.json");
  Normalized n;
  ASSERT_TRUE(n.run(PayloadKind::graph_legacy_alert, fixture.item(1))) << n.error;
  const Event& e = n.batch[0];
  EXPECT_EQ(e.status, "newAlert");
  EXPECT_EQ(e.severity, Severity::medium);
  EXPECT_EQ(e.product, "IPC");
  EXPECT_EQ(e.product_version, "");
  EXPECT_EQ(e.updated_ms, kNoTime);
  EXPECT_EQ(e.time_ms, ms("2023-03-05T14:00:00Z"));
  EXPECT_EQ(e.first_activity_ms, ms("2023-03-05T13:40:00Z"));
  EXPECT_THAT(e.tactics, IsEmpty());
  EXPECT_THAT(e.recommended_actions, IsEmpty());
  EXPECT_THAT(e.attributes, IsEmpty());
  EXPECT_THAT(describe_entities(e), ElementsAre("user name=adelev upn=AdeleV@contoso.com"));
}

class GraphIncidentTest : public ::testing::Test {
 protected:
  const Event& normalize(std::size_t index) {
    EXPECT_TRUE(normalized_.run(PayloadKind::graph_incident, fixture_.item(index)))
        << normalized_.error;
    EXPECT_EQ(normalized_.batch.size(), 1u);
    return normalized_.batch[0];
  }
  Fixture fixture_{"incidents_list.json"};
  Normalized normalized_;
};

TEST_F(GraphIncidentTest, MapsAnActiveIncident) {
  ASSERT_EQ(fixture_.size(), 3u);
  const Event& e = normalize(0);
  EXPECT_EQ(e.kind, EventKind::incident);
  EXPECT_EQ(e.payload_kind, "graph-incident");
  EXPECT_EQ(e.id, "29");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.title,
            "Multi-stage incident involving Initial access & Command and control on one endpoint");
  EXPECT_EQ(e.description,
            "Multi-stage incident on ws-042 reported by Microsoft Defender for Endpoint.");
  EXPECT_EQ(e.url,
            "https://security.microsoft.com/incidents/29?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c");
  EXPECT_EQ(e.status, "active");
  EXPECT_EQ(e.severity, Severity::medium);
  EXPECT_EQ(e.severity_score, 5);
  EXPECT_EQ(e.assigned_to, "KaiC@contoso.onmicrosoft.com");
  EXPECT_EQ(e.classification, "TruePositive");
  EXPECT_EQ(e.determination, "MultiStagedAttack");
  EXPECT_EQ(e.created_ms, ms("2021-08-13T08:43:35.553Z"));
  EXPECT_EQ(e.updated_ms, ms("2021-09-30T09:35:45.113Z"));
  EXPECT_EQ(e.time_ms, e.updated_ms);
  EXPECT_THAT(e.tags, ElementsAre("Demo", "Ransomware"));  // customTags, then systemTags
  EXPECT_THAT(attribute_keys(e), ElementsAre("summary", "priority_score", "comment_count"));
  EXPECT_EQ(attribute_text(e, "summary"),
            "s:A user opened a phishing link and a beacon was launched on ws-042.");
  EXPECT_EQ(attribute_text(e, "priority_score"), "i:87");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:1");
}

TEST_F(GraphIncidentTest, RedirectedIncidentUsesSummaryAsDescription) {
  const Event& e = normalize(1);
  EXPECT_EQ(e.status, "redirected");
  EXPECT_EQ(e.severity, Severity::low);
  EXPECT_EQ(e.description, "Merged into incident 29.");
  EXPECT_EQ(e.updated_ms, kNoTime);
  EXPECT_EQ(e.time_ms, ms("2021-09-01T10:00:00Z"));
  EXPECT_THAT(e.tags, IsEmpty());
  EXPECT_THAT(attribute_keys(e), ElementsAre("summary", "redirect_incident_id", "comment_count"));
  EXPECT_EQ(attribute_text(e, "redirect_incident_id"), "s:29");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:0");
}

TEST_F(GraphIncidentTest, ExpandedAlertsAreCounted) {
  const Event& e = normalize(2);
  EXPECT_EQ(e.status, "awaitingAction");
  EXPECT_EQ(e.severity, Severity::unknown);
  EXPECT_EQ(e.description, "");
  EXPECT_THAT(attribute_keys(e), ElementsAre("alert_count"));
  EXPECT_EQ(attribute_text(e, "alert_count"), "i:2");
}

}  // namespace
}  // namespace secfeed
