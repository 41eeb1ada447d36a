#include <gtest/gtest.h>

#include <string>

#include "sinks/encoders/cef_encoder.hpp"
#include "sinks/encoders/cef_mapping.hpp"
#include "sinks/encoders/encoders.hpp"
#include "tests/unit/encoder_test_events.hpp"

namespace secfeed {
namespace {

using namespace std::string_literals;
using test::kT0;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr std::string_view kMarker = "\xE2\x80\xA6";

std::string cef(const Event& event, const CefOptions& options = {}, EncodeStats* stats = nullptr) {
  std::string out;
  encode_cef(event, out, options, stats);
  return out;
}

// The extension part: everything after the 7th unescaped '|'.
std::string extension_of(const std::string& line) {
  std::size_t pipes = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '|' && ++pipes == 7) return line.substr(i + 1);
  }
  return {};
}

Event minimal_alert() {
  Event e;
  e.kind = EventKind::alert;
  e.id = "id-1";
  e.title = "Title";
  e.product = "Product";
  e.severity = Severity::high;
  e.severity_score = 8;
  return e;
}

TEST(CefEncoder, EmbeddedMappingCompiles) {
  EXPECT_EQ(cef_mapping_error(), "");
  EXPECT_GT(cef_mapping().rules.size(), 40u);
}

TEST(CefEncoder, FullAlertLine) {
  const std::string expected =
      "CEF:0|Microsoft|Microsoft Defender for Endpoint|1.0|"
      "7f1c3609-a3ff-40e2-995b-c01770161d68|Suspicious PowerShell command line|5|"
      "rt=1714558830456 start=1714558710456 end=1714558740456 "
      "deviceExternalId=da637551227677560813_-961444813 cat=Execution act=new "
      "outcome=truePositive reason=malware "
      "msg=A suspicious PowerShell activity was observed on the machine. "
      "src=203.0.113.7 dst=10.0.0.4 dhost=win10-01.contoso.local "
      "dvchost=win10-01.contoso.local suser=alice@contoso.com sntdom=CONTOSO "
      "suid=S-1-5-21-1-2-3-1104 sproc=powershell.exe spid=4321 fname=payload.ps1 "
      "filePath=C:\\\\Users\\\\alice\\\\Downloads "
      "fileHash=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 fsize=1234 "
      "request=http://malicious.example/a?b\\=c "
      "cs1=b3c1b5a0-0000-4000-8000-000000000001 cs1Label=TenantId "
      "cs2=2893 cs2Label=IncidentId "
      "cs3=Execution,DefenseEvasion cs3Label=MitreTactics "
      "cs4=T1059.001,T1027 cs4Label=MitreTechniques "
      "cs5=microsoftDefenderForEndpoint cs5Label=DetectionSource "
      "cs6=https://security.microsoft.com/alerts/da637551227677560813_-961444813 "
      "cs6Label=PortalUrl "
      "flexString1=secops@contoso.com flexString1Label=AssignedTo "
      "flexString2=da637551227677560813_-961444813 flexString2Label=ProviderAlertId "
      "deviceCustomDate1=1714558770456 deviceCustomDate1Label=CreatedTime";
  EXPECT_EQ(cef(test::sample_alert()), expected);
}

TEST(CefEncoder, SecureScoreLineUsesFloatKeysAndUnknownSeverity) {
  EXPECT_EQ(cef(test::sample_secure_score()),
            "CEF:0|Microsoft|Microsoft Secure Score|1.0|secure_score|Secure Score|Unknown|"
            "rt=1714558830456 deviceExternalId=b3c1b5a0-0000-4000-8000-000000000001_2024-05-01 "
            "cs1=b3c1b5a0-0000-4000-8000-000000000001 cs1Label=TenantId "
            "cfp1=123.45 cfp1Label=CurrentScore cfp2=400 cfp2Label=MaxScore "
            "cfp3=30.8625 cfp3Label=ScorePercentage cn1=42 cn1Label=ActiveUserCount "
            "cn2=50 cn2Label=LicensedUserCount");
}

