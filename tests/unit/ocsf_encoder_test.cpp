// The OCSF encoder: exact bytes for one event of every kind (the mapping in
// schemas/ocsf-mapping.md made concrete), then the rules one at a time.
#include <gtest/gtest.h>

#include <string>

#include <rapidjson/document.h>

#include "connector/core/text.hpp"
#include "sinks/encoders/encode.hpp"
#include "sinks/encoders/ocsf_encoder.hpp"
#include "tests/unit/encoder_test_events.hpp"

namespace secfeed {
namespace {

using namespace std::literals;

std::string ocsf(const Event& event) {
  std::string out;
  encode_ocsf(event, out, OcsfOptions{test::kT0});
  return out;
}

rapidjson::Document parse(const std::string& line) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  EXPECT_FALSE(document.HasParseError()) << line;
  return document;
}

TEST(OcsfEncoder, AlertExact) {
  EXPECT_EQ(
      ocsf(test::sample_alert()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2004,"class_name":"Detection Finding",)"
      R"("type_uid":200401,"type_name":"Detection Finding: Create","severity_id":3,)"
      R"("severity":"Medium","status_id":1,"status":"New","status_code":"new",)"
      R"("time":1714558830456,"message":"Suspicious PowerShell command line",)"
      R"("metadata":{"version":"1.3.0","uid":"da637551227677560813_-961444813",)"
      R"("product":{"name":"Microsoft Defender for Endpoint","vendor_name":"Microsoft"},)"
      R"("log_name":"graph_alert","tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001",)"
      R"("profiles":["cloud"]},"cloud":{"provider":"Azure",)"
      R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001","name":"Contoso"}},)"
      R"("finding_info":{"uid":"da637551227677560813_-961444813",)"
      R"("title":"Suspicious PowerShell command line",)"
      R"("desc":"A suspicious PowerShell activity was observed on the machine.",)"
      R"("types":["Execution"],"created_time":1714558770456,)"
      R"("src_url":"https://security.microsoft.com/alerts/da637551227677560813_-961444813",)"
      R"("first_seen_time":1714558710456,"last_seen_time":1714558740456,)"
      R"("product_uid":"da637551227677560813_-961444813",)"
      R"("analytic":{"uid":"7f1c3609-a3ff-40e2-995b-c01770161d68","type_id":0,)"
      R"("type":"Unknown"},"attacks":[{"tactic":{"name":"Execution",)"
      R"("uid":"TA0002"}},{"tactic":{"name":"DefenseEvasion",)"
      R"("uid":"TA0005"}},{"technique":{"uid":"T1059.001"}},{"technique":{"uid":"T1027"}}],)"
      R"("data_sources":["microsoftDefenderForEndpoint"]},)"
      R"("evidences":[{"device":{"hostname":"win10-01.contoso.local",)"
      R"("uid":"7d1ef1e1c6b36a9f0a8e7c9a6b4b1d7c8e3a2f10","os":{"name":"Windows10",)"
      R"("type_id":100,"type":"Windows"},"type_id":0,"type":"Unknown"},)"
      R"("data":{"roles":"compromised"}},{"user":{"name":"alice","domain":"CONTOSO",)"
      R"("uid":"S-1-5-21-1-2-3-1104",)"
      R"("email_addr":"alice@contoso.com"}},{"src_endpoint":{"ip":"203.0.113.7"},)"
      R"("data":{"roles":"attacker"}},{"dst_endpoint":{"ip":"10.0.0.4"},)"
      R"("data":{"roles":"destination"}},{"file":{"name":"payload.ps1",)"
      R"("parent_folder":"C:\\Users\\alice\\Downloads","size":1234,)"
      R"("hashes":[{"algorithm_id":3,"algorithm":"SHA-256",)"
      R"("value":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},{"algorithm_id":2,)"
      R"("algorithm":"SHA-1","value":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}],)"
      R"("type_id":1,"type":"Regular File"}},{"process":{"pid":4321,"name":"powershell.exe",)"
      R"("cmd_line":"powershell.exe -enc ZQBjAGgAbwA=","file":{"name":"powershell.exe",)"
      R"("type_id":1,)"
      R"("type":"Regular File"}}},{"url":{"url_string":"http://malicious.example/a?b=c"}}],)"
      R"("observables":[{"name":"device.hostname","type_id":1,"type":"Hostname",)"
      R"("value":"win10-01.contoso.local"},{"name":"user.name","type_id":4,)"
      R"("type":"User Name","value":"alice"},{"name":"user.email_addr","type_id":5,)"
      R"("type":"Email Address","value":"alice@contoso.com"},{"name":"src_endpoint.ip",)"
      R"("type_id":2,"type":"IP Address","value":"203.0.113.7"},{"name":"dst_endpoint.ip",)"
      R"("type_id":2,"type":"IP Address","value":"10.0.0.4"},{"name":"file.name","type_id":7,)"
      R"("type":"File Name","value":"payload.ps1"},{"name":"file.hashes.value","type_id":8,)"
      R"("type":"Hash",)"
      R"("value":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},{"name":"file.hashes.value",)"
      R"("type_id":8,"type":"Hash",)"
      R"("value":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"},{"name":"process.name",)"
      R"("type_id":9,"type":"Process Name",)"
      R"("value":"powershell.exe"},{"name":"url.url_string","type_id":6,"type":"URL String",)"
      R"("value":"http://malicious.example/a?b=c"}],"unmapped":{"kind":"alert",)"
      R"("source":"graph","severity_score":5,"assigned_to":"secops@contoso.com",)"
      R"("incident_id":"2893","classification":"truePositive","determination":"malware",)"
      R"("service_source":"microsoftDefenderForEndpoint","attributes":{"alert_count":1}}})");
}

