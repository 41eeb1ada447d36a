// Defender for Cloud recommendations, findings, secure scores and compliance, plus
// classification, Event Hub bodies and detection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connector/core/time.hpp"
#include "tests/unit/defender_fixture.hpp"

namespace secfeed {
namespace {

using secfeed::testing::DefenderFixture;
using secfeed::testing::string_attribute;
using ::testing::ElementsAre;

constexpr std::string_view kSub = "8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b";
constexpr std::string_view kTenant = "3b2d7c9e-0f4a-4b6c-8d1e-5f7a9b0c2d4e";

std::int64_t ms(std::string_view iso) {
  return parse_iso8601_ms(iso).value_or(-1);
}

void expect_all_ok(const DefenderFixture& fixture, std::size_t items) {
  ASSERT_EQ(fixture.results().size(), items);
  for (const auto& result : fixture.results()) {
    EXPECT_TRUE(result.ok) << result.position << ": " << result.error;
    EXPECT_EQ(result.events, 1u) << result.position;
  }
}

bool boolean_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  EXPECT_NE(a, nullptr) << key;
  if (a == nullptr) return false;
  EXPECT_EQ(a->type, Attribute::Type::boolean) << key;
  return a->boolean;
}

std::int64_t integer_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  EXPECT_NE(a, nullptr) << key;
  if (a == nullptr) return -1;
  EXPECT_EQ(a->type, Attribute::Type::integer) << key;
  return a->integer;
}

double number_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  EXPECT_NE(a, nullptr) << key;
  if (a == nullptr) return -1;
  EXPECT_EQ(a->type, Attribute::Type::number) << key;
  return a->number;
}

std::string json_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  if (a == nullptr) return "<absent>";
  EXPECT_EQ(a->type, Attribute::Type::json) << key;
  return std::string(a->text);
}

// ---- recommendations

TEST(DefenderAssessment, HealthyRecommendationWithLowercaseEnrichment) {
  DefenderFixture fixture("assessments.json");
  expect_all_ok(fixture, 3);
  const Event& e = fixture.events()[0];
  EXPECT_EQ(e.kind, EventKind::recommendation);
  EXPECT_EQ(e.payload_kind, "mdc_recommendation");
  EXPECT_EQ(e.id,
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-prod-web/"
            "providers/Microsoft.Compute/virtualMachines/web-vm-01/providers/"
            "Microsoft.Security/assessments/d57a4221-a804-52ca-3dea-768284f06bb7");
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.subscription_id, kSub);
  EXPECT_EQ(e.title, "Endpoint protection should be installed on your machines");
  EXPECT_THAT(std::string(e.description), ::testing::StartsWith("To protect your machines"));
  EXPECT_EQ(e.status, "Healthy");
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.category, "Compute");
  EXPECT_THAT(e.tags, ElementsAre("Compute"));
  EXPECT_THAT(std::string(e.remediation), ::testing::StartsWith("Install Microsoft Defender"));
  EXPECT_EQ(e.updated_ms, ms("2024-05-10T06:30:12.400Z"));
  EXPECT_EQ(e.created_ms, ms("2023-11-02T14:07:55.900Z"));
  EXPECT_EQ(e.time_ms, e.updated_ms);
  EXPECT_EQ(e.product, "Microsoft Defender for Cloud");
  // The portal link has no scheme in the export.
  EXPECT_EQ(e.url,
            "https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/"
            "assessmentKey/d57a4221-a804-52ca-3dea-768284f06bb7");
  EXPECT_EQ(e.resource_id,
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-prod-web/"
            "providers/Microsoft.Compute/virtualMachines/web-vm-01");
  ASSERT_EQ(e.entities.size(), 1u);
  EXPECT_EQ(e.entities[0].type, EntityType::resource);
  EXPECT_EQ(e.entities[0].name, "web-vm-01");
  EXPECT_EQ(e.entities[0].type_name, "virtualMachines");
  EXPECT_EQ(e.entities[0].subscription, kSub);

  EXPECT_EQ(string_attribute(e, "assessment_key"), "d57a4221-a804-52ca-3dea-768284f06bb7");
  EXPECT_EQ(string_attribute(e, "resource_source"), "Azure");
  EXPECT_EQ(string_attribute(e, "user_impact"), "Low");
  EXPECT_EQ(string_attribute(e, "implementation_effort"), "Moderate");
  EXPECT_EQ(string_attribute(e, "assessment_type"), "BuiltIn");
  EXPECT_EQ(string_attribute(e, "policy_definition_id"),
            "/providers/Microsoft.Authorization/policyDefinitions/"
            "4fb67663-9ab9-475d-b026-8261e9cd6ed4");
  EXPECT_EQ(json_attribute(e, "categories"), R"(["Compute"])");
  EXPECT_EQ(json_attribute(e, "threats"),
            R"(["dataExfiltration","dataSpillage","maliciousInsider"])");
  EXPECT_EQ(json_attribute(e, "additional_data"),
            R"({"EndpointProtectionProduct":"Microsoft Defender for Endpoint"})");
  EXPECT_EQ(string_attribute(e, "action"), "Insert");
  EXPECT_FALSE(boolean_attribute(e, "is_snapshot"));
  EXPECT_EQ(e.find_attribute("status_cause"), nullptr);
}

