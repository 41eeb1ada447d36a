// What differs between the Graph pollers (endpoint, timestamp field, page limit,
// normalizer) and the first-page URL of a polling window.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connector/core/config.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/sources/graph/graph_budgets.hpp"

namespace secfeed::graph {

struct GraphEndpoint {
  std::string_view path;        // "/v1.0/security/alerts_v2"
  std::string_view time_field;  // the version timestamp filtered and ordered on
  int max_page_size;            // Graph's $top limit (incidents answer 400 above 50)
  PayloadKind payload;
  GraphApi api;
};

// graph_alerts, graph_incidents, graph_legacy_alerts; nullptr for other source types.
const GraphEndpoint* graph_endpoint(SourceType type);

// `requested` clamped to [1, endpoint.max_page_size]; `clamped` tells whether it moved.
int clamp_page_size(const GraphEndpoint& endpoint, int requested, bool& clamped);

// The first page of the window [start_ms, end_ms), oldest version first:
//   <base><path>?$filter=<field> ge <start> and <field> lt <end>&$orderby=<field> asc&$top=<n>
// Timestamps are ISO 8601 UTC with milliseconds; the $filter and $orderby values are
// percent-encoded (spaces as %20, ':' as %3A). `base` has no trailing slash.
std::string first_page_url(std::string_view base, const GraphEndpoint& endpoint,
                           std::int64_t start_ms, std::int64_t end_ms, int page_size);

}  // namespace secfeed::graph