TEST(OcsfEncoder, IncidentExact) {
  EXPECT_EQ(ocsf(test::sample_incident()),
            R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
            R"("category_name":"Findings","class_uid":2005,"class_name":"Incident Finding",)"
            R"("type_uid":200501,"type_name":"Incident Finding: Create","severity_id":4,)"
            R"("severity":"High","status_id":1,"status":"New","status_code":"active",)"
            R"("time":1714558830456,"message":"Multi-stage incident involving Execution",)"
            R"("metadata":{"version":"1.3.0","uid":"2893",)"
            R"("product":{"name":"Microsoft 365 Defender","vendor_name":"Microsoft"},)"
            R"("log_name":"graph_incident","tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001",)"
            R"("profiles":["cloud"]},"cloud":{"provider":"Azure",)"
            R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
            R"("finding_info_list":[{"uid":"2893",)"
            R"("title":"Multi-stage incident involving Execution","created_time":1714555230456,)"
            R"("src_url":"https://security.microsoft.com/incidents/2893"}],)"
            R"("src_url":"https://security.microsoft.com/incidents/2893",)"
            R"("assignee":{"email_addr":"bob@contoso.com"},"unmapped":{"kind":"incident",)"
            R"("severity_score":8,"classification":"unknown","tags":["Ransomware","Demo"]}})");
}

TEST(OcsfEncoder, SecureScoreExact) {
  EXPECT_EQ(ocsf(test::sample_secure_score()),
            R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
            R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
            R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":0,)"
            R"("severity":"Unknown","time":1714558830456,"message":"Secure Score",)"
            R"("metadata":{"version":"1.3.0",)"
            R"("uid":"b3c1b5a0-0000-4000-8000-000000000001_2024-05-01",)"
            R"("product":{"name":"Microsoft Secure Score","vendor_name":"Microsoft"},)"
            R"("log_name":"secure_score","tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001",)"
            R"("profiles":["cloud"]},"cloud":{"provider":"Azure",)"
            R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
            R"("finding_info":{"uid":"b3c1b5a0-0000-4000-8000-000000000001_2024-05-01",)"
            R"("title":"Secure Score"},"compliance":{"standards":["Microsoft Secure Score"],)"
            R"("status_id":2,"status":"Warning"},"unmapped":{"kind":"secure_score",)"
            R"("severity_score":0,"attributes":{"current_score":123.45,"max_score":400.0,)"
            R"("percentage":30.8625,"active_user_count":42,"licensed_user_count":50,)"
            R"("enabled_services":["HasExchange","HasSharePoint"]}}})");
}