TEST(DefenderAssessment, UnhealthyRecommendationWithPascalCaseEnrichment) {
  DefenderFixture fixture("assessments.json");
  const Event& e = fixture.events()[1];
  EXPECT_EQ(e.status, "Unhealthy");
  EXPECT_EQ(e.severity, Severity::medium);
  EXPECT_EQ(e.severity_score, 5);
  EXPECT_EQ(e.category, "Data");
  EXPECT_THAT(e.tags, ElementsAre("Data", "IdentityAndAccess"));
  EXPECT_EQ(string_attribute(e, "status_cause"), "OffByPolicy");
  EXPECT_EQ(string_attribute(e, "status_description"),
            "Anonymous public read access is enabled on the storage account");
  EXPECT_EQ(e.url,
            "https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/"
            "assessmentKey/ad5bbaeb-7632-5edf-f1c2-752075831ce8");
  // AssessmentEventDataEnrichment{Action, IsSnapshot}
  EXPECT_EQ(string_attribute(e, "action"), "Insert");
  EXPECT_TRUE(boolean_attribute(e, "is_snapshot"));
  ASSERT_EQ(e.entities.size(), 1u);
  EXPECT_EQ(e.entities[0].name, "stcontosodata");
  EXPECT_EQ(e.entities[0].type_name, "storageAccounts");
}

TEST(DefenderAssessment, NotApplicableAwsResourceUsesTheNativeId) {
  DefenderFixture fixture("assessments.json");
  const Event& e = fixture.events()[2];
  EXPECT_EQ(e.status, "NotApplicable");
  EXPECT_EQ(e.severity, Severity::low);
  EXPECT_EQ(e.resource_id, "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc123def4567890");
  EXPECT_EQ(e.subscription_id, kSub);  // from the assessment's own (connector) id
  EXPECT_EQ(string_attribute(e, "resource_source"), "Aws");
  EXPECT_EQ(string_attribute(e, "action"), "Delete");
  EXPECT_EQ(e.time_ms, ms("2024-05-01T00:00:00Z"));
  EXPECT_EQ(e.created_ms, kNoTime);
  EXPECT_EQ(e.url, "");
  EXPECT_EQ(json_attribute(e, "threats"), "[]");
  ASSERT_EQ(e.entities.size(), 1u);
  EXPECT_EQ(e.entities[0].name, "i-0abc123def4567890");
  EXPECT_EQ(e.entities[0].subscription, "");
}

// ---- findings