TEST(CefEncoder, ComplianceLineCarriesStatusAndResourceCounts) {
  EXPECT_EQ(cef(test::sample_compliance()),
            "CEF:0|Microsoft|Microsoft Defender for Cloud|1.0|compliance|"
            "Ensure MFA is enabled for all privileged users|Unknown|rt=1714558830456 "
            "deviceExternalId=/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/"
            "Microsoft.Security/regulatoryComplianceStandards/CIS-1.3.0/"
            "regulatoryComplianceControls/1.1/regulatoryComplianceAssessments/a1b2 "
            "outcome=Failed cs1=b3c1b5a0-0000-4000-8000-000000000001 cs1Label=TenantId "
            "cs3=0b1f6471-1bf0-4dda-aec3-cb9272f09590 cs3Label=SubscriptionId "
            "cs5=CIS-1.3.0 cs5Label=ComplianceStandard cn1=2 cn1Label=PassedResources "
            "cn2=1 cn2Label=FailedResources cn3=0 cn3Label=SkippedResources");
}

TEST(CefEncoder, RecommendationLineCarriesResourceFields) {
  EXPECT_EQ(extension_of(cef(test::sample_recommendation())),
            "rt=1714558830456 deviceExternalId=/subscriptions/0b1f6471-1bf0-4dda-aec3-"
            "cb9272f09590/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/"
            "providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f "
            "outcome=Unhealthy dvchost=vm1 cs1=b3c1b5a0-0000-4000-8000-000000000001 "
            "cs1Label=TenantId cs2=/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/"
            "resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1 "
            "cs2Label=ResourceId cs3=0b1f6471-1bf0-4dda-aec3-cb9272f09590 "
            "cs3Label=SubscriptionId cs4=Microsoft.Compute/virtualMachines "
            "cs4Label=ResourceType cs5=Apply the updates. cs5Label=Remediation");
}

TEST(CefEncoder, HeaderFieldsAreEscapedAndFallBack) {
  Event e = minimal_alert();
  e.product = "Pro|duct\\X";
  e.title = "Name | pipe \\ back = eq\r\nnext";
  EXPECT_EQ(cef(e),
            "CEF:0|Microsoft|Pro\\|duct\\\\X|1.0|alert|Name \\| pipe \\\\ back = eq  next|8|"
            "deviceExternalId=id-1");
  Event empty;
  empty.kind = EventKind::incident;
  CefOptions options;
  options.device_vendor = "Ven|dor";
  options.default_device_version = "";
  EXPECT_EQ(cef(empty, options), "CEF:0|Ven\\|dor|Security|0|incident|incident|Unknown|");
}

TEST(CefEncoder, DeviceVersionAndClassIdPreferEventFields) {
  Event e = minimal_alert();
  e.product_version = "2.1";
  e.category = "Execution";
  EXPECT_EQ(cef(e),
            "CEF:0|Microsoft|Product|2.1|Execution|Title|8|deviceExternalId=id-1 "
            "cat=Execution");
  e.detector_id = "det-7";
  EXPECT_EQ(cef(e).substr(0, 42), "CEF:0|Microsoft|Product|2.1|det-7|Title|8|");
}

TEST(CefEncoder, SeverityIsClampedScoreOrUnknown) {
  Event e = minimal_alert();
  const auto severity = [&](Severity s, int score) {
    e.severity = s;
    e.severity_score = score;
    return std::string(cef_severity(e));
  };
  EXPECT_EQ(severity(Severity::unknown, 0), "Unknown");
  EXPECT_EQ(severity(Severity::unknown, 4), "4");  // a finer score without a label
  EXPECT_EQ(severity(Severity::informational, 1), "1");
  EXPECT_EQ(severity(Severity::low, 0), "0");
  EXPECT_EQ(severity(Severity::critical, 10), "10");
  EXPECT_EQ(severity(Severity::critical, 99), "10");
  EXPECT_EQ(severity(Severity::low, -5), "0");
}

