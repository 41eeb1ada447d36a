// alerts_v2 normalization against tests/fixtures/graph/alerts_v2_list.json: exact
// fields, every evidence kind, the unknown-kind fallback.
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

class GraphAlertTest : public ::testing::Test {
 protected:
  const Event& normalize(std::size_t index) {
    EXPECT_TRUE(normalized_.run(PayloadKind::graph_alert, fixture_.item(index)))
        << normalized_.error;
    EXPECT_EQ(normalized_.batch.size(), 1u);
    return normalized_.batch[0];
  }

  Fixture fixture_{"alerts_v2_list.json"};
  Normalized normalized_;
};

TEST_F(GraphAlertTest, FixtureHasFiveAlerts) {
  ASSERT_EQ(fixture_.size(), 5u);
}

TEST_F(GraphAlertTest, MapsEveryDocumentedPropertyOfAnEndpointAlert) {
  const Event& e = normalize(0);
  EXPECT_EQ(e.kind, EventKind::alert);
  EXPECT_EQ(e.payload_kind, "graph-alert");
  EXPECT_EQ(e.source, "graph-test");
  EXPECT_EQ(e.id, "da637551227677560813_-961444813");
  EXPECT_EQ(e.provider_id, "da637551227677560813_-961444813");
  EXPECT_EQ(e.incident_id, "28282");
  EXPECT_EQ(e.detector_id, "e0da400f-affd-43ef-b1d5-afc2eb6f2756");
  EXPECT_EQ(e.tenant_id, kTenant);  // the payload's tenant wins over the fallback
  EXPECT_EQ(e.tenant_name, "Contoso");
  EXPECT_EQ(e.title, "Suspicious execution of hidden file");
  EXPECT_TRUE(e.description.starts_with("A hidden file has been launched."));
  ASSERT_EQ(e.recommended_actions.size(), 1u);
  EXPECT_TRUE(e.recommended_actions[0].starts_with("Collect artifacts and determine scope\n"));
  EXPECT_EQ(e.category, "DefenseEvasion");
  EXPECT_THAT(e.tactics, ElementsAre("DefenseEvasion"));
  EXPECT_THAT(e.techniques, ElementsAre("T1564.001"));
  EXPECT_THAT(e.tags, ElementsAre("Defender Experts"));
  EXPECT_EQ(e.assigned_to, "");
  EXPECT_EQ(e.url,
            "https://security.microsoft.com/alerts/"
            "da637551227677560813_-961444813?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c");
  EXPECT_EQ(e.created_ms, ms("2021-04-27T12:19:27.721Z"));
  EXPECT_EQ(e.updated_ms, ms("2021-05-02T14:19:01.326Z"));
  EXPECT_EQ(e.time_ms, e.updated_ms);
  EXPECT_EQ(e.resolved_ms, kNoTime);
  EXPECT_EQ(e.first_activity_ms, ms("2021-04-26T07:45:50.116Z"));
  EXPECT_EQ(e.last_activity_ms, ms("2021-05-02T07:56:58.222Z"));
  EXPECT_EQ(e.status, "new");
  EXPECT_EQ(e.severity, Severity::low);
  EXPECT_EQ(e.severity_score, 3);
  EXPECT_EQ(e.classification, "unknown");
  EXPECT_EQ(e.determination, "unknown");
  EXPECT_EQ(e.service_source, "microsoftDefenderForEndpoint");
  EXPECT_EQ(e.detection_source, "antivirus");
  EXPECT_EQ(e.product, "Microsoft Defender for Endpoint");
  EXPECT_EQ(e.vendor, "Microsoft");
  EXPECT_EQ(e.raw_value, &fixture_.item(0));
  // Null actor/threat names add nothing; an empty comments[] still counts.
  EXPECT_THAT(attribute_keys(e), ElementsAre("incident_url", "comment_count"));
  EXPECT_EQ(attribute_text(e, "incident_url"),
            "s:https://security.microsoft.com/incidents/"
            "28282?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:0");
}