TEST(DefenderSubAssessment, DollarTypePascalCaseFinding) {
  DefenderFixture fixture("sub_assessments.json");
  expect_all_ok(fixture, 2);
  const Event& e = fixture.events()[0];
  EXPECT_EQ(e.kind, EventKind::finding);
  EXPECT_EQ(e.payload_kind, "mdc_finding");
  EXPECT_THAT(std::string(e.id),
              ::testing::EndsWith("/subAssessments/6a0d8b2e-4f1c-4d3a-9e5b-7c1f2a3b4d5e"));
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.subscription_id, kSub);
  EXPECT_EQ(e.title, "HTTP/2 Rapid Reset denial of service in nghttp2");
  EXPECT_EQ(e.status, "Unhealthy");
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.category, "Containers");
  EXPECT_EQ(e.remediation, "Upgrade nghttp2 to version 1.57.0 or later and rebuild the image.");
  EXPECT_THAT(std::string(e.description), ::testing::StartsWith("The HTTP/2 protocol"));
  EXPECT_EQ(e.time_ms, ms("2024-05-14T03:21:09.876Z"));
  EXPECT_EQ(e.resource_id,
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-containers/"
            "providers/Microsoft.ContainerRegistry/registries/crcontoso");
  ASSERT_EQ(e.entities.size(), 1u);
  EXPECT_EQ(e.entities[0].name, "crcontoso");
  EXPECT_EQ(string_attribute(e, "finding_id"), "CVE-2023-44487");
  EXPECT_EQ(string_attribute(e, "assessment_id"),
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/resourceGroups/rg-containers/"
            "providers/Microsoft.ContainerRegistry/registries/crcontoso/providers/"
            "Microsoft.Security/assessments/c0b7cfc6-3172-465a-b378-53c7ff2cc0d5");
  EXPECT_THAT(string_attribute(e, "impact"), ::testing::StartsWith("A remote attacker"));
  EXPECT_EQ(string_attribute(e, "assessed_resource_type"), "ContainerRegistryVulnerability");
  EXPECT_THAT(json_attribute(e, "additional_data"),
              ::testing::StartsWith(R"({"AssessedResourceType":"ContainerRegistryVulnerability",)"
                                    R"("Data":{"RepositoryName":"payments/api",)"));
  EXPECT_EQ(string_attribute(e, "status_description"), "Vulnerability found in image");
  EXPECT_EQ(e.find_attribute("status_cause"), nullptr);  // "" is absent
  EXPECT_EQ(string_attribute(e, "action"), "Insert");
  EXPECT_FALSE(boolean_attribute(e, "is_snapshot"));
}

TEST(DefenderSubAssessment, ArmTypeCamelCaseFinding) {
  DefenderFixture fixture("sub_assessments.json");
  const Event& e = fixture.events()[1];
  EXPECT_EQ(e.payload_kind, "mdc_finding");
  EXPECT_EQ(e.title, "Microsoft Windows Security Update for May 2024");
  EXPECT_EQ(e.severity, Severity::medium);
  EXPECT_EQ(e.category, "Windows");
  EXPECT_EQ(string_attribute(e, "finding_id"), "91238");
  EXPECT_EQ(string_attribute(e, "assessed_resource_type"), "ServerVulnerability");
  EXPECT_EQ(e.time_ms, ms("2024-05-14T05:00:00Z"));
  EXPECT_TRUE(boolean_attribute(e, "is_snapshot"));
  EXPECT_EQ(string_attribute(e, "interval"), "Weekly");
}

// ---- secure scores

TEST(DefenderSecureScore, OverallScore) {
  DefenderFixture fixture("secure_scores.json");
  expect_all_ok(fixture, 3);
  const Event& e = fixture.events()[0];
  EXPECT_EQ(e.kind, EventKind::secure_score);
  EXPECT_EQ(e.payload_kind, "mdc_secure_score");
  EXPECT_EQ(e.id,
            "/subscriptions/8f0e1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b/providers/Microsoft.Security/"
            "secureScores/ascScore");
  EXPECT_EQ(e.title, "ASC score");
  EXPECT_EQ(e.subscription_id, kSub);
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.severity, Severity::informational);
  EXPECT_EQ(e.time_ms, kNoTime);
  EXPECT_DOUBLE_EQ(number_attribute(e, "current_score"), 30.43);
  EXPECT_DOUBLE_EQ(number_attribute(e, "max_score"), 58);
  EXPECT_DOUBLE_EQ(number_attribute(e, "percentage"), 0.5247);
  EXPECT_EQ(integer_attribute(e, "weight"), 194);
  EXPECT_EQ(string_attribute(e, "interval"), "Realtime");
  EXPECT_EQ(e.find_attribute("control_id"), nullptr);
}

