#include "config.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_util.hpp"

namespace secfeed::emulator {

std::string generated_tenant_id(int index) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012d", index);
  return text;
}

void add_generated_tenants(EmulatorConfig& config, int count, const std::string& client_id,
                           const std::string& client_secret, const std::string& certificate_path) {
  for (int i = 1; i <= count; ++i) {
    TenantConfig tenant;
    tenant.id = generated_tenant_id(i);
    tenant.client_id = client_id;
    tenant.client_secret = client_secret;
    tenant.certificate_path = certificate_path;
    config.tenants.push_back(std::move(tenant));
  }
}

std::optional<std::string> load_scenario(const std::string& path, EmulatorConfig& config) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open scenario " + path;
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document doc;
  if (doc.Parse(text.str().c_str()).HasParseError() || !doc.IsObject()) {
    return "scenario " + path + " is not a JSON object";
  }
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (auto v = json_get_int(doc, "seed")) config.seed = static_cast<std::uint64_t>(*v);
  if (auto v = json_get_int(doc, "token_lifetime_seconds")) {
    config.token_lifetime_seconds = static_cast<int>(*v);
  }
  if (auto v = json_get_int(doc, "alerts_per_tenant"))
    config.alerts_per_tenant = static_cast<int>(*v);
  if (auto v = json_get_int(doc, "history_hours")) config.history_hours = static_cast<int>(*v);
  if (auto v = json_get_int(doc, "live_interval_ms"))
    config.live_interval_ms = static_cast<int>(*v);
  if (auto v = json_get_string(doc, "streams")) config.streams_path = (folder / *v).string();
  const auto tenants = doc.FindMember("tenants");
  if (tenants == doc.MemberEnd() || !tenants->value.IsArray()) {
    return "scenario " + path + ": \"tenants\" must be an array";
  }
  for (const auto& item : tenants->value.GetArray()) {
    TenantConfig tenant;
    tenant.id = json_get_string(item, "id").value_or("");
    tenant.client_id = json_get_string(item, "client_id").value_or("");
    tenant.client_secret = json_get_string(item, "client_secret").value_or("");
    if (auto cert = json_get_string(item, "certificate")) {
      tenant.certificate_path = (folder / *cert).string();
    }
    if (auto alerts = json_get_int(item, "alerts")) tenant.alerts = static_cast<int>(*alerts);
    if (tenant.id.empty() || tenant.client_id.empty()) {
      return "scenario " + path + ": every tenant needs \"id\" and \"client_id\"";
    }
    config.tenants.push_back(std::move(tenant));
  }
  return std::nullopt;
}

std::optional<std::string> load_certificates(EmulatorConfig& config) {
  for (auto& tenant : config.tenants) {
    if (tenant.certificate_path.empty()) continue;
    std::string error;
    tenant.certificate = ClientCertificate::load(tenant.certificate_path, error);
    if (!tenant.certificate) return error;
  }
  return std::nullopt;
}

}  // namespace secfeed::emulator
