// Defender for Cloud alerts: the flat export form and the ARM REST form, entity
// resolution through $id/$ref, and alert-specific value handling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "connector/core/time.hpp"
#include "tests/unit/defender_fixture.hpp"

namespace secfeed {
namespace {

using secfeed::testing::DefenderFixture;
using secfeed::testing::NormalizedRecord;
using secfeed::testing::string_attribute;
using ::testing::ElementsAre;

constexpr std::string_view kSub = "8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b";
constexpr std::string_view kTenant = "3b2d7c9e-0f4a-4b6c-8d1e-5f7a9b0c2d4e";
constexpr std::string_view kWebVm =
    "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-prod-web/providers/"
    "Microsoft.Compute/virtualMachines/web-vm-01";

std::int64_t ms(std::string_view iso) {
  return parse_iso8601_ms(iso).value_or(-1);
}

class FlatAlerts : public ::testing::Test {
 protected:
  DefenderFixture fixture{"alerts_flat.json"};
  const Event& alert(std::size_t i) { return fixture.events()[i]; }
};

TEST_F(FlatAlerts, EveryItemIsAcceptedAsOneAlert) {
  ASSERT_EQ(fixture.results().size(), 3u);
  for (const auto& result : fixture.results()) {
    EXPECT_TRUE(result.ok) << result.position << ": " << result.error;
    EXPECT_EQ(result.events, 1u) << result.position;
  }
  ASSERT_EQ(fixture.events().size(), 3u);
}

TEST_F(FlatAlerts, MapsTheScalarFields) {
  const Event& e = alert(0);
  EXPECT_EQ(e.kind, EventKind::alert);
  EXPECT_EQ(e.payload_kind, "mdc_alert");
  EXPECT_EQ(e.source, "mdc-test");
  EXPECT_EQ(e.id, "2517254871234567890_4d3c2b1a-9e8f-4a7b-b6c5-d4e3f2a1b0c9");
  EXPECT_EQ(e.provider_id, e.id);
  EXPECT_EQ(e.title, "Suspicious command line execution detected");
  EXPECT_THAT(std::string(e.description), ::testing::StartsWith("Analysis of host data"));
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.severity_score, 8);
  EXPECT_EQ(e.status, "New");
  EXPECT_EQ(e.detector_id, "VM_SuspiciousCommandLineExecution");
  EXPECT_EQ(e.category, "VM_SuspiciousCommandLineExecution");
  EXPECT_EQ(e.vendor, "Microsoft");
  EXPECT_EQ(e.product, "Microsoft Defender for Cloud");
  EXPECT_EQ(e.created_ms, ms("2024-05-14T08:14:37.501Z"));
  EXPECT_EQ(e.time_ms, e.created_ms);
  EXPECT_EQ(e.updated_ms, ms("2024-05-14T08:14:38.001Z"));
  EXPECT_EQ(e.first_activity_ms, ms("2024-05-14T08:11:02.123Z"));
  EXPECT_EQ(e.last_activity_ms, ms("2024-05-14T08:11:05.987Z"));
  EXPECT_EQ(e.resource_id, kWebVm);
  EXPECT_EQ(e.subscription_id, kSub);
  EXPECT_EQ(e.tenant_id, kTenant);  // from the AzureResource identifier
  EXPECT_THAT(e.tactics, ElementsAre("Execution", "Persistence", "DefenseEvasion"));
  EXPECT_TRUE(e.techniques.empty());
  ASSERT_EQ(e.recommended_actions.size(), 3u);
  EXPECT_EQ(e.recommended_actions[1],
            "2. If the activity is malicious, isolate web-vm-01 and reset the credentials of "
            "svc-deploy.");
  EXPECT_THAT(std::string(e.url), ::testing::StartsWith("https://portal.azure.com/#blade/"));
}

TEST_F(FlatAlerts, MapsTheAttributesAndSkipsNullOnes) {
  const Event& e = alert(0);
  EXPECT_EQ(string_attribute(e, "compromised_entity"), "web-vm-01");
  EXPECT_EQ(string_attribute(e, "product_component"), "Servers");
  ASSERT_NE(e.find_attribute("is_incident"), nullptr);
  EXPECT_EQ(e.find_attribute("is_incident")->type, Attribute::Type::boolean);
  EXPECT_FALSE(e.find_attribute("is_incident")->boolean);
  // Null at the top level, then filled from the LogAnalytics resource identifier.
  EXPECT_EQ(string_attribute(e, "workspace_id"), "d6e2f7a1-3b4c-4d5e-9f0a-1b2c3d4e5f6a");
  EXPECT_EQ(string_attribute(e, "workspace_subscription_id"), kSub);
  EXPECT_EQ(string_attribute(e, "workspace_resource_group"), "rg-sec-logs");
  EXPECT_EQ(string_attribute(e, "agent_id"), "6b1f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(e.find_attribute("confidence_level"), nullptr);
  EXPECT_EQ(e.find_attribute("confidence_score"), nullptr);
  EXPECT_EQ(e.find_attribute("correlation_key"), nullptr);
  EXPECT_EQ(e.find_attribute("arm_id"), nullptr);
  ASSERT_NE(e.find_attribute("extended_links"), nullptr);
  EXPECT_EQ(e.find_attribute("extended_links")->type, Attribute::Type::json);
}

TEST_F(FlatAlerts, ExtendedPropertiesKeepJsonTextValuesAsGiven) {
  const Attribute* extended = alert(0).find_attribute("extended_properties");
  ASSERT_NE(extended, nullptr);
  EXPECT_EQ(extended->type, Attribute::Type::json);
  rapidjson::Document parsed;
  parsed.Parse(extended->text.data(), extended->text.size());
  ASSERT_FALSE(parsed.HasParseError());
  ASSERT_TRUE(parsed.IsObject());
  EXPECT_EQ(parsed.MemberCount(), 10u);
  const rapidjson::Value& reports = parsed["enrichment_tas_threat_reports"];
  ASSERT_TRUE(reports.IsString());  // still text, not decoded into an object
  EXPECT_EQ(std::string(reports.GetString()),
            "{\"Kind\":\"MultiLink\",\"DisplayValueToUrlDictionary\":{\"Report: Living off "
            "the land\":\"https://interflowwebportalext.trafficmanager.net/reports/"
            "DisplayReport?reportName=MSTI-TS-Living-Off-The-Land.pdf\"}}");
  EXPECT_EQ(std::string(parsed["User Name"].GetString()), "CONTOSO\\svc-deploy");
}

TEST_F(FlatAlerts, ResolvesEntityReferencesIntoOneEntityEach) {
  const std::vector<Entity>& entities = alert(0).entities;
  ASSERT_EQ(entities.size(), 7u);

  const Entity& host = entities[0];
  EXPECT_EQ(host.type, EntityType::host);
  EXPECT_EQ(host.name, "web-vm-01");
  EXPECT_EQ(host.id, kWebVm);
  EXPECT_EQ(host.os, "Windows");

  const Entity& user = entities[1];
  EXPECT_EQ(user.type, EntityType::user);
  EXPECT_EQ(user.name, "svc-deploy");
  EXPECT_EQ(user.domain, "CONTOSO");
  EXPECT_EQ(user.upn, "svc-deploy@contoso.com");
  EXPECT_EQ(user.sid, "S-1-5-21-3623811015-3361044348-30300820-1013");

  // The file folds in its inline SHA256 and the referenced top-level SHA1 entity,
  // which is then not emitted on its own.
  const Entity& file = entities[2];
  EXPECT_EQ(file.type, EntityType::file);
  EXPECT_EQ(file.name, "cmd.exe");
  EXPECT_EQ(file.path, "c:\\windows\\system32");
  EXPECT_EQ(file.sha256, "b99d114b267ffd068c3289199b6df95a9f9e64872d6c2b666d63974bbce75bf2");
  EXPECT_EQ(file.sha1, "ded8fd7f36417f66eb6ada10e0c0d7c0022986e9");
  EXPECT_EQ(file.md5, "");

  const Entity& process = entities[3];
  EXPECT_EQ(process.type, EntityType::process);
  EXPECT_EQ(process.id, "0x1a2c");
  EXPECT_THAT(std::string(process.command_line), ::testing::StartsWith("cmd.exe /c powershell"));
  EXPECT_EQ(process.name, "cmd.exe");  // ImageFile {"$ref":"6"}
  EXPECT_EQ(process.path, "c:\\windows\\system32");
  EXPECT_EQ(process.user, "svc-deploy");  // Account {"$ref":"5"}

  const Entity& ip = entities[4];
  EXPECT_EQ(ip.type, EntityType::ip);
  EXPECT_EQ(ip.address, "203.0.113.45");
  EXPECT_EQ(ip.country, "NL");

  // The azure-resource entity; the identical AzureResource identifier adds no second one.
  const Entity& resource = entities[5];
  EXPECT_EQ(resource.type, EntityType::resource);
  EXPECT_EQ(resource.id, kWebVm);
  EXPECT_EQ(resource.name, "web-vm-01");
  EXPECT_EQ(resource.subscription, kSub);

  const Entity& session = entities[6];
  EXPECT_EQ(session.type, EntityType::other);
  EXPECT_EQ(session.type_name, "host-logon-session");
}

TEST_F(FlatAlerts, ReportedSeverityJsonTextStepsAndCloudEntities) {
  const Event& e = alert(1);
  EXPECT_EQ(e.severity, Severity::medium);  // ReportedSeverity: no Severity key
  EXPECT_EQ(e.provider_id, "a4c1e9f0-5b2d-4c3e-9f8a-7b6c5d4e3f2a");  // VendorOriginalId
  EXPECT_EQ(e.product, "Azure Security Center");
  EXPECT_THAT(e.tactics, ElementsAre("Collection"));
  // RemediationSteps arrived as the JSON text of an array.
  EXPECT_THAT(e.recommended_actions,
              ElementsAre("Review the access policy of the container public-exports.",
                          "Disable anonymous blob access on stcontosodata if it is not "
                          "required."));
  EXPECT_EQ(string_attribute(e, "confidence_level"), "High");
  ASSERT_NE(e.find_attribute("confidence_score"), nullptr);
  EXPECT_DOUBLE_EQ(e.find_attribute("confidence_score")->number, 0.82);
  EXPECT_EQ(string_attribute(e, "correlation_key"),
            "Storage.Blob_AnonymousAccessAnomaly|stcontosodata|203.0.113.77");

  const std::vector<Entity>& entities = e.entities;
  ASSERT_EQ(entities.size(), 5u);  // {"$ref":"2"} repeats the resource: not duplicated
  EXPECT_EQ(entities[0].type, EntityType::resource);
  EXPECT_EQ(entities[0].name, "stcontosodata");
  EXPECT_EQ(entities[1].type, EntityType::ip);
  EXPECT_EQ(entities[1].country, "BR");
  EXPECT_EQ(entities[2].type, EntityType::url);
  EXPECT_EQ(entities[2].url,
            "https://stcontosodata.blob.core.windows.net/public-exports/customers.csv");
  EXPECT_EQ(entities[3].type, EntityType::cloud_app);
  EXPECT_EQ(entities[3].id, "11161");  // a number in the record
  EXPECT_EQ(entities[3].name, "Office 365 Exchange Online");
  EXPECT_EQ(entities[4].type, EntityType::other);
  EXPECT_EQ(entities[4].type_name, "malware");
  EXPECT_EQ(entities[4].name, "EICAR-Test-File");
}

TEST_F(FlatAlerts, IncidentWithoutResourceHasNoSubscription) {
  const Event& e = alert(2);
  EXPECT_EQ(e.severity, Severity::informational);
  EXPECT_EQ(e.severity_score, 1);
  EXPECT_EQ(e.status, "InProgress");
  ASSERT_NE(e.find_attribute("is_incident"), nullptr);
  EXPECT_TRUE(e.find_attribute("is_incident")->boolean);
  EXPECT_THAT(e.tactics,
              ElementsAre("InitialAccess", "Execution", "Persistence", "PrivilegeEscalation"));
  EXPECT_EQ(string_attribute(e, "workspace_id"), "d6e2f7a1-3b4c-4d5e-9f0a-1b2c3d4e5f6a");
  EXPECT_EQ(e.subscription_id, "");
  EXPECT_EQ(e.resource_id, "");
  EXPECT_EQ(e.tenant_id, "");

  const std::vector<Entity>& entities = e.entities;
  ASSERT_EQ(entities.size(), 5u);
  EXPECT_EQ(entities[0].type, EntityType::mailbox);
  EXPECT_EQ(entities[0].address, "alice@contoso.com");
  EXPECT_EQ(entities[0].display_name, "Alice Example");
  EXPECT_EQ(entities[1].type, EntityType::other);
  EXPECT_EQ(entities[1].type_name, "dns");
  EXPECT_EQ(entities[1].name, "login-contoso.example.net");
  EXPECT_EQ(entities[2].type, EntityType::ip);  // top-level $ref to a nested definition
  EXPECT_EQ(entities[2].address, "192.0.2.10");
  EXPECT_EQ(entities[3].type, EntityType::host);
  EXPECT_EQ(entities[3].id, "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
  EXPECT_EQ(entities[3].os, "Linux");
  EXPECT_EQ(entities[4].type, EntityType::user);
  EXPECT_EQ(entities[4].upn, "alice@contoso.com");
  EXPECT_EQ(entities[4].id, "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b");
}

TEST(ArmAlert, MapsTheRestFormLikeTheFlatOne) {
  DefenderFixture fixture("alert_arm.json");
  ASSERT_EQ(fixture.results().size(), 1u);
  ASSERT_TRUE(fixture.results()[0].ok) << fixture.results()[0].error;
  const Event& e = fixture.events()[0];
  EXPECT_EQ(e.kind, EventKind::alert);
  EXPECT_EQ(e.payload_kind, "mdc_alert_arm");
  EXPECT_EQ(e.id, "2517238512345678901_7c1e5a9b-3d2f-4e8a-b1c6-9d0e2f4a6b8c");
  EXPECT_EQ(string_attribute(e, "arm_id"),
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-secrets/"
            "providers/Microsoft.Security/locations/westeurope/alerts/"
            "2517238512345678901_7c1e5a9b-3d2f-4e8a-b1c6-9d0e2f4a6b8c");
  EXPECT_EQ(e.title, "Unusual volume of operations in a key vault");
  EXPECT_EQ(e.severity, Severity::medium);
  EXPECT_EQ(e.status, "Active");
  EXPECT_EQ(e.detector_id, "KV_AccountVolumeAnomaly");
  EXPECT_EQ(e.time_ms, ms("2024-05-14T11:20:45.123Z"));
  EXPECT_EQ(e.updated_ms, ms("2024-05-14T11:20:47.500Z"));
  EXPECT_EQ(e.first_activity_ms, ms("2024-05-14T10:00:00Z"));
  EXPECT_EQ(e.last_activity_ms, ms("2024-05-14T11:00:00Z"));
  EXPECT_THAT(e.tactics, ElementsAre("CredentialAccess"));
  EXPECT_THAT(e.techniques, ElementsAre("T1555", "T1555.006"));
  EXPECT_EQ(e.recommended_actions.size(), 2u);
  EXPECT_EQ(e.resource_id,
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-secrets/"
            "providers/Microsoft.KeyVault/vaults/kv-prod-secrets");
  EXPECT_EQ(e.subscription_id, kSub);
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(string_attribute(e, "compromised_entity"), "kv-prod-secrets");
  EXPECT_EQ(string_attribute(e, "product_component"), "KeyVaults");
  EXPECT_EQ(string_attribute(e, "workspace_resource_group"), "rg-sec-logs");
  ASSERT_NE(e.find_attribute("extended_properties"), nullptr);

  ASSERT_EQ(e.entities.size(), 3u);
  EXPECT_EQ(e.entities[0].type, EntityType::resource);
  EXPECT_EQ(e.entities[0].name, "kv-prod-secrets");
  EXPECT_EQ(e.entities[1].type, EntityType::ip);
  EXPECT_EQ(e.entities[1].country, "US");
  EXPECT_EQ(e.entities[2].type, EntityType::user);
  EXPECT_EQ(e.entities[2].upn, "app-deployer@contoso.onmicrosoft.com");
  EXPECT_EQ(e.entities[2].id, "5d4c3b2a-1908-4f7e-6d5c-4b3a29180f7e");
}

TEST(ArmAlert, FallsBackToTheNameAndIsRecognisedWithoutAType) {
  NormalizedRecord n(R"({"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Security/)"
                     R"(locations/eastus/alerts/a1","name":"a1","properties":{"alertType":"X",)"
                     R"("alertDisplayName":"T","severity":"Low"}})");
  ASSERT_TRUE(n.ok) << n.error;
  ASSERT_EQ(n.batch.size(), 1u);
  EXPECT_EQ(n.batch[0].payload_kind, "mdc_alert_arm");
  EXPECT_EQ(n.batch[0].id, "a1");
  EXPECT_EQ(n.batch[0].provider_id, "a1");
  EXPECT_EQ(n.batch[0].subscription_id, "s1");
  EXPECT_EQ(n.batch[0].severity, Severity::low);
}

TEST(FlatAlert, RemediationStepsThatAreNotJsonAreOneStep) {
  NormalizedRecord n(R"({"SystemAlertId":"a","RemediationSteps":"  Reset the password.  "})");
  ASSERT_TRUE(n.ok) << n.error;
  EXPECT_THAT(n.batch[0].recommended_actions, ElementsAre("Reset the password."));
}

TEST(FlatAlert, KeysMatchCaseInsensitively) {
  NormalizedRecord n(R"({"systemalertid":"a","ALERTDISPLAYNAME":"T","severity":"HIGH",)"
                     R"("intent":"Execution","azureresourceid":"/SUBSCRIPTIONS/s9/x"})");
  ASSERT_TRUE(n.ok) << n.error;
  EXPECT_EQ(n.batch[0].payload_kind, "mdc_alert");
  EXPECT_EQ(n.batch[0].title, "T");
  EXPECT_EQ(n.batch[0].severity, Severity::high);
  EXPECT_EQ(n.batch[0].subscription_id, "s9");
  EXPECT_THAT(n.batch[0].tactics, ElementsAre("Execution"));
}

TEST(FlatAlert, HandlesMegabyteStrings) {
  const std::string big(1 << 20, 'x');
  const std::string json =
      R"({"SystemAlertId":"big","Description":")" + big + R"(","ExtendedProperties":{"blob":")" +
      big + R"("},"Entities":[{"$id":"1","CommandLine":")" + big + R"(","Type":"process"}]})";
  NormalizedRecord n(json);
  ASSERT_TRUE(n.ok) << n.error;
  EXPECT_EQ(n.batch[0].description.size(), big.size());
  ASSERT_NE(n.batch[0].find_attribute("extended_properties"), nullptr);
  EXPECT_EQ(n.batch[0].find_attribute("extended_properties")->text.size(), big.size() + 11);
  ASSERT_EQ(n.batch[0].entities.size(), 1u);
  EXPECT_EQ(n.batch[0].entities[0].command_line.size(), big.size());
}

}  // namespace
}  // namespace secfeed