TEST(DefenderSecureScore, ControlScoreWithArmDefinition) {
  DefenderFixture fixture("secure_scores.json");
  const Event& e = fixture.events()[1];
  EXPECT_EQ(e.kind, EventKind::control_score);
  EXPECT_EQ(e.payload_kind, "mdc_secure_score_control");
  EXPECT_EQ(e.title, "Enable MFA");
  EXPECT_EQ(string_attribute(e, "control_id"), "ca5c4b0f-3d8e-4a2b-9e6f-7a1b2c3d4e5f");
  EXPECT_DOUBLE_EQ(number_attribute(e, "current_score"), 6.67);
  EXPECT_DOUBLE_EQ(number_attribute(e, "max_score"), 10);
  EXPECT_DOUBLE_EQ(number_attribute(e, "percentage"), 0.667);
  EXPECT_EQ(integer_attribute(e, "weight"), 3);
  EXPECT_EQ(integer_attribute(e, "healthy_resource_count"), 2);
  EXPECT_EQ(integer_attribute(e, "unhealthy_resource_count"), 1);
  EXPECT_EQ(integer_attribute(e, "not_applicable_resource_count"), 0);
  EXPECT_DOUBLE_EQ(number_attribute(e, "definition_max_score"), 10);
  EXPECT_EQ(json_attribute(e, "assessment_definitions"),
            R"([{"id":"/providers/Microsoft.Security/assessmentMetadata/)"
            R"(94290b00-4d0c-d7b4-7cea-064a9554e681"},{"id":"/providers/Microsoft.Security/)"
            R"(assessmentMetadata/57e98606-6b1e-6193-0e3d-fe621387c16b"}])");
}

TEST(DefenderSecureScore, PascalCaseControlWithFlatDefinition) {
  DefenderFixture fixture("secure_scores.json");
  const Event& e = fixture.events()[2];
  EXPECT_EQ(e.kind, EventKind::control_score);
  EXPECT_EQ(e.title, "Remediate vulnerabilities");
  EXPECT_EQ(e.tenant_id, "");
  EXPECT_EQ(string_attribute(e, "control_id"), "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b");
  EXPECT_DOUBLE_EQ(number_attribute(e, "current_score"), 4.2);
  EXPECT_EQ(integer_attribute(e, "healthy_resource_count"), 14);
  EXPECT_EQ(integer_attribute(e, "not_applicable_resource_count"), 2);
  EXPECT_DOUBLE_EQ(number_attribute(e, "definition_max_score"), 6);
  EXPECT_EQ(json_attribute(e, "assessment_definitions"),
            R"([{"Id":"/providers/Microsoft.Security/assessmentMetadata/)"
            R"(1195afff-c881-495e-9bc5-1486211ae03f"}])");
  EXPECT_TRUE(boolean_attribute(e, "is_snapshot"));
}

// ---- regulatory compliance

