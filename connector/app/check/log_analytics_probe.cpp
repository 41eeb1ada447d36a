#include "connector/app/check/failure_text.hpp"
#include "connector/app/check/probes.hpp"

namespace secfeed::check {
namespace {

// The action first, the API's answer after.
std::string explain(const net::HttpResult& result, const TenantConfig& tenant) {
  const std::string answer = " (" + describe_http_status(result) + ")";
  switch (result.status) {
    case 401:
      return "the token was refused: check the sink's tenant and scope" + answer;
    case 403:
      return "grant Monitoring Metrics Publisher on the DCR to the app (client " +
             tenant.client_id + ")" + answer;
    case 404:
      return "no such DCR or stream at this endpoint: check endpoint, dcr_immutable_id and "
             "the stream name" +
             answer;
    default:
      return describe_http_status(result);
  }
}

boost::asio::awaitable<CheckRow> probe(CheckContext& context, const LogAnalyticsSinkConfig& sink,
                                       const TenantConfig& tenant, std::string scope,
                                       CheckRow row) {
  const TokenOutcome token = co_await fetch_token(context, tenant, scope);
  if (!token.ok()) {
    row.status = CheckStatus::fail;
    row.detail = "token for " + scope + ": " + token.failure;
    co_return row;
  }
  std::string base = sink.endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  net::HttpHeaders headers;
  headers.add("Authorization", "Bearer " + token.access_token);
  headers.add("Content-Type", "application/json");
  // An empty batch: authentication and authorization are checked, nothing is ingested.
  const net::HttpResult result =
      co_await send_request(context, "POST",
                            base + "/dataCollectionRules/" + sink.dcr_immutable_id + "/streams/" +
                                row.target + "?api-version=2023-01-01",
                            std::move(headers), "[]");
  if (!result.transport_ok()) {
    row.status = CheckStatus::fail;
    row.detail = describe_transport_failure(result);
  } else if (result.success()) {
    row.detail = "HTTP " + std::to_string(result.status) + " (empty batch accepted)";
  } else if (result.status == 400) {
    // Past authentication and authorization; only the (empty) body was refused.
    row.detail = "authorized; the empty test batch was refused: " + describe_http_status(result);
  } else {
    row.status = CheckStatus::fail;
    row.detail = explain(result, tenant);
  }
  co_return row;
}

}  // namespace

void check_log_analytics_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report) {
  const LogAnalyticsSinkConfig& settings = std::get<LogAnalyticsSinkConfig>(sink.settings);
  std::vector<std::string> streams;
  for (const std::string& stream : {settings.stream_alerts, settings.stream_posture}) {
    if (!stream.empty() && std::find(streams.begin(), streams.end(), stream) == streams.end()) {
      streams.push_back(stream);
    }
  }
  const TenantConfig* tenant = context.config.find_tenant(settings.tenant);
  for (const std::string& stream : streams) {
    CheckRow row{"sink " + sink.name, stream, CheckStatus::ok, ""};
    if (tenant == nullptr) {
      row.status = CheckStatus::fail;
      row.detail = "no tenant configured for the token (set the sink's tenant)";
      report.add(std::move(row));
      continue;
    }
    const std::string scope = settings.scope.empty()
                                  ? context.config.endpoints(tenant->cloud).monitor_scope
                                  : settings.scope;
    report.add(context.run<CheckRow>([&context, &settings, tenant, &scope, &row] {
      return probe(context, settings, *tenant, scope, std::move(row));
    }));
  }
}

}  // namespace secfeed::check
