#include "alert_subjects.hpp"

#include <array>
#include <cstdio>

#include "encoding.hpp"
#include "graph_model.hpp"

namespace secfeed::emulator {
namespace {

constexpr std::array<std::string_view, 8> kFirstNames{"alex",  "maria", "chen",  "fatima",
                                                      "jonas", "priya", "lucas", "amara"};
constexpr std::array<std::string_view, 6> kLastNames{"wilber", "garcia",    "nakamura",
                                                     "okafor", "lindqvist", "rossi"};
constexpr std::array<std::string_view, 4> kCountries{"US", "NL", "BR", "SG"};
constexpr std::array<std::string_view, 4> kFiles{"invoice_0423.docm", "update.ps1", "payload.dll",
                                                 "setup_x64.exe"};

std::string hex(SeededRandom& random, int bytes) {
  std::string out;
  char pair[3];
  for (int i = 0; i < bytes; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned>(random.next() & 0xFF));
    out += pair;
  }
  return out;
}

std::string capitalized(std::string_view word) {
  std::string out(word);
  if (!out.empty()) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

void begin_evidence(JsonWriter& w, std::string_view type, const std::string& created,
                    std::string_view role) {
  w.StartObject();
  json_field(w, "@odata.type", type);
  json_field(w, "createdDateTime", created);
  json_field(w, "verdict", "suspicious");
  json_field(w, "remediationStatus", "none");
  json_field(w, "remediationStatusDetails", "");
  json_key(w, "roles");
  w.StartArray();
  if (!role.empty()) json_string(w, role);
  w.EndArray();
  json_empty_array(w, "detailedRoles");
  json_empty_array(w, "tags");
}

void write_user_account(JsonWriter& w, const AlertSubjects& s) {
  json_key(w, "userAccount");
  w.StartObject();
  json_field(w, "accountName", s.account_name);
  json_field(w, "domainName", s.domain);
  json_field(w, "userSid", s.user_sid);
  json_field(w, "azureAdUserId", s.aad_user_id);
  json_field(w, "userPrincipalName", s.upn);
  json_field(w, "displayName", s.display_name);
  w.EndObject();
}

void write_file_details(JsonWriter& w, const AlertSubjects& s) {
  w.StartObject();
  json_field(w, "fileName", s.file_name);
  json_field(w, "filePath", s.file_path);
  json_field(w, "sha1", s.sha1);
  json_field(w, "sha256", s.sha256);
  json_field(w, "fileSize", s.file_size);
  json_field(w, "issuer", "");
  json_field(w, "signer", "");
  json_field(w, "filePublisher", "");
  w.EndObject();
}

}  // namespace

AlertSubjects subjects_for(std::uint64_t seed) {
  SeededRandom random(seed ^ 0xA5A5A5A5DEADBEEFULL);
  AlertSubjects s;
  const std::string_view first = kFirstNames[random.next() % kFirstNames.size()];
  const std::string_view last = kLastNames[random.next() % kLastNames.size()];
  s.domain = "contoso.com";
  s.account_name = std::string(first) + "." + std::string(last);
  s.display_name = capitalized(first) + " " + capitalized(last);
  s.upn = s.account_name + "@" + s.domain;
  s.user_sid =
      "S-1-5-21-1782978651-4103453239-1830522932-" + std::to_string(random.between(1100, 9999));
  s.aad_user_id = guid_from(random.next(), random.next());
  s.device_name = "ws-" + std::to_string(random.between(1000, 9999)) + ".corp.contoso.com";
  s.device_id = hex(random, 20);
  s.aad_device_id = guid_from(random.next(), random.next());
  s.os_platform = random.chance(80) ? "Windows11" : "Windows10";
  s.remote_ip = "203.0.113." + std::to_string(random.between(1, 254));
  s.country = std::string(kCountries[random.next() % kCountries.size()]);
  s.local_ip = "10.1." + std::to_string(random.between(0, 255)) + "." +
               std::to_string(random.between(1, 254));
  s.url = "https://cdn-" + std::to_string(random.between(10, 99)) + ".malicious-example.net/dl/" +
          hex(random, 4);
  s.file_name = std::string(kFiles[random.next() % kFiles.size()]);
  s.file_path = "C:\\Users\\" + s.account_name + "\\Downloads";
  s.sha1 = hex(random, 20);
  s.sha256 = hex(random, 32);
  s.file_size = random.between(10'000, 5'000'000);
  s.process_id = random.between(1000, 30000);
  s.command_line =
      "powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand " + hex(random, 12);
  s.app_name = random.chance(50) ? "Contoso Sync Helper" : "Mail Organizer Pro";
  s.app_id = random.between(10000, 99999);
  return s;
}

void write_evidence(JsonWriter& w, const AlertTemplate& shape, const AlertSubjects& s,
                    const std::string& created) {
  json_key(w, "evidence");
  w.StartArray();
  for (const EvidenceKind kind : shape.evidence) {
    switch (kind) {
      case EvidenceKind::device:
        begin_evidence(w, "#microsoft.graph.security.deviceEvidence", created, "");
        json_field(w, "firstSeenDateTime", created);
        json_field(w, "mdeDeviceId", s.device_id);
        json_field(w, "azureAdDeviceId", s.aad_device_id);
        json_field(w, "deviceDnsName", s.device_name);
        json_field(w, "osPlatform", s.os_platform);
        json_field(w, "osBuild", std::int64_t{22631});
        json_field(w, "version", "23H2");
        json_field(w, "healthStatus", "active");
        json_field(w, "riskScore", "high");
        json_field(w, "rbacGroupId", 0);
        json_null(w, "rbacGroupName");
        json_field(w, "onboardingStatus", "onboarded");
        json_field(w, "defenderAvStatus", "updated");
        json_key(w, "ipInterfaces");
        w.StartArray();
        json_string(w, s.local_ip);
        w.EndArray();
        json_key(w, "loggedOnUsers");
        w.StartArray();
        w.StartObject();
        json_field(w, "accountName", s.account_name);
        json_field(w, "domainName", "CONTOSO");
        w.EndObject();
        w.EndArray();
        json_empty_array(w, "vmMetadata");
        w.EndObject();
        break;
      case EvidenceKind::user:
        begin_evidence(w, "#microsoft.graph.security.userEvidence", created, "compromised");
        write_user_account(w, s);
        w.EndObject();
        break;
      case EvidenceKind::ip:
        begin_evidence(w, "#microsoft.graph.security.ipEvidence", created, "attacker");
        json_field(w, "ipAddress", s.remote_ip);
        json_field(w, "countryLetterCode", s.country);
        w.EndObject();
        break;
      case EvidenceKind::url:
        begin_evidence(w, "#microsoft.graph.security.urlEvidence", created, "");
        json_field(w, "url", s.url);
        w.EndObject();
        break;
      case EvidenceKind::file:
        begin_evidence(w, "#microsoft.graph.security.fileEvidence", created, "");
        json_field(w, "detectionStatus", "detected");
        json_field(w, "mdeDeviceId", s.device_id);
        json_key(w, "fileDetails");
        write_file_details(w, s);
        w.EndObject();
        break;
      case EvidenceKind::process:
        begin_evidence(w, "#microsoft.graph.security.processEvidence", created, "");
        json_field(w, "processId", s.process_id);
        json_field(w, "parentProcessId", s.process_id - 4);
        json_field(w, "processCommandLine", s.command_line);
        json_field(w, "processCreationDateTime", created);
        json_field(w, "detectionStatus", "detected");
        json_field(w, "mdeDeviceId", s.device_id);
        json_key(w, "imageFile");
        write_file_details(w, s);
        write_user_account(w, s);
        w.EndObject();
        break;
      case EvidenceKind::mailbox:
        begin_evidence(w, "#microsoft.graph.security.mailboxEvidence", created, "");
        json_field(w, "primaryAddress", s.upn);
        json_field(w, "upn", s.upn);
        json_field(w, "displayName", s.display_name);
        write_user_account(w, s);
        w.EndObject();
        break;
      case EvidenceKind::cloud_application:
        begin_evidence(w, "#microsoft.graph.security.cloudApplicationEvidence", created, "");
        json_field(w, "appId", s.app_id);
        json_field(w, "displayName", s.app_name);
        json_field(w, "instanceId", 0);
        json_field(w, "instanceName", "");
        json_field(w, "saasAppId", s.app_id);
        w.EndObject();
        break;
    }
  }
  w.EndArray();
}

}  // namespace secfeed::emulator