TEST(CefEncoder, HostileValuesAreEscapedSanitizedAndNeverRaw) {
  Event e = minimal_alert();
  e.time_ms = kT0;
  e.description = test::hostile_text();
  e.tenant_id = "t";
  e.tactics = {"A=B", "C\\D"};
  e.add_entity(EntityType::user).name = "=start";
  e.add_entity(EntityType::file).path = "C:\\dir\\";
  const std::string R(kReplacement);
  EXPECT_EQ(extension_of(cef(e)),
            "rt=1714558830456 deviceExternalId=id-1 "
            "msg=pipe| back\\\\slash eq\\=ual cr\\rlf\\nnul tab esc  del  bad" +
                R + R + "( trunc" + R + R +
                " ok\xc3\xa9 end "
                "suser=\\=start filePath=C:\\\\dir\\\\ cs1=t cs1Label=TenantId "
                "cs3=A\\=B,C\\\\D cs3Label=MitreTactics");
  const std::string line = cef(e);
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 && byte != 0x7F) << "raw control byte " << int(byte);
  }
}

TEST(CefEncoder, MegabyteFieldsAreTruncatedVisiblyAndCounted) {
  Event e = minimal_alert();
  const std::string huge(1 << 20, 'x');
  e.description = huge;
  e.title = huge;
  EncodeStats stats;
  const std::string line = cef(e, {}, &stats);
  EXPECT_EQ(stats.truncated_fields, 2u);
  EXPECT_EQ(line,
            "CEF:0|Microsoft|Product|1.0|alert|" + std::string(509, 'x') + std::string(kMarker) +
                "|8|deviceExternalId=id-1 msg=" + std::string(1020, 'x') + std::string(kMarker));
}

TEST(CefEncoder, KeyLimitsCutAtCharacterBoundaries) {
  Event e = minimal_alert();
  // act allows 63 bytes: 59 + "€" (3) + "z" fits exactly; one more byte does not, and
  // the cut (60 bytes before the marker) falls inside "€", which is dropped whole.
  const std::string fits = std::string(59, 'a') + "\xe2\x82\xac" + "z";
  e.status = fits;
  EncodeStats stats;
  EXPECT_EQ(extension_of(cef(e, {}, &stats)), "deviceExternalId=id-1 act=" + fits);
  EXPECT_EQ(stats.truncated_fields, 0u);
  const std::string over = fits + "z";
  e.status = over;
  EXPECT_EQ(extension_of(cef(e, {}, &stats)),
            "deviceExternalId=id-1 act=" + std::string(59, 'a') + std::string(kMarker));
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEncoder, CustomStringLimitComesFromOptions) {
  Event e = minimal_alert();
  const std::string long_url(2000, 'u');
  e.url = long_url;
  EncodeStats stats;
  EXPECT_EQ(extension_of(cef(e, {}, &stats)),
            "deviceExternalId=id-1 cs6=" + std::string(1020, 'u') + std::string(kMarker) +
                " cs6Label=PortalUrl");
  CefOptions wide;
  wide.custom_string_limit = 4000;
  EXPECT_EQ(extension_of(cef(e, wide, &stats)),
            "deviceExternalId=id-1 cs6=" + long_url + " cs6Label=PortalUrl");
  EXPECT_EQ(stats.truncated_fields, 1u);
}

TEST(CefEncoder, DeviceExternalIdIsCutAt255AndExternalIdIsNeverUsed) {
  Event e = minimal_alert();
  const std::string id(300, '7');
  e.id = id;
  EXPECT_EQ(extension_of(cef(e)),
            "deviceExternalId=" + std::string(252, '7') + std::string(kMarker));
  for (const Event& sample : test::sample_events_of_every_kind()) {
    const std::string line = cef(sample);
    EXPECT_EQ(line.find(" externalId="), std::string::npos) << line;
    EXPECT_EQ(line.find("|externalId="), std::string::npos) << line;
  }
}

TEST(CefEncoder, AddressesAreValidatedAndIpv6GoesToC6a) {
  Event e = minimal_alert();
  e.add_entity(EntityType::ip).address = "999.1.1.1";    // not an address: skipped
  e.add_entity(EntityType::ip).address = "2001:db8::1";  // IPv6: c6a2, not src
  e.add_entity(EntityType::ip).address = "192.0.2.10";
  Entity& victim = e.add_entity(EntityType::ip);
  victim.address = "fe80::1:2";
  victim.role = "Attacked";  // roles match case-insensitively
  EXPECT_EQ(extension_of(cef(e)),
            "deviceExternalId=id-1 src=192.0.2.10 c6a2=2001:db8::1 "
            "c6a2Label=SourceIPv6Address c6a3=fe80::1:2 c6a3Label=DestinationIPv6Address");
}