TEST_F(GraphAlertTest, EndpointEvidenceBecomesHostUserProcessFileRegistryIpUrl) {
  const Event& e = normalize(0);
  EXPECT_THAT(
      describe_entities(e),
      ElementsAre(
          "host name=tempDns id=73e7e2de709dff64ef64b1d0c30e67fab63279db address=1.1.1.1 "
          "os=Windows10 verdict=unknown remediation_status=none",
          "user name=MyUser domain=MyDomain role=loggedOnUser",
          "process name=MsSense.exe id=4780 path=C:\\Program Files\\Windows Defender Advanced "
          "Threat Protection command_line=\"MsSense.exe\" user=SYSTEM role=attacker "
          "verdict=suspicious remediation_status=none",
          "file name=MsSense.exe path=C:\\Program Files\\Windows Defender Advanced Threat "
          "Protection sha1=5f1f6f1f7f8f9f0a1b2c3d4e5f6a7b8c9d0e1f2a "
          "sha256=8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec "
          "size=6136392 role=attacker verdict=suspicious remediation_status=none",
          "file name=hidden.ps1 path=C:\\Users\\MyUser\\AppData\\Local\\Temp "
          "sha1=1cd0a1b2c3d4e5f60718293a4b5c6d7e8f901234 "
          "sha256=ad4b0c6cd0e3a2d4b6c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c "
          "md5=7c1f3a9f0e5d4b2a6c8e0f1a2b3c4d5e size=1024 role=payload,attacker "
          "verdict=malicious remediation_status=remediated",
          "user name=MyUser id=2b5d0d3e-4f2a-4e8b-9c1d-7e6f5a4b3c2d domain=MyDomain "
          "upn=myuser@contoso.com sid=S-1-5-21-1234567890-1234567890-1234567890-1001 "
          "display_name=My User role=compromised verdict=unknown remediation_status=none",
          "other type_name=#microsoft.graph.security.registryKeyEvidence "
          "name=SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run "
          "path=HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run "
          "verdict=suspicious remediation_status=none",
          "other type_name=#microsoft.graph.security.registryValueEvidence name=Updater "
          "path=HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run "
          "role=persistence verdict=suspicious remediation_status=none",
          "ip address=203.0.113.17 country=NL role=destination verdict=malicious "
          "remediation_status=none",
          "url url=http://malicious.example.net/payload.ps1 verdict=malicious "
          "remediation_status=none"));
}

TEST_F(GraphAlertTest, PascalCaseEnumsAndOfficeEvidence) {
  const Event& e = normalize(1);
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.severity_score, 8);
  EXPECT_EQ(e.status, "InProgress");
  EXPECT_EQ(e.classification, "TruePositive");
  EXPECT_EQ(e.determination, "Phishing");
  EXPECT_EQ(e.service_source, "MicrosoftDefenderForOffice365");
  EXPECT_EQ(e.product, "Microsoft Defender for Office 365");
  EXPECT_EQ(e.assigned_to, "secops@contoso.com");
  EXPECT_THAT(e.recommended_actions, IsEmpty());  // "" is no action
  EXPECT_THAT(e.tactics, ElementsAre("InitialAccess"));
  EXPECT_THAT(e.techniques, ElementsAre("T1566.002", "T1204.001"));
  EXPECT_THAT(e.tags, IsEmpty());
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("incident_url", "actor_display_name", "threat_display_name",
                          "threat_family_name", "comment_count"));
  EXPECT_EQ(attribute_text(e, "actor_display_name"), "s:Storm-0123");
  EXPECT_EQ(attribute_text(e, "threat_display_name"), "s:Phish");
  EXPECT_EQ(attribute_text(e, "threat_family_name"), "s:CredentialPhish");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:2");
  EXPECT_THAT(
      describe_entities(e),
      ElementsAre(
          "mailbox upn=AdeleV@contoso.com display_name=Adele Vance address=adelev@contoso.com "
          "role=Victim verdict=Unknown remediation_status=None",
          "other type_name=#microsoft.graph.security.analyzedMessageEvidence "
          "name=Your password expires today id=0e4c2b1a-9f8e-4d7c-6b5a-4f3e2d1c0b9a "
          "verdict=Malicious remediation_status=Remediated",
          "mailbox display_name=IT Support address=it-support@contoso-support.example "
          "role=sender",
          "ip address=198.51.100.23 role=sender",
          "mailbox address=adelev@contoso.com role=recipient",
          "other type_name=#microsoft.graph.security.mailClusterEvidence "
          "name=https://login.contoso-support.example/reset "
          "id=https://protection.office.com/viewmailcluster/urn:MailCluster:4c1e "
          "verdict=Malicious remediation_status=Remediated",
          "url url=https://login.contoso-support.example/reset verdict=Malicious "
          "remediation_status=None"));
}

