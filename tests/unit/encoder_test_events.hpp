// Hand-made Events for the encoder tests: one realistic event per kind plus hostile
// ones. String fields are literals (static storage), so the Events stay valid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connector/core/event.hpp"

namespace secfeed::test {

using namespace std::string_literals;

// 2024-05-01T10:20:30.456Z and neighbours.
inline constexpr std::int64_t kT0 = 1714558830456;

inline Event sample_alert() {
  Event e;
  e.kind = EventKind::alert;
  e.payload_kind = "graph_alert";
  e.source = "graph";
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.tenant_name = "Contoso";
  e.id = "da637551227677560813_-961444813";
  e.provider_id = "da637551227677560813_-961444813";
  e.vendor = "Microsoft";
  e.product = "Microsoft Defender for Endpoint";
  e.title = "Suspicious PowerShell command line";
  e.description = "A suspicious PowerShell activity was observed on the machine.";
  e.status = "new";
  e.category = "Execution";
  e.classification = "truePositive";
  e.determination = "malware";
  e.assigned_to = "secops@contoso.com";
  e.detection_source = "microsoftDefenderForEndpoint";
  e.service_source = "microsoftDefenderForEndpoint";
  e.detector_id = "7f1c3609-a3ff-40e2-995b-c01770161d68";
  e.incident_id = "2893";
  e.url = "https://security.microsoft.com/alerts/da637551227677560813_-961444813";
  e.severity = Severity::medium;
  e.severity_score = 5;
  e.time_ms = kT0;
  e.created_ms = kT0 - 60000;
  e.first_activity_ms = kT0 - 120000;
  e.last_activity_ms = kT0 - 90000;
  e.tactics = {"Execution", "DefenseEvasion"};
  e.techniques = {"T1059.001", "T1027"};
  Entity& host = e.add_entity(EntityType::host);
  host.name = "win10-01.contoso.local";
  host.id = "7d1ef1e1c6b36a9f0a8e7c9a6b4b1d7c8e3a2f10";
  host.os = "Windows10";
  host.role = "compromised";
  Entity& user = e.add_entity(EntityType::user);
  user.name = "alice";
  user.domain = "CONTOSO";
  user.upn = "alice@contoso.com";
  user.sid = "S-1-5-21-1-2-3-1104";
  Entity& ip = e.add_entity(EntityType::ip);
  ip.address = "203.0.113.7";
  ip.role = "attacker";
  Entity& dst = e.add_entity(EntityType::ip);
  dst.address = "10.0.0.4";
  dst.role = "destination";
  Entity& file = e.add_entity(EntityType::file);
  file.name = "payload.ps1";
  file.path = "C:\\Users\\alice\\Downloads";
  file.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  file.sha1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
  file.size = 1234;
  Entity& process = e.add_entity(EntityType::process);
  process.id = "4321";
  process.name = "powershell.exe";
  process.command_line = "powershell.exe -enc ZQBjAGgAbwA=";
  Entity& url = e.add_entity(EntityType::url);
  url.url = "http://malicious.example/a?b=c";
  e.add_integer("alert_count", 1);
  return e;
}

inline Event sample_incident() {
  Event e;
  e.kind = EventKind::incident;
  e.payload_kind = "graph_incident";
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.id = "2893";
  e.product = "Microsoft 365 Defender";
  e.title = "Multi-stage incident involving Execution";
  e.status = "active";
  e.classification = "unknown";
  e.assigned_to = "bob@contoso.com";
  e.severity = Severity::high;
  e.severity_score = 8;
  e.time_ms = kT0;
  e.created_ms = kT0 - 3600000;
  e.resolved_ms = kNoTime;
  e.tags = {"Ransomware", "Demo"};
  e.url = "https://security.microsoft.com/incidents/2893";
  return e;
}

inline Event sample_secure_score() {
  Event e;
  e.kind = EventKind::secure_score;
  e.payload_kind = "secure_score";
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.id = "b3c1b5a0-0000-4000-8000-000000000001_2024-05-01";
  e.product = "Microsoft Secure Score";
  e.title = "Secure Score";
  e.time_ms = kT0;
  e.add_number("current_score", 123.45);
  e.add_number("max_score", 400);
  e.add_number("percentage", 30.8625);
  e.add_integer("active_user_count", 42);
  e.add_integer("licensed_user_count", 50);
  e.add_json("enabled_services", R"(["HasExchange","HasSharePoint"])");
  return e;
}

inline Event sample_control_score() {
  Event e;
  e.kind = EventKind::control_score;
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.id =
      "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/"
      "Microsoft.Security/secureScores/ascScore/secureScoreControls/"
      "5e4f6d66-4d2a-4b8b-9c5e-2d2f3c3f4e5a";
  e.product = "Microsoft Defender for Cloud";
  e.title = "Enable MFA";
  e.category = "Identity";
  e.time_ms = kT0;
  e.subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
  e.add_number("current_score", 7.5);
  e.add_integer("max_score", 10);
  e.add_number("percentage", 0.75);
  e.add_integer("healthy_resource_count", 3);
  e.add_integer("unhealthy_resource_count", 1);
  e.add_integer("not_applicable_resource_count", 0);
  return e;
}

inline Event sample_recommendation() {
  Event e;
  e.kind = EventKind::recommendation;
  e.payload_kind = "mdc_assessment";
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.id =
      "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/providers/"
      "Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/"
      "1195afff-c881-495e-9bc5-1486211ae03f";
  e.product = "Microsoft Defender for Cloud";
  e.title = "Machines should have vulnerability findings resolved";
  e.status = "Unhealthy";
  e.severity = Severity::high;
  e.severity_score = 8;
  e.time_ms = kT0;
  e.subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
  e.resource_id =
      "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg1/"
      "providers/Microsoft.Compute/virtualMachines/vm1";
  e.remediation = "Apply the updates.";
  Entity& resource = e.add_entity(EntityType::resource);
  resource.id = e.resource_id;
  resource.name = "vm1";
  resource.type_name = "Microsoft.Compute/virtualMachines";
  resource.subscription = e.subscription_id;
  return e;
}

inline Event sample_compliance() {
  Event e;
  e.kind = EventKind::compliance;
  e.tenant_id = "b3c1b5a0-0000-4000-8000-000000000001";
  e.id =
      "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Security/"
      "regulatoryComplianceStandards/CIS-1.3.0/regulatoryComplianceControls/1.1/"
      "regulatoryComplianceAssessments/a1b2";
  e.product = "Microsoft Defender for Cloud";
  e.title = "Ensure MFA is enabled for all privileged users";
  e.status = "Failed";
  e.time_ms = kT0;
  e.subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
  e.add_string("standard", "CIS-1.3.0");
  e.add_integer("passed_resources", 2);
  e.add_integer("failed_resources", 1);
  e.add_integer("skipped_resources", 0);
  return e;
}

inline Event sample_finding() {
  Event e = sample_recommendation();
  e.kind = EventKind::finding;
  e.title = "CVE-2024-0001 in openssl";
  e.add_boolean("patchable", true);
  return e;
}

inline Event sample_control_profile() {
  Event e;
  e.kind = EventKind::control_profile;
  e.id = "AdminMFAV2";
  e.product = "Microsoft Secure Score";
  e.title = "Ensure multifactor authentication is enabled for all users in administrative roles";
  e.category = "Identity";
  e.add_integer("max_score", 10);
  e.add_string("implementation_status", "Partially");
  return e;
}

inline Event sample_score_change() {
  Event e;
  e.kind = EventKind::score_change;
  e.id = "AdminMFAV2_2024-05-01";
  e.title = "AdminMFAV2";
  e.time_ms = kT0;
  e.severity = Severity::low;
  e.severity_score = 3;
  e.add_number("current_score", 5);
  e.add_number("previous_score", 10);
  e.add_number("max_score", 10);
  return e;
}

// Every kind once: the JSON schema and jc tests run over all of them.
inline std::vector<Event> sample_events_of_every_kind() {
  return {sample_alert(),         sample_incident(),        sample_secure_score(),
          sample_control_score(), sample_recommendation(),  sample_finding(),
          sample_compliance(),    sample_control_profile(), sample_score_change()};
}

// Hostile strings: every character CEF, JSON and syslog treat specially.
inline const std::string& hostile_text() {
  static const std::string text = "pipe| back\\slash eq=ual cr\rlf\nnul"s + '\0' +
                                  "tab\tesc\x1b del\x7f bad\xff\xc3("s + " trunc\xe2\x82" +
                                  " ok\xc3\xa9 end";
  return text;
}

}  // namespace secfeed::test