TEST(OcsfEncoder, ControlScoreExact) {
  EXPECT_EQ(
      ocsf(test::sample_control_score()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
      R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":0,)"
      R"("severity":"Unknown","time":1714558830456,"message":"Enable MFA",)"
      R"("metadata":{"version":"1.3.0",)"
      R"("uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Security/secureScores/ascScore/secureScoreControls/5e4f6d66-4d2a-4b8b-9c5e-2d2f3c3f4e5a",)"
      R"("product":{"name":"Microsoft Defender for Cloud","vendor_name":"Microsoft"},)"
      R"("tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001","profiles":["cloud"]},)"
      R"("cloud":{"provider":"Azure",)"
      R"("account":{"uid":"0b1f6471-1bf0-4dda-aec3-cb9272f09590"},)"
      R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
      R"("finding_info":{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Security/secureScores/ascScore/secureScoreControls/5e4f6d66-4d2a-4b8b-9c5e-2d2f3c3f4e5a",)"
      R"("title":"Enable MFA","types":["Identity"]},)"
      R"("compliance":{"standards":["Microsoft Defender for Cloud"],"control":"Enable MFA",)"
      R"("status_id":2,"status":"Warning"},"unmapped":{"kind":"control_score",)"
      R"("severity_score":0,"attributes":{"current_score":7.5,"max_score":10,)"
      R"("percentage":0.75,"healthy_resource_count":3,"unhealthy_resource_count":1,)"
      R"("not_applicable_resource_count":0}}})");
}

TEST(OcsfEncoder, RecommendationExact) {
  EXPECT_EQ(
      ocsf(test::sample_recommendation()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
      R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":4,)"
      R"("severity":"High","time":1714558830456,)"
      R"("message":"Machines should have vulnerability findings resolved",)"
      R"("metadata":{"version":"1.3.0",)"
      R"("uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f",)"
      R"("product":{"name":"Microsoft Defender for Cloud","vendor_name":"Microsoft"},)"
      R"("log_name":"mdc_assessment","tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001",)"
      R"("profiles":["cloud"]},"cloud":{"provider":"Azure",)"
      R"("account":{"uid":"0b1f6471-1bf0-4dda-aec3-cb9272f09590"},)"
      R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
      R"("finding_info":{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f",)"
      R"("title":"Machines should have vulnerability findings resolved"},)"
      R"("compliance":{"standards":["Microsoft Defender for Cloud"],)"
      R"("control":"Machines should have vulnerability findings resolved","status_id":3,)"
      R"("status":"Fail","status_code":"Unhealthy"},)"
      R"("remediation":{"desc":"Apply the updates."},)"
      R"("resources":[{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",)"
      R"("name":"vm1","type":"Microsoft.Compute/virtualMachines"}],)"
      R"("observables":[{"name":"resources.uid","type_id":10,"type":"Resource UID",)"
      R"("value":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"}],)"
      R"("unmapped":{"kind":"recommendation","severity_score":8}})");
}

