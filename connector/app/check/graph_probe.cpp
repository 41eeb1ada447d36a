#include <span>

#include "connector/app/check/failure_text.hpp"
#include "connector/app/check/probes.hpp"

namespace secfeed::check {
namespace {

// A Graph endpoint a source polls and the application permission it needs
// (shared/specs/graph-security-api.md).
struct GraphEndpoint {
  std::string_view path;  // under /v1.0/security/
  std::string_view permission;
};

constexpr GraphEndpoint kAlerts[] = {{"alerts_v2", "SecurityAlert.Read.All"}};
constexpr GraphEndpoint kIncidents[] = {{"incidents", "SecurityIncident.Read.All"}};
constexpr GraphEndpoint kLegacyAlerts[] = {{"alerts", "SecurityEvents.Read.All"}};
constexpr GraphEndpoint kSecureScore[] = {
    {"secureScores", "SecurityEvents.Read.All"},
    {"secureScoreControlProfiles", "SecurityEvents.Read.All"}};

std::span<const GraphEndpoint> endpoints_of(SourceType type) {
  switch (type) {
    case SourceType::graph_alerts:
      return kAlerts;
    case SourceType::graph_incidents:
      return kIncidents;
    case SourceType::graph_legacy_alerts:
      return kLegacyAlerts;
    case SourceType::secure_score:
      return kSecureScore;
    case SourceType::eventhub:
      break;
  }
  return {};
}

const std::vector<std::string>& tenants_of(const SourceConfig& source) {
  if (const auto* poll = std::get_if<GraphPollSourceConfig>(&source.settings)) return poll->tenants;
  return std::get<SecureScoreSourceConfig>(source.settings).tenants;
}

// What a non-2xx answer means for an operator: the action first, Graph's answer after.
std::string explain(const net::HttpResult& result, const GraphEndpoint& endpoint) {
  const std::string answer = " (" + describe_http_status(result) + ")";
  switch (result.status) {
    case 401:
      return "the token was refused: check the tenant's cloud and graph_url" + answer;
    case 403:
      return "missing the Microsoft Graph application permission " +
             std::string(endpoint.permission) +
             ": add it to the app registration and grant admin consent in this tenant" + answer;
    case 404:
      return "the endpoint does not exist here (a national cloud without this API?)" + answer;
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return "Graph is throttling or unavailable: the daemon retries; try again later" + answer;
    default:
      return describe_http_status(result);
  }
}

boost::asio::awaitable<CheckRow> probe(CheckContext& context, const TenantConfig& tenant,
                                       const GraphEndpoint& endpoint, CheckRow row) {
  const TokenOutcome token = co_await fetch_token(context, tenant, graph_scope(tenant.cloud));
  if (!token.ok()) {
    row.status = CheckStatus::fail;
    row.detail = token.failure;
    co_return row;
  }
  std::string base = tenant.graph_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  net::HttpHeaders headers;
  headers.add("Authorization", "Bearer " + token.access_token);
  headers.add("Accept", "application/json");
  headers.add("Prefer", "include-unknown-enum-members");
  const net::HttpResult result = co_await send_request(
      context, "GET", base + "/v1.0/security/" + std::string(endpoint.path) + "?$top=1",
      std::move(headers), {}, &tenant);
  if (!result.transport_ok()) {
    row.status = CheckStatus::fail;
    row.detail = describe_transport_failure(result);
  } else if (!result.success()) {
    row.status = CheckStatus::fail;
    row.detail = explain(result, endpoint);
  } else {
    row.detail = "HTTP " + std::to_string(result.status) + " (" + std::string(endpoint.permission) +
                 " granted)";
  }
  co_return row;
}

}  // namespace

void check_graph_source(CheckContext& context, const SourceConfig& source, CheckReport& report) {
  for (const std::string& tenant_id : tenants_of(source)) {
    const TenantConfig* tenant = context.config.find_tenant(tenant_id);
    if (tenant == nullptr) continue;  // the loader rejects unknown tenants
    for (const GraphEndpoint& endpoint : endpoints_of(source.kind)) {
      CheckRow row{"source " + source.name,
                   tenant->name + " /security/" + std::string(endpoint.path), CheckStatus::ok, ""};
      if (!context.tenant_has_token[tenant->id]) {
        row.status = CheckStatus::skipped;
        row.detail = "no token for this tenant (see its tenant row)";
        report.add(std::move(row));
        continue;
      }
      report.add(context.run<CheckRow>([&context, tenant, &endpoint, &row] {
        return probe(context, *tenant, endpoint, std::move(row));
      }));
    }
  }
}

}  // namespace secfeed::check