TEST_F(GraphAlertTest, UnknownFutureValueEnumsAndProductNameWins) {
  const Event& e = normalize(2);
  EXPECT_EQ(e.severity, Severity::unknown);
  EXPECT_EQ(e.severity_score, 0);
  EXPECT_EQ(e.status, "unknownFutureValue");
  EXPECT_EQ(e.classification, "unknownFutureValue");
  EXPECT_EQ(e.service_source, "microsoftAppGovernance");
  EXPECT_EQ(e.product, "Microsoft Defender for Cloud Apps");
  EXPECT_THAT(e.recommended_actions, ElementsAre("Disable the app and review its permissions."));
  EXPECT_EQ(e.resolved_ms, ms("2024-02-11T10:00:00Z"));
  EXPECT_EQ(e.time_ms, ms("2024-02-11T10:00:00Z"));  // 7 fraction digits truncated
  EXPECT_THAT(e.tactics, ElementsAre("CredentialAccess"));
  EXPECT_THAT(e.tags, ElementsAre("Credential Theft", "Cloud"));
  EXPECT_THAT(describe_entities(e),
              ElementsAre("cloud_app name=Office 365 id=11161 role=contextual verdict=suspicious "
                          "remediation_status=none",
                          "cloud_app name=Mail Sync Helper id=e4f3a2b1-c0d9-4e8f-a7b6-c5d4e3f2a1b0 "
                          "role=attacker verdict=malicious remediation_status=prevented",
                          "other type_name=#microsoft.graph.security.securityGroupEvidence "
                          "name=Finance Admins id=4a3b2c1d-0e9f-4876-a5b4-c3d2e1f0a9b8 "
                          "verdict=unknown remediation_status=none"));
}

TEST_F(GraphAlertTest, CloudAlertCategoriesCustomDetailsAndUnknownEvidenceKind) {
  const Event& e = normalize(3);
  EXPECT_EQ(e.severity, Severity::medium);  // "MEDIUM"
  EXPECT_EQ(e.category, "PrivilegeEscalation");
  // category first, then the tactic-valued categories[] (deduplicated).
  EXPECT_THAT(e.tactics, ElementsAre("PrivilegeEscalation", "Execution"));
  EXPECT_EQ(e.product, "Microsoft Defender for Cloud");
  EXPECT_THAT(attribute_keys(e),
              ElementsAre("incident_url", "categories", "alert_policy_id", "investigation_state",
                          "comment_count", "custom_details", "additional_data"));
  EXPECT_EQ(attribute_text(e, "categories"),
            R"(j:["PrivilegeEscalation","Execution","Misconfiguration"])");
  EXPECT_EQ(attribute_text(e, "alert_policy_id"), "s:policy-k8s-privileged");
  EXPECT_EQ(attribute_text(e, "investigation_state"), "s:terminatedBySystem");
  EXPECT_EQ(attribute_text(e, "comment_count"), "i:1");
  EXPECT_EQ(attribute_text(e, "custom_details"),
            R"(j:{"ClusterVersion":["1.28.3"],"Team":["platform"]})");
  EXPECT_EQ(attribute_text(e, "additional_data"),
            R"(j:{"ResourceGroup":"rg-aks-prod","IsPreview":false})");
  EXPECT_THAT(
      describe_entities(e),
      ElementsAre(
          "resource type_name=Kubernetes service name=aks-prod-01 "
          "id=/subscriptions/8700d3a3-3bb7-4fbe-a090-488a1ad04161/resourceGroups/rg-aks-prod/"
          "providers/Microsoft.ContainerService/managedClusters/aks-prod-01 "
          "subscription=8700d3a3-3bb7-4fbe-a090-488a1ad04161 role=contextual verdict=suspicious "
          "remediation_status=notFound",
          "other type_name=#microsoft.graph.security.kubernetesClusterEvidence name=aks-prod-01 "
          "verdict=unknown remediation_status=none",
          "other type_name=#microsoft.graph.security.kubernetesPodEvidence name=debug-shell-7d9f "
          "role=attacker verdict=suspicious remediation_status=none",
          // Unknown kind: base fields plus the name it happens to have.
          "other type_name=#microsoft.graph.security.quantumWidgetEvidence name=Widget 42 "
          "role=attacker,contextual verdict=malicious remediation_status=blocked"));
}