TEST(OcsfEncoder, FindingExact) {
  EXPECT_EQ(
      ocsf(test::sample_finding()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
      R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":4,)"
      R"("severity":"High","time":1714558830456,"message":"CVE-2024-0001 in openssl",)"
      R"("metadata":{"version":"1.3.0",)"
      R"("uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f",)"
      R"("product":{"name":"Microsoft Defender for Cloud","vendor_name":"Microsoft"},)"
      R"("log_name":"mdc_assessment","tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001",)"
      R"("profiles":["cloud"]},"cloud":{"provider":"Azure",)"
      R"("account":{"uid":"0b1f6471-1bf0-4dda-aec3-cb9272f09590"},)"
      R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
      R"("finding_info":{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f",)"
      R"("title":"CVE-2024-0001 in openssl"},)"
      R"("compliance":{"standards":["Microsoft Defender for Cloud"],)"
      R"("control":"CVE-2024-0001 in openssl","status_id":3,"status":"Fail",)"
      R"("status_code":"Unhealthy"},"remediation":{"desc":"Apply the updates."},)"
      R"("resources":[{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",)"
      R"("name":"vm1","type":"Microsoft.Compute/virtualMachines"}],)"
      R"("observables":[{"name":"resources.uid","type_id":10,"type":"Resource UID",)"
      R"("value":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"}],)"
      R"("unmapped":{"kind":"finding","severity_score":8,"attributes":{"patchable":true}}})");
}