TEST(DefenderCompliance, FailedPassedAndSkippedAssessments) {
  DefenderFixture fixture("compliance.json");
  expect_all_ok(fixture, 3);
  const Event& failed = fixture.events()[0];
  EXPECT_EQ(failed.kind, EventKind::compliance);
  EXPECT_EQ(failed.payload_kind, "mdc_compliance");
  EXPECT_EQ(failed.status, "Failed");
  EXPECT_EQ(failed.severity, Severity::medium);
  EXPECT_EQ(failed.subscription_id, kSub);
  EXPECT_EQ(failed.title,
            "MFA should be enabled on accounts with owner permissions on your subscription");
  EXPECT_EQ(failed.description, failed.title);
  EXPECT_EQ(string_attribute(failed, "standard"), "Azure-CIS-1.1.0");
  EXPECT_EQ(string_attribute(failed, "control"), "1.23");
  EXPECT_EQ(string_attribute(failed, "assessment"), "94290b00-4d0c-d7b4-7cea-064a9554e681");
  EXPECT_EQ(integer_attribute(failed, "passed_resources"), 0);
  EXPECT_EQ(integer_attribute(failed, "failed_resources"), 1);
  EXPECT_EQ(integer_attribute(failed, "skipped_resources"), 0);
  EXPECT_EQ(string_attribute(failed, "assessment_type"), "Automated");
  EXPECT_EQ(string_attribute(failed, "assessment_details_link"), failed.url);
  EXPECT_THAT(std::string(failed.url), ::testing::StartsWith("https://management.azure.com/"));
  EXPECT_EQ(string_attribute(failed, "action"), "Insert");
  EXPECT_EQ(string_attribute(failed, "interval"), "Realtime");

  const Event& passed = fixture.events()[1];
  EXPECT_EQ(passed.status, "Passed");
  EXPECT_EQ(passed.severity, Severity::informational);
  EXPECT_EQ(string_attribute(passed, "standard"), "PCI-DSS-4");
  EXPECT_EQ(string_attribute(passed, "control"), "8.4.2");
  EXPECT_EQ(integer_attribute(passed, "passed_resources"), 3);

  // A lowercase type still ends in the compliance suffix.
  const Event& skipped = fixture.events()[2];
  EXPECT_EQ(skipped.status, "Skipped");
  EXPECT_EQ(skipped.severity, Severity::informational);
  EXPECT_EQ(string_attribute(skipped, "standard"), "ISO-27001");
  EXPECT_EQ(string_attribute(skipped, "control"), "A.9.2.3");
  EXPECT_EQ(string_attribute(skipped, "action"), "Delete");
  EXPECT_EQ(skipped.url, "");
  EXPECT_EQ(skipped.find_attribute("assessment_details_link"), nullptr);
}

// ---- Event Hub bodies, detection

std::vector<std::string> payload_kinds(const DefenderFixture& fixture) {
  std::vector<std::string> kinds;
  for (const Event& e : fixture.events()) kinds.emplace_back(e.payload_kind);
  return kinds;
}

TEST(DefenderEventHub, RecordsBodyOfMixedKinds) {
  DefenderFixture fixture("eventhub_body_records.json");
  expect_all_ok(fixture, 5);
  EXPECT_EQ(fixture.results()[4].position, "records[4]");
  EXPECT_THAT(payload_kinds(fixture), ElementsAre("mdc_alert", "mdc_recommendation", "mdc_finding",
                                                  "mdc_secure_score_control", "mdc_compliance"));
  for (const Event& e : fixture.events()) EXPECT_EQ(e.subscription_id, kSub);
}

TEST(DefenderEventHub, BareArrayBody) {
  DefenderFixture fixture("eventhub_body_array.json");
  expect_all_ok(fixture, 3);
  EXPECT_EQ(fixture.results()[1].position, "[1]");
  EXPECT_THAT(payload_kinds(fixture),
              ElementsAre("mdc_alert_arm", "mdc_secure_score", "mdc_recommendation"));
}

TEST(DefenderEventHub, EveryFixtureItemIsDetectedAsMdc) {
  for (const char* name : {"alerts_flat.json", "alert_arm.json", "assessments.json",
                           "sub_assessments.json", "secure_scores.json", "compliance.json",
                           "eventhub_body_records.json", "eventhub_body_array.json"}) {
    const std::string text = secfeed::testing::read_defender_fixture(name);
    PayloadReader reader;
    std::size_t items = 0;
    reader.read(
        text,
        [&](const PayloadItem& item) {
          ++items;
          EXPECT_EQ(detect_payload_kind(item.value, item.context), PayloadKind::mdc)
              << name << " " << item.position;
        },
        [&](const PayloadError& error) { ADD_FAILURE() << name << ": " << error.reason; });
    EXPECT_GT(items, 0u) << name;
  }
}

}  // namespace
}  // namespace secfeed