TEST_F(GraphAlertTest, MinimalAlertFallsBackToCreatedTimeAndPassesUnknownSourceThrough) {
  const Event& e = normalize(4);
  EXPECT_EQ(e.severity, Severity::informational);
  EXPECT_EQ(e.severity_score, 1);
  EXPECT_EQ(e.product, "microsoftQuantumDefender");
  EXPECT_EQ(e.updated_ms, kNoTime);
  EXPECT_EQ(e.time_ms, ms("2024-07-01T00:00:00Z"));
  EXPECT_EQ(e.category, "Malware");
  EXPECT_THAT(e.tactics, IsEmpty());  // Malware is no ATT&CK tactic
  EXPECT_THAT(e.attributes, IsEmpty());
  EXPECT_THAT(e.entities, IsEmpty());
}

TEST(GraphAlertEvidence, EvidenceWithoutTypeOrUnknownShapeIsAnOtherEntityNotARejection) {
  rapidjson::Document item;
  item.Parse(R"({"id":"x","evidence":[
      {"verdict":"malicious","roles":["attacker"],"remediationStatus":"active"},
      {"@odata.type":"#microsoft.graph.security.someNewEvidence","name":7,"displayName":"n"},
      {"@odata.type":"#microsoft.graph.security.dnsEvidence","domainName":"evil.example"}]})");
  Normalized normalized;
  ASSERT_TRUE(normalized.run(PayloadKind::graph_alert, item)) << normalized.error;
  EXPECT_THAT(describe_entities(normalized.batch[0]),
              ElementsAre("other role=attacker verdict=malicious remediation_status=active",
                          "other type_name=#microsoft.graph.security.someNewEvidence name=n",
                          "other type_name=#microsoft.graph.security.dnsEvidence "
                          "name=evil.example"));
}

TEST(GraphAlertEvidence, RecommendedActionsArrayAndStringAppIdAreAccepted) {
  rapidjson::Document item;
  item.Parse(R"({"id":"x","recommendedActions":["a","b"],"evidence":[
      {"@odata.type":"#microsoft.graph.security.cloudApplicationEvidence","appId":"11161"},
      {"@odata.type":"#microsoft.graph.security.processEvidence","processId":"42",
       "imageFile":{"filePath":"C:\\x"}}]})");
  Normalized normalized;
  ASSERT_TRUE(normalized.run(PayloadKind::graph_alert, item)) << normalized.error;
  EXPECT_THAT(normalized.batch[0].recommended_actions, ElementsAre("a", "b"));
  EXPECT_THAT(describe_entities(normalized.batch[0]),
              ElementsAre("cloud_app id=11161", "process id=42 path=C:\\x", "file path=C:\\x"));
}

}  // namespace
}  // namespace secfeed
