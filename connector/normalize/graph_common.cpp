#include "connector/normalize/graph_common.hpp"

#include <charconv>
#include <string>

#include "connector/core/text.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed {
namespace {

struct ProductName {
  std::string_view service_source;
  std::string_view product;
};
// serviceSource members of microsoft.graph.security.serviceSource (plus the ones seen
// in live data), named as Microsoft's product pages name them today.
constexpr ProductName kProductNames[] = {
    {"microsoftDefenderForEndpoint", "Microsoft Defender for Endpoint"},
    {"microsoftDefenderForIdentity", "Microsoft Defender for Identity"},
    {"microsoftDefenderForCloudApps", "Microsoft Defender for Cloud Apps"},
    {"microsoftDefenderForOffice365", "Microsoft Defender for Office 365"},
    {"microsoft365Defender", "Microsoft 365 Defender"},
    {"azureAdIdentityProtection", "Microsoft Entra ID Protection"},
    {"microsoftAppGovernance", "Microsoft App Governance"},
    {"dataLossPrevention", "Microsoft Purview Data Loss Prevention"},
    {"microsoftDefenderForCloud", "Microsoft Defender for Cloud"},
    {"microsoftSentinel", "Microsoft Sentinel"},
    {"microsoftInsiderRiskManagement", "Microsoft Purview Insider Risk Management"},
    {"microsoftThreatIntelligence", "Microsoft Threat Intelligence"},
};

// MITRE ATT&CK Enterprise tactics, in the spelling Graph and Sentinel use.
constexpr std::string_view kTactics[] = {
    "Reconnaissance", "ResourceDevelopment",
    "InitialAccess",  "Execution",
    "Persistence",    "PrivilegeEscalation",
    "DefenseEvasion", "CredentialAccess",
    "Discovery",      "LateralMovement",
    "Collection",     "CommandAndControl",
    "Exfiltration",   "Impact",
};

bool is_separator(char c) {
  return c == ' ' || c == '_' || c == '-';
}

// Case-insensitive equality that skips separators in `text` ("Initial access").
bool tactic_equals(std::string_view text, std::string_view tactic) {
  std::size_t t = 0;
  for (const char c : text) {
    if (is_separator(c)) continue;
    if (t == tactic.size() || ascii_lower(c) != ascii_lower(tactic[t])) return false;
    ++t;
  }
  return t == tactic.size();
}

}  // namespace

std::string_view product_name_from_service_source(std::string_view service_source) {
  for (const ProductName& entry : kProductNames) {
    if (iequals(entry.service_source, service_source)) return entry.product;
  }
  return service_source;
}

std::string_view mitre_tactic_name(std::string_view text) {
  if (text.empty() || text.size() > 40) return {};
  for (const std::string_view tactic : kTactics) {
    if (tactic_equals(text, tactic)) return tactic;
  }
  return {};
}

void add_tactic_if_known(std::string_view text, std::vector<std::string_view>& tactics) {
  const std::string_view tactic = mitre_tactic_name(text);
  if (tactic.empty()) return;
  for (const std::string_view existing : tactics) {
    if (existing == tactic) return;
  }
  tactics.push_back(tactic);
}

void read_user_account(ObjectReader& account, Entity& user) {
  user.name = account.string("accountName");
  user.domain = account.string("domainName");
  user.upn = account.string("userPrincipalName");
  user.sid = account.string("userSid");
  user.id = account.string("azureAdUserId");
  user.display_name = account.string("displayName");
}

void read_string_array(ObjectReader& reader, std::string_view key,
                       std::vector<std::string_view>& out) {
  for_each_string(reader, key, [&](std::string_view text) { out.push_back(text); });
}

std::string_view read_first_string(ObjectReader& reader, std::string_view key) {
  std::string_view first;
  for_each_string(reader, key, [&](std::string_view text) {
    if (first.empty()) first = text;
  });
  return reader.failed() ? std::string_view{} : first;
}

std::optional<std::int64_t> read_array_size(ObjectReader& reader, std::string_view key) {
  const rapidjson::Value* list = reader.array(key);
  if (list == nullptr) return std::nullopt;
  return static_cast<std::int64_t>(list->Size());
}

std::string_view read_id_text(ObjectReader& reader, std::string_view key, Arena& arena) {
  const rapidjson::Value* value = reader.find(key);
  if (value == nullptr) return {};
  if (value->IsString()) return json_string(*value);
  if (value->IsInt64() || value->IsUint64()) {
    char digits[24];
    const std::to_chars_result end =
        value->IsInt64() ? std::to_chars(digits, digits + sizeof digits, value->GetInt64())
                         : std::to_chars(digits, digits + sizeof digits, value->GetUint64());
    return arena.store({digits, static_cast<std::size_t>(end.ptr - digits)});
  }
  reader.fail(key, std::string("expected a string or an integer, got ") +
                       std::string(value->IsNumber() ? std::string_view("a fractional number")
                                                     : json_type_name(*value)));
  return {};
}

void add_json_attribute(ObjectReader& reader, std::string_view key, std::string_view attribute_key,
                        Event& event, Arena& arena) {
  const rapidjson::Value* value = reader.find(key);
  if (value == nullptr) return;
  if (!value->IsObject() && !value->IsArray()) {
    reader.fail(key, std::string("expected an object or an array, got ") +
                         std::string(json_type_name(*value)));
    return;
  }
  event.add_json(attribute_key, json_text(*value, arena));
}

void add_string_if_present(Event& event, std::string_view key, std::string_view value) {
  if (!value.empty()) event.add_string(key, value);
}

}  // namespace secfeed