TEST(OcsfEncoder, ComplianceExact) {
  EXPECT_EQ(
      ocsf(test::sample_compliance()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
      R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":0,)"
      R"("severity":"Unknown","time":1714558830456,)"
      R"("message":"Ensure MFA is enabled for all privileged users",)"
      R"("metadata":{"version":"1.3.0",)"
      R"("uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Security/regulatoryComplianceStandards/CIS-1.3.0/regulatoryComplianceControls/1.1/regulatoryComplianceAssessments/a1b2",)"
      R"("product":{"name":"Microsoft Defender for Cloud","vendor_name":"Microsoft"},)"
      R"("tenant_uid":"b3c1b5a0-0000-4000-8000-000000000001","profiles":["cloud"]},)"
      R"("cloud":{"provider":"Azure",)"
      R"("account":{"uid":"0b1f6471-1bf0-4dda-aec3-cb9272f09590"},)"
      R"("org":{"uid":"b3c1b5a0-0000-4000-8000-000000000001"}},)"
      R"("finding_info":{"uid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Security/regulatoryComplianceStandards/CIS-1.3.0/regulatoryComplianceControls/1.1/regulatoryComplianceAssessments/a1b2",)"
      R"("title":"Ensure MFA is enabled for all privileged users"},)"
      R"("compliance":{"standards":["CIS-1.3.0"],)"
      R"("control":"Ensure MFA is enabled for all privileged users","status_id":3,)"
      R"("status":"Fail","status_code":"Failed"},"unmapped":{"kind":"compliance",)"
      R"("severity_score":0,"attributes":{"standard":"CIS-1.3.0","passed_resources":2,)"
      R"("failed_resources":1,"skipped_resources":0}}})");
}

TEST(OcsfEncoder, ControlProfileExact) {
  EXPECT_EQ(
      ocsf(test::sample_control_profile()),
      R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
      R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
      R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":0,)"
      R"("severity":"Unknown","time":1714558830456,)"
      R"("message":"Ensure multifactor authentication is enabled for all users in administrative roles",)"
      R"("metadata":{"version":"1.3.0","uid":"AdminMFAV2",)"
      R"("product":{"name":"Microsoft Secure Score","vendor_name":"Microsoft"}},)"
      R"("finding_info":{"uid":"AdminMFAV2",)"
      R"("title":"Ensure multifactor authentication is enabled for all users in administrative roles",)"
      R"("types":["Identity"]},"compliance":{"standards":["Microsoft Secure Score"],)"
      R"("control":"AdminMFAV2","status_id":0,"status":"Unknown"},)"
      R"("unmapped":{"kind":"control_profile","severity_score":0,)"
      R"("attributes":{"max_score":10,"implementation_status":"Partially"}}})");
}

TEST(OcsfEncoder, ScoreChangeExact) {
  EXPECT_EQ(ocsf(test::sample_score_change()),
            R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
            R"("category_name":"Findings","class_uid":2003,"class_name":"Compliance Finding",)"
            R"("type_uid":200301,"type_name":"Compliance Finding: Create","severity_id":2,)"
            R"("severity":"Low","time":1714558830456,"message":"AdminMFAV2",)"
            R"("metadata":{"version":"1.3.0","uid":"AdminMFAV2_2024-05-01",)"
            R"("product":{"name":"Security","vendor_name":"Microsoft"}},)"
            R"("finding_info":{"uid":"AdminMFAV2_2024-05-01","title":"AdminMFAV2"},)"
            R"("compliance":{"standards":["Microsoft"],"control":"AdminMFAV2","status_id":2,)"
            R"("status":"Warning"},"unmapped":{"kind":"score_change","severity_score":3,)"
            R"("attributes":{"current_score":5.0,"previous_score":10.0,"max_score":10.0}}})");
}

TEST(OcsfEncoder, MinimalEventExact) {
  EXPECT_EQ(ocsf(Event{}),
            R"({"activity_id":1,"activity_name":"Create","category_uid":2,)"
            R"("category_name":"Findings","class_uid":2004,"class_name":"Detection Finding",)"
            R"("type_uid":200401,"type_name":"Detection Finding: Create","severity_id":0,)"
            R"("severity":"Unknown","status_id":0,"status":"Unknown","time":1714558830456,)"
            R"("metadata":{"version":"1.3.0","product":{"name":"Security",)"
            R"("vendor_name":"Microsoft"}},"finding_info":{"uid":"","title":"alert"},)"
            R"("unmapped":{"kind":"alert","severity_score":0}})");
}

TEST(OcsfEncoder, TypeUidFollowsTheActivity) {
  Event resolved = test::sample_alert();
  resolved.status = "resolved";
  rapidjson::Document d = parse(ocsf(resolved));
  EXPECT_EQ(d["activity_id"].GetInt(), 3);
  EXPECT_EQ(d["type_uid"].GetInt(), 200403);
  EXPECT_STREQ(d["type_name"].GetString(), "Detection Finding: Close");
  EXPECT_EQ(d["status_id"].GetInt(), 4);

  Event updated = test::sample_alert();
  updated.updated_ms = updated.created_ms + 1;
  d = parse(ocsf(updated));
  EXPECT_EQ(d["type_uid"].GetInt(), 200402);
  EXPECT_STREQ(d["activity_name"].GetString(), "Update");

  Event deleted = test::sample_recommendation();
  deleted.add_string("action", "Delete");
  d = parse(ocsf(deleted));
  EXPECT_EQ(d["type_uid"].GetInt(), 200303);
}

TEST(OcsfEncoder, StatusMapsPerClass) {
  const auto status_of = [](EventKind kind, std::string_view status) {
    Event e;
    e.kind = kind;
    e.status = status;
    rapidjson::Document d = parse(ocsf(e));
    return std::to_string(d["status_id"].GetInt()) + " " + d["status"].GetString();
  };
  EXPECT_EQ(status_of(EventKind::alert, "InProgress"), "2 In Progress");
  EXPECT_EQ(status_of(EventKind::alert, "Dismissed"), "3 Suppressed");
  EXPECT_EQ(status_of(EventKind::alert, "Active"), "1 New");
  EXPECT_EQ(status_of(EventKind::alert, "unknownFutureValue"), "99 Other");
  EXPECT_EQ(status_of(EventKind::incident, "awaitingAction"), "3 On Hold");
  EXPECT_EQ(status_of(EventKind::incident, "redirected"), "5 Closed");
  EXPECT_EQ(status_of(EventKind::incident, ""), "0 Unknown");
}

TEST(OcsfEncoder, ComplianceStatusFromResultOrScore) {
  const auto compliance_of = [](const Event& e) {
    rapidjson::Document d = parse(ocsf(e));
    EXPECT_FALSE(d.HasMember("status_id"));  // the status is the compliance result
    const rapidjson::Value& c = d["compliance"];
    return std::to_string(c["status_id"].GetInt()) + " " + c["status"].GetString();
  };
  Event e = test::sample_recommendation();
  e.status = "healthy";
  EXPECT_EQ(compliance_of(e), "1 Pass");
  e.status = "NotApplicable";
  EXPECT_EQ(compliance_of(e), "99 Other");
  Event control;
  control.kind = EventKind::control_score;
  control.add_number("score_in_percentage", 100);
  EXPECT_EQ(compliance_of(control), "1 Pass");
  control.attributes.clear();
  control.add_number("current_score", 0);
  control.add_number("max_score", 10);
  EXPECT_EQ(compliance_of(control), "3 Fail");
  control.attributes.clear();
  control.add_number("current_score", 3);  // no max: unknown
  EXPECT_EQ(compliance_of(control), "0 Unknown");
}

TEST(OcsfEncoder, TimeFallsBackToUpdatedCreatedThenTheOption) {
  Event e;
  e.created_ms = 5;
  EXPECT_EQ(parse(ocsf(e))["time"].GetInt64(), 5);
  e.updated_ms = 7;
  EXPECT_EQ(parse(ocsf(e))["time"].GetInt64(), 7);
  std::string out;
  encode_ocsf(Event{}, out);  // no time anywhere, no fallback: now
  EXPECT_GT(parse(out)["time"].GetInt64(), test::kT0);
}

TEST(OcsfEncoder, ProcessIdThatIsNoNumberBecomesUid) {
  Event e;
  Entity& process = e.add_entity(EntityType::process);
  process.id = "0x1f";
  process.name = "a.exe";
  const std::string line = ocsf(e);
  EXPECT_NE(line.find(R"({"process":{"uid":"0x1f","name":"a.exe",)"), std::string::npos) << line;
}

TEST(OcsfEncoder, EvidenceVerdictAndOtherEntities) {
  Event e;
  Entity& other = e.add_entity(EntityType::other);
  other.type_name = "#microsoft.graph.security.registryKeyEvidence";
  other.name = "Run";
  other.path = "HKLM\\Run";
  other.verdict = "malicious";
  Entity& app = e.add_entity(EntityType::cloud_app);
  app.id = "123";
  app.name = "Contoso App";
  const std::string line = ocsf(e);
  EXPECT_NE(line.find(R"("evidences":[{"name":"#microsoft.graph.security.registryKeyEvidence",)"
                      R"("verdict_id":2,"verdict":"True Positive",)"
                      R"("data":{"name":"Run","path":"HKLM\\Run"}},)"
                      R"({"actor":{"app_name":"Contoso App","app_uid":"123"}}])"),
            std::string::npos)
      << line;
}

TEST(OcsfEncoder, HostileStringsStillMakeValidJson) {
  Event e = test::sample_alert();
  e.title = test::hostile_text();
  e.status = test::hostile_text();
  e.entities[0].name = test::hostile_text();
  e.add_string(test::hostile_text(), test::hostile_text());
  e.add_json("broken", "{\"a\":");
  const std::string line = ocsf(e);
  EXPECT_TRUE(is_valid_utf8(line));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  rapidjson::Document d = parse(line);
  EXPECT_EQ(d["status_id"].GetInt(), 99);
  EXPECT_STREQ(d["unmapped"]["attributes"]["broken"].GetString(), "{\"a\":");
}

TEST(OcsfEncoder, EncodeEventDispatchesAndAppends) {
  std::string out = ">";
  EXPECT_TRUE(encode_event(OutputFormat::ocsf, test::sample_incident(), out));
  EXPECT_EQ(out.substr(0, 16), R"(>{"activity_id":)");
  EXPECT_EQ(out.substr(1), ocsf(test::sample_incident()));
}

}  // namespace
}  // namespace secfeed
