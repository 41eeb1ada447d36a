#include "secure_score.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "errors.hpp"
#include "graph_model.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {
namespace {

constexpr std::size_t kDaysKept = 90;
constexpr int kLicensedUsers = 250;

struct Control {
  std::string_view name;
  std::string_view category;  // Identity, Data, Device, Apps, Infrastructure
  double max_score;
  std::string_view title;
  std::string_view service;
  std::string_view action_type;
  std::string_view tier;
  std::string_view cost;
  std::string_view user_impact;
  std::string_view threat;
};

constexpr std::array<Control, 15> kControls{{
    {"AdminMFAV2", "Identity", 10,
     "Ensure multifactor authentication is enabled for all users in administrative roles",
     "AzureAD", "Config", "Core", "Low", "Low", "Password Cracking"},
    {"MFARegistrationV2", "Identity", 9, "Ensure all users can complete multifactor authentication",
     "AzureAD", "Config", "Core", "Low", "Moderate", "Account Breach"},
    {"BlockLegacyAuthentication", "Identity", 8, "Enable policy to block legacy authentication",
     "AzureAD", "Config", "Core", "Moderate", "Moderate", "Password Spray"},
    {"PWAgePolicyNew", "Identity", 8, "Do not expire passwords", "AzureAD", "Config", "Core", "Low",
     "Low", "Password Cracking"},
    {"SelfServicePasswordReset", "Identity", 1, "Enable self-service password reset", "AzureAD",
     "Config", "Defense in Depth", "Low", "Moderate", "Account Breach"},
    {"SigninRiskPolicy", "Identity", 7, "Turn on sign-in risk policy", "AzureAD", "Config", "Core",
     "Moderate", "Moderate", "Account Breach"},
    {"UserRiskPolicy", "Identity", 7, "Turn on user risk policy", "AzureAD", "Config", "Core",
     "Moderate", "Moderate", "Account Breach"},
    {"IntegratedApps", "Identity", 4,
     "Do not allow users to grant consent to unreliable applications", "AzureAD", "Config",
     "Defense in Depth", "Moderate", "Moderate", "Data Exfiltration"},
    {"OneAdmin", "Identity", 1, "Designate more than one global admin", "AzureAD", "Config", "Core",
     "Low", "Low", "Account Breach"},
    {"RoleOverlap", "Identity", 1, "Use least privileged administrative roles", "AzureAD", "Review",
     "Core", "Low", "Low", "Elevation of Privilege"},
    {"aad_admin_consent_workflow", "Identity", 1, "Turn on the admin consent workflow", "AzureAD",
     "Config", "Defense in Depth", "Low", "Low", "Data Exfiltration"},
    {"mdo_safelinksforemail", "Apps", 8, "Set up Safe Links policies for email messages", "MDO",
     "Config", "Core", "Low", "Low", "Phishing"},
    {"mdo_safeattachments", "Apps", 8, "Turn on Safe Attachments in block mode", "MDO", "Config",
     "Core", "Low", "Low", "Malware"},
    {"mip_search_auditlog", "Apps", 3, "Turn on audit data recording", "MIP", "Config", "Core",
     "Low", "Low", "Data Exfiltration"},
    {"spo_idle_session_timeout", "Data", 4, "Sign out inactive users in SharePoint Online", "SPO",
     "Config", "Defense in Depth", "Moderate", "Moderate", "Data Exfiltration"},
}};

double total(const std::vector<double>& scores) {
  double sum = 0;
  for (const double score : scores) sum += score;
  return sum;
}

double max_total() {
  double sum = 0;
  for (const Control& control : kControls) sum += control.max_score;
  return sum;
}

}  // namespace

std::size_t secure_score_control_count() {
  return kControls.size();
}

TenantSecureScore::TenantSecureScore(std::string tenant_id, std::uint64_t seed, Ticks today)
    : tenant_id_(std::move(tenant_id)), profile_revisions_(kControls.size(), 0) {
  SeededRandom random(seed);
  // 90 days ago each control was off, partly or fully on; some improve over time.
  for (const Control& control : kControls) {
    const int state = static_cast<int>(random.between(0, 2));
    current_.push_back(control.max_score * state / 2.0);
  }
  const Ticks midnight = today - ((today % kTicksPerDay) + kTicksPerDay) % kTicksPerDay;
  for (std::size_t i = kDaysKept; i-- > 0;) {
    if (random.chance(5)) {
      const auto which = static_cast<std::size_t>(random.between(0, kControls.size() - 1));
      current_[which] = kControls[which].max_score;
    }
    days_.push_back(Day{midnight - static_cast<Ticks>(i) * kTicksPerDay, current_,
                        static_cast<int>(random.between(180, 240))});
  }
}

void TenantSecureScore::next_day() {
  const Day& last = days_.back();
  days_.push_back(Day{last.midnight + kTicksPerDay, current_, last.active_users});
  while (days_.size() > kDaysKept) days_.pop_front();
}

bool TenantSecureScore::regress(std::string_view control_name) {
  for (std::size_t i = 0; i < kControls.size(); ++i) {
    if (kControls[i].name != control_name) continue;
    current_[i] = 0;
    days_.back().scores[i] = 0;
    return true;
  }
  return false;
}

bool TenantSecureScore::change_profile(std::string_view control_name) {
  for (std::size_t i = 0; i < kControls.size(); ++i) {
    if (kControls[i].name != control_name) continue;
    ++profile_revisions_[i];
    return true;
  }
  return false;
}