TEST(CefEncoder, RolesSplitSourceAndDestinationHostsAndUsers) {
  Event e = minimal_alert();
  Entity& attacker = e.add_entity(EntityType::host);
  attacker.name = "evil-box";
  attacker.role = "attacker";
  e.add_entity(EntityType::host).name = "victim-box";
  Entity& target_user = e.add_entity(EntityType::user);
  target_user.upn = "bob@contoso.com";
  target_user.role = "destination";
  EXPECT_EQ(extension_of(cef(e)),
            "deviceExternalId=id-1 shost=evil-box dhost=victim-box dvchost=evil-box "
            "duser=bob@contoso.com");
}

TEST(CefEncoder, NumericKeysRejectValuesOutOfRange) {
  Event e = minimal_alert();
  e.add_entity(EntityType::process).id = "not-a-pid";
  e.add_entity(EntityType::process).id = "99999999999";  // > int32
  e.add_entity(EntityType::process).id = "-12";
  Entity& file = e.add_entity(EntityType::file);
  file.size = 5'000'000'000;  // fsize is int32 in Sentinel: left out
  EXPECT_EQ(extension_of(cef(e)), "deviceExternalId=id-1 spid=-12");
}

TEST(CefEncoder, ScoreValuesAcceptIntegersAndSkipNonFinite) {
  Event e = test::sample_score_change();
  e.attributes.clear();
  e.add_integer("current_score", 7);
  e.add_number("max_score", std::numeric_limits<double>::quiet_NaN());
  e.add_number("previous_score", 0.1);
  EXPECT_EQ(extension_of(cef(e)),
            "rt=1714558830456 deviceExternalId=AdminMFAV2_2024-05-01 cs2=AdminMFAV2 "
            "cs2Label=ControlName cfp1=7 cfp1Label=CurrentScore cfp4=0.1 "
            "cfp4Label=PreviousScore");
}

TEST(CefEncoder, CountsFromDoublesMustBeWholeAndInRange) {
  Event e = test::sample_compliance();
  e.attributes.clear();
  e.add_number("passed_resources", 1e300);  // out of range: skipped, not undefined
  e.add_number("failed_resources", 2.5);    // not a count
  e.add_number("skipped_resources", 12.0);  // a whole number stored as a double
  const std::string line = cef(e);
  EXPECT_EQ(line.find("cn1="), std::string::npos);
  EXPECT_EQ(line.find("cn2="), std::string::npos);
  EXPECT_NE(line.find(" cn3=12 cn3Label=SkippedResources"), std::string::npos) << line;
}

TEST(CefEncoder, AppendsWithoutClearing) {
  std::string out = "<14>";
  encode_cef(minimal_alert(), out);
  EXPECT_EQ(out, "<14>CEF:0|Microsoft|Product|1.0|alert|Title|8|deviceExternalId=id-1");
}

TEST(CefEncoder, VisitorReportsTheValuesTheEncoderWrites) {
  const Event e = test::sample_alert();
  std::string keys;
  visit_cef_fields(e, [&](const CefFieldRule& rule, const CefValue&) {
    keys += rule.key;
    keys += ' ';
  });
  EXPECT_EQ(keys,
            "rt start end deviceExternalId cat act outcome reason msg src dst dhost dvchost "
            "suser sntdom suid sproc spid fname filePath fileHash fsize request cs1 cs2 cs3 "
            "cs4 cs5 cs6 flexString1 flexString2 deviceCustomDate1 ");
}

TEST(CefEncoder, UnescapedFieldsAreWhatAParserReturns) {
  Event e = minimal_alert();
  e.description = "a=b\\c\nd";
  e.tenant_id = "t|1";
  using Fields = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(cef_fields_unescaped(e), (Fields{{"deviceExternalId", "id-1"},
                                             {"msg", "a=b\\c\nd"},
                                             {"cs1", "t|1"},
                                             {"cs1Label", "TenantId"}}));
  EXPECT_EQ(extension_of(cef(e)),
            "deviceExternalId=id-1 msg=a\\=b\\\\c\\nd cs1=t|1 cs1Label=TenantId");
}

}  // namespace
}  // namespace secfeed
