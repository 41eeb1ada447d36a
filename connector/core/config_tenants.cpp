// tenants[] and the cloud endpoint table.
#include <algorithm>

#include "connector/core/config_loader_internal.hpp"
#include "connector/core/text.hpp"

namespace secfeed {

CloudEndpoints default_cloud_endpoints(Cloud cloud) {
  const CloudHosts& hosts = cloud_hosts(cloud);
  return {"https://" + std::string(hosts.login_host), "https://" + std::string(hosts.graph_host),
          monitor_scope(cloud), std::string(hosts.servicebus_suffix)};
}

const TenantConfig* Config::find_tenant(std::string_view id) const {
  for (const TenantConfig& tenant : tenants) {
    if (iequals(tenant.id, id)) return &tenant;
  }
  return nullptr;
}

const CloudEndpoints& Config::endpoints(Cloud cloud) const {
  for (const auto& [name, endpoints] : clouds) {
    if (name == cloud) return endpoints;
  }
  static const CloudEndpoints fallback = default_cloud_endpoints(Cloud::global);
  return fallback;
}

namespace config_detail {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_guid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

bool is_domain(std::string_view text) {
  if (text.find('.') == std::string_view::npos || text.front() == '.' || text.back() == '.') {
    return false;
  }
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

CertificateCredential read_certificate(MapReader& reader) {
  CertificateCredential cert;
  cert.cert_file = reader.string_or("cert_file", "");
  cert.key_file = reader.string_or("key_file", "");
  auto key_password = reader.secret("key_password");
  cert.pfx_file = reader.string_or("pfx_file", "");
  auto pfx_password = reader.secret("pfx_password");
  cert.algorithm = reader.choice_or<JwtAlgorithm>("algorithm", kJwtAlgorithmNames, cert.algorithm);
  const bool pem = !cert.cert_file.empty() || !cert.key_file.empty();
  if (pem && !cert.pfx_file.empty()) {
    reader.fail("pfx_file", "give either cert_file + key_file or pfx_file, not both");
  }
  if (!pem && cert.pfx_file.empty()) {
    reader.fail_here("expected cert_file + key_file (PEM) or pfx_file (PKCS#12)");
  }
  if (pem && cert.cert_file.empty()) reader.fail("cert_file", "required with key_file");
  if (pem && cert.key_file.empty()) reader.fail("key_file", "required with cert_file");
  if (key_password && !pem) reader.fail("key_password", "applies to key_file only");
  if (pfx_password && pem) reader.fail("pfx_password", "applies to pfx_file only");
  if (key_password) cert.key_password = std::move(*key_password);
  if (pfx_password) cert.pfx_password = std::move(*pfx_password);
  return cert;
}

void read_tenant(MapReader& reader, Config& config) {
  TenantConfig tenant;
  tenant.id = reader.required_string("id");
  if (!is_guid(tenant.id) && !is_domain(tenant.id)) {
    reader.fail("id", "expected a tenant GUID or domain (contoso.onmicrosoft.com), got " +
                          quote_value(tenant.id));
  }
  if (config.find_tenant(tenant.id) != nullptr) {
    reader.fail("id", "duplicate tenant id " + quote_value(tenant.id));
  }
  tenant.name = reader.string_or("name", tenant.id);
  tenant.cloud = reader.choice_or<Cloud>("cloud", kCloudNames, Cloud::global);
  tenant.client_id = reader.required_string("client_id");
  if (!is_guid(tenant.client_id)) {
    reader.fail("client_id", "expected the application (client) id, a GUID, got " +
                                 quote_value(tenant.client_id));
  }
  auto secret = reader.secret("client_secret");
  auto certificate = reader.map("certificate");
  if (secret && certificate) {
    reader.fail("certificate", "give either client_secret or certificate, not both");
  }
  if (secret) {
    tenant.credential = CredentialKind::client_secret;
    tenant.client_secret = std::move(*secret);
  } else if (certificate) {
    tenant.credential = CredentialKind::certificate;
    tenant.certificate = read_certificate(*certificate);
    certificate->finish();
  } else {
    reader.fail_here("a credential is required: client_secret, client_secret_file or certificate");
  }
  const CloudEndpoints& endpoints = config.endpoints(tenant.cloud);
  tenant.login_url = read_https_url(reader, "login_url").value_or(endpoints.login_url);
  tenant.graph_url = read_https_url(reader, "graph_url").value_or(endpoints.graph_url);
  tenant.ca_file = reader.string_or("ca_file", config.tls.ca_file);
  config.tenants.push_back(std::move(tenant));
}

void read_cloud_overrides(MapReader& root, Config& config) {
  for (const auto& entry : kCloudNames) {
    config.clouds.emplace_back(entry.value, default_cloud_endpoints(entry.value));
  }
  auto clouds = root.map("clouds");
  if (!clouds) return;
  for (auto& [cloud, endpoints] : config.clouds) {
    auto section = clouds->map(enum_name<Cloud>(kCloudNames, cloud));
    if (!section) continue;
    endpoints.login_url = read_https_url(*section, "login_url").value_or(endpoints.login_url);
    endpoints.graph_url = read_https_url(*section, "graph_url").value_or(endpoints.graph_url);
    endpoints.monitor_scope = section->string_or("monitor_scope", endpoints.monitor_scope);
    endpoints.servicebus_suffix =
        section->string_or("servicebus_suffix", endpoints.servicebus_suffix);
    section->finish();
  }
  clouds->finish();
}

}  // namespace

void read_tenants(MapReader& root, Config& config) {
  read_cloud_overrides(root, config);
  root.for_each_map("tenants", [&](MapReader& reader) { read_tenant(reader, config); });
}

void check_tenant_ref(MapReader& reader, std::string_view key, const std::string& id,
                      const Config& config) {
  if (config.find_tenant(id) != nullptr) return;
  std::string known;
  for (const TenantConfig& tenant : config.tenants) {
    known += known.empty() ? "" : ", ";
    known += tenant.id;
  }
  reader.fail(key, "unknown tenant " + quote_value(id) +
                       (known.empty() ? std::string(" (no tenants are configured)")
                                      : " (configured: " + known + ")"));
}

std::vector<std::string> read_tenant_refs(MapReader& reader, std::string_view key,
                                          const Config& config) {
  std::vector<std::string> ids;
  const auto refs = reader.string_list(key);
  const bool all = !refs || (refs->size() == 1 && (*refs)[0] == "all");
  if (all) {
    for (const TenantConfig& tenant : config.tenants) ids.push_back(tenant.id);
    if (ids.empty()) reader.fail(key, "needs at least one tenant; none are configured");
    return ids;
  }
  if (refs->empty()) reader.fail(key, "expected \"all\" or a list of tenant ids");
  for (const std::string& id : *refs) {
    check_tenant_ref(reader, key, id, config);
    const std::string& canonical = config.find_tenant(id)->id;
    if (std::find(ids.begin(), ids.end(), canonical) != ids.end()) {
      reader.fail(key, "tenant " + quote_value(id) + " is listed twice");
    }
    ids.push_back(canonical);
  }
  return ids;
}

}  // namespace config_detail
}  // namespace secfeed
