#include "connector/sources/graph/graph_query.hpp"

#include <algorithm>

#include "connector/core/time.hpp"
#include "connector/net/url.hpp"

namespace secfeed::graph {

const GraphEndpoint* graph_endpoint(SourceType type) {
  static constexpr GraphEndpoint kAlerts{"/v1.0/security/alerts_v2", "lastUpdateDateTime", 1000,
                                         PayloadKind::graph_alert, GraphApi::alerts_v2};
  static constexpr GraphEndpoint kIncidents{"/v1.0/security/incidents", "lastUpdateDateTime", 50,
                                            PayloadKind::graph_incident, GraphApi::incidents};
  // The deprecated API names its version timestamp lastModifiedDateTime.
  static constexpr GraphEndpoint kLegacy{"/v1.0/security/alerts", "lastModifiedDateTime", 1000,
                                         PayloadKind::graph_legacy_alert, GraphApi::legacy_alerts};
  switch (type) {
    case SourceType::graph_alerts:
      return &kAlerts;
    case SourceType::graph_incidents:
      return &kIncidents;
    case SourceType::graph_legacy_alerts:
      return &kLegacy;
    case SourceType::secure_score:
    case SourceType::eventhub:
      break;
  }
  return nullptr;
}

int clamp_page_size(const GraphEndpoint& endpoint, int requested, bool& clamped) {
  const int size = std::clamp(requested, 1, endpoint.max_page_size);
  clamped = size != requested;
  return size;
}

std::string first_page_url(std::string_view base, const GraphEndpoint& endpoint,
                           std::int64_t start_ms, std::int64_t end_ms, int page_size) {
  std::string filter;
  filter.append(endpoint.time_field).append(" ge ");
  append_iso8601_ms(filter, start_ms);
  filter.append(" and ").append(endpoint.time_field).append(" lt ");
  append_iso8601_ms(filter, end_ms);
  std::string orderby(endpoint.time_field);
  orderby += " asc";

  std::string url(base);
  url.append(endpoint.path).append("?$filter=");
  net::append_form_encoded(url, filter);
  url += "&$orderby=";
  net::append_form_encoded(url, orderby);
  url += "&$top=" + std::to_string(page_size);
  return url;
}

}  // namespace secfeed::graph
