#include "alert_templates.hpp"

#include <array>

namespace secfeed::emulator {
namespace {

using E = EvidenceKind;

constexpr std::string_view kT1059[] = {"T1059.001", "T1105"};
constexpr std::string_view kT1566[] = {"T1566.001", "T1204.002"};
constexpr std::string_view kT1078[] = {"T1078", "T1110.003"};
constexpr std::string_view kT1003[] = {"T1003.001"};
constexpr std::string_view kT1567[] = {"T1567.002", "T1048"};
constexpr std::string_view kT1486[] = {"T1486", "T1490"};
constexpr std::string_view kT1528[] = {"T1528"};
constexpr std::string_view kNone[] = {"T1530"};

constexpr E kEndpoint[] = {E::device, E::user, E::process, E::file, E::ip};
constexpr E kMail[] = {E::mailbox, E::url, E::file, E::user};
constexpr E kIdentity[] = {E::user, E::ip, E::device};
constexpr E kCloudApps[] = {E::user, E::cloud_application, E::ip};
constexpr E kCredential[] = {E::device, E::process, E::user};
constexpr E kRansom[] = {E::device, E::file, E::process, E::url, E::ip, E::user};
constexpr E kOAuth[] = {E::cloud_application, E::user};
constexpr E kStorage[] = {E::ip, E::url};

const std::array<AlertTemplate, 8> kTemplates{{
    {"da", "microsoftDefenderForEndpoint", "antivirus", "Microsoft Defender for Endpoint",
     "Suspicious PowerShell download cradle", "Execution", "medium",
     "A PowerShell process downloaded and ran a script from a remote host.",
     "1. Isolate the device.\n2. Review the process tree.\n3. Run a full antivirus scan.",
     "7f1c3609-a3ff-40e2-995b-c01770161d68", kT1059, kEndpoint, "PowDownload"},
    {"fa", "microsoftDefenderForOffice365", "microsoftDefenderForOffice365",
     "Microsoft Defender for Office 365", "Email messages containing malicious file removed",
     "InitialAccess", "high",
     "Emails with a malicious attachment were delivered and later removed by ZAP.",
     "Review the affected mailboxes and block the sender.", "d3b1c2f4-0000-4d6c-9a1e-5f0c8e3b2a11",
     kT1566, kMail, "Qakbot"},
    {"aa", "microsoftDefenderForIdentity", "microsoftDefenderForIdentity",
     "Microsoft Defender for Identity", "Suspected brute-force attack (Kerberos, NTLM)",
     "CredentialAccess", "medium",
     "Many failed authentication attempts against several accounts from one source.",
     "Reset passwords of the attacked accounts and enforce MFA.",
     "0b5a8a7e-8b94-4c1d-a2f1-9d0c2c3a4b55", kT1078, kIdentity, ""},
    {"ca", "microsoftDefenderForCloudApps", "cloudAppSecurity", "Microsoft Defender for Cloud Apps",
     "Mass download by a single user", "Exfiltration", "low",
     "A user downloaded an unusual number of files from SharePoint in one session.",
     "Confirm with the user; suspend the session if unexpected.",
     "c0b7e7a1-3e22-4b3b-8a5c-1e9d7f2a6c33", kT1567, kCloudApps, ""},
    {"da", "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint",
     "Microsoft Defender for Endpoint", "Credential dumping from LSASS memory", "CredentialAccess",
     "high", "A process read LSASS memory, a common credential theft step.",
     "Isolate the device and reset credentials of accounts that signed in on it.",
     "5e2d4f1a-6b7c-4d8e-9f00-112233445566", kT1003, kCredential, "Mimikatz"},
    {"da", "microsoft365Defender", "microsoft365Defender", "Microsoft 365 Defender",
     "Ransomware behavior detected in the file system", "Impact", "high",
     "Files were encrypted and shadow copies deleted on the device.",
     "Disconnect the device from the network and start incident response.",
     "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", kT1486, kRansom, "LockBit"},
    {"ad", "microsoftAppGovernance", "appGovernancePolicy", "App Governance",
     "App with suspicious OAuth consent", "CredentialAccess", "informational",
     "An OAuth app requested high-privilege scopes shortly after registration.",
     "Review the app's permissions and revoke consent if unexpected.",
     "3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f6", kT1528, kOAuth, ""},
    // microsoftDefenderForCloud / microsoftDefenderForStorage are newer than unknownFutureValue.
    {"dc", "microsoftDefenderForCloud", "microsoftDefenderForStorage",
     "Microsoft Defender for Cloud", "Access from a suspicious IP to a storage account",
     "InitialAccess", "low",
     "A storage account was accessed from an IP address known for malicious activity.",
     "Restrict network access to the storage account.", "6d5c4b3a-2918-4776-a5b4-c3d2e1f0a9b8",
     kNone, kStorage, ""},
}};

constexpr std::string_view kEvolvable[] = {"microsoftDefenderForCloud", "microsoftSentinel",
                                           "microsoftInsiderRiskManagement",
                                           "microsoftDefenderForStorage", "awaitingAction"};

}  // namespace

const AlertTemplate& alert_template_for(std::uint64_t seed) {
  return kTemplates[seed % kTemplates.size()];
}

bool is_evolvable_enum_member(std::string_view value) {
  for (const std::string_view member : kEvolvable) {
    if (member == value) return true;
  }
  return false;
}

int severity_rank(std::string_view severity) {
  if (severity == "high") return 3;
  if (severity == "medium") return 2;
  if (severity == "low") return 1;
  return 0;
}

std::string_view severity_name(int rank) {
  static constexpr std::string_view kNames[] = {"informational", "low", "medium", "high"};
  return kNames[rank < 0 ? 0 : (rank > 3 ? 3 : rank)];
}

}  // namespace secfeed::emulator