void TenantSecureScore::serve_scores(const Request& request, Ticks now, Response& response) const {
  std::size_t top = days_.size();
  if (const auto text = request.param("$top")) {
    int value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value < 1) {
      return set_graph_error(response, 400, "BadRequest",
                             "Invalid value '" + std::string(*text) + "' for $top.", request, now);
    }
    top = std::min(top, static_cast<std::size_t>(value));
  }
  const double max_score = max_total();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_field(w, "@odata.context",
             "https://graph.microsoft.com/v1.0/$metadata#security/secureScores");
  json_key(w, "value");
  w.StartArray();
  for (std::size_t n = 0; n < top; ++n) {
    const Day& day = days_[days_.size() - 1 - n];
    const std::string date = format_date(day.midnight);
    w.StartObject();
    json_field(w, "id", tenant_id_ + "_" + date);
    json_field(w, "azureTenantId", tenant_id_);
    json_field(w, "activeUserCount", day.active_users);
    json_field(w, "createdDateTime", date + "T00:00:00Z");
    json_field(w, "currentScore", total(day.scores));
    json_field(w, "maxScore", max_score);
    json_field(w, "licensedUserCount", kLicensedUsers);
    json_key(w, "enabledServices");
    w.StartArray();
    for (const char* service :
         {"HasExchange", "HasSharePoint", "HasOD4B", "HasMDEP", "HasAzureAD"}) {
      w.String(service);
    }
    w.EndArray();
    json_key(w, "averageComparativeScores");
    w.StartArray();
    w.StartObject();
    json_field(w, "basis", "AllTenants");
    json_field(w, "averageScore", 38.75);
    json_field(w, "appsScore", 6.2);
    json_field(w, "dataScore", 0.4);
    json_field(w, "deviceScore", 12.1);
    json_field(w, "identityScore", 20.05);
    json_field(w, "infrastructureScore", 0.0);
    w.EndObject();
    w.StartObject();
    json_field(w, "basis", "TotalSeats");
    json_field(w, "averageScore", 35.5);
    json_field(w, "seatSizeRangeLowerValue", "100");
    json_field(w, "seatSizeRangeUpperValue", "500");
    w.EndObject();
    w.EndArray();
    json_key(w, "vendorInformation");
    w.StartObject();
    json_field(w, "provider", "SecureScore");
    json_null(w, "providerVersion");
    json_null(w, "subProvider");
    json_field(w, "vendor", "Microsoft");
    w.EndObject();
    json_key(w, "controlScores");
    w.StartArray();
    for (std::size_t i = 0; i < kControls.size(); ++i) {
      const Control& control = kControls[i];
      const double score = day.scores[i];
      const double percent = std::round(score / control.max_score * 10000.0) / 100.0;
      w.StartObject();
      json_field(w, "controlCategory", control.category);
      json_field(w, "controlName", control.name);
      json_field(w, "description", control.title);
      json_field(w, "score", score);
      json_field(w, "scoreInPercentage", percent);
      json_field(w, "lastSynced", date + "T00:00:00Z");
      json_field(w, "implementationStatus",
                 score >= control.max_score ? "Completed"
                 : score > 0                ? "Partially completed"
                                            : "Not completed");
      json_field(w, "count", std::to_string(static_cast<int>(percent / 10)));
      json_field(w, "total", "10");
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  response.set_json(200, buffer.GetString());
}

void TenantSecureScore::serve_profiles(const Request& /*request*/, Response& response) const {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_field(w, "@odata.context",
             "https://graph.microsoft.com/v1.0/$metadata#security/secureScoreControlProfiles");
  json_key(w, "value");
  w.StartArray();
  int rank = 1;
  for (std::size_t i = 0; i < kControls.size(); ++i) {
    const Control& control = kControls[i];
    const int revision = profile_revisions_[i];
    w.StartObject();
    json_field(w, "id", control.name);
    json_field(w, "azureTenantId", tenant_id_);
    json_field(w, "actionType", control.action_type);
    json_field(w, "actionUrl",
               "https://security.microsoft.com/securescore?viewid=actions&control=" +
                   std::string(control.name));
    json_field(w, "controlCategory", control.category);
    json_field(w, "title", control.title);
    json_field(w, "deprecated", false);
    json_field(w, "implementationCost", control.cost);
    json_field(w, "lastModifiedDateTime",
               revision == 0 ? std::string("2024-03-01T00:00:00Z")
                             : format_datetime(parse_datetime("2024-03-01T00:00:00Z").value_or(0) +
                                               revision * kTicksPerDay));
    json_field(w, "maxScore", control.max_score);
    json_field(w, "rank", rank++);
    json_field(w, "remediation",
               "<p>" + std::string(control.title) + ".</p>" +
                   (revision == 0 ? std::string()
                                  : "<p>Revision " + std::to_string(revision) + ".</p>"));
    json_field(w, "remediationImpact", "<p>Users may notice the change.</p>");
    json_field(w, "service", control.service);
    json_key(w, "threats");
    w.StartArray();
    json_string(w, control.threat);
    w.EndArray();
    json_field(w, "tier", control.tier);
    json_field(w, "userImpact", control.user_impact);
    json_key(w, "complianceInformation");
    w.StartArray();
    w.StartObject();
    json_field(w, "certificationName", "NIST 800-53");
    json_key(w, "certificationControls");
    w.StartArray();
    w.StartObject();
    json_field(w, "name", "AC-2");
    json_field(w, "url", "https://nvd.nist.gov/800-53/Rev4/control/AC-2");
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.EndArray();
    json_empty_array(w, "controlStateUpdates");
    json_key(w, "vendorInformation");
    w.StartObject();
    json_field(w, "provider", "SecureScore");
    json_null(w, "providerVersion");
    json_null(w, "subProvider");
    json_field(w, "vendor", "Microsoft");
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  response.set_json(200, buffer.GetString());
}

}  // namespace secfeed::emulator
