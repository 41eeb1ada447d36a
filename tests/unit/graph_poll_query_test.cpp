// First-page URLs of the Graph pollers: exact strings, percent-encoding, page limits.
#include "connector/sources/graph/graph_query.hpp"

#include <gtest/gtest.h>

#include "connector/core/time.hpp"

namespace secfeed::graph {
namespace {

std::int64_t at(const char* iso) {
  return *parse_iso8601_ms(iso);
}

TEST(GraphQuery, AlertsWindowExactUrl) {
  const GraphEndpoint& alerts = *graph_endpoint(SourceType::graph_alerts);
  EXPECT_EQ(first_page_url("https://graph.microsoft.com", alerts, at("2026-11-21T23:59:00.5Z"),
                           at("2026-11-22T08:55:00Z"), 1000),
            "https://graph.microsoft.com/v1.0/security/alerts_v2"
            "?$filter=lastUpdateDateTime%20ge%202026-11-21T23%3A59%3A00.500Z%20and%20"
            "lastUpdateDateTime%20lt%202026-11-22T08%3A55%3A00.000Z"
            "&$orderby=lastUpdateDateTime%20asc&$top=1000");
}

TEST(GraphQuery, IncidentsAndLegacyAlerts) {
  const GraphEndpoint& incidents = *graph_endpoint(SourceType::graph_incidents);
  EXPECT_EQ(first_page_url("https://graph.microsoft.us", incidents, at("2026-01-01T00:00:00Z"),
                           at("2026-01-01T01:00:00Z"), 50),
            "https://graph.microsoft.us/v1.0/security/incidents"
            "?$filter=lastUpdateDateTime%20ge%202026-01-01T00%3A00%3A00.000Z%20and%20"
            "lastUpdateDateTime%20lt%202026-01-01T01%3A00%3A00.000Z"
            "&$orderby=lastUpdateDateTime%20asc&$top=50");
  const GraphEndpoint& legacy = *graph_endpoint(SourceType::graph_legacy_alerts);
  EXPECT_EQ(first_page_url("https://127.0.0.1:8443", legacy, at("2026-01-01T00:00:00Z"),
                           at("2026-01-01T00:00:00.001Z"), 7),
            "https://127.0.0.1:8443/v1.0/security/alerts"
            "?$filter=lastModifiedDateTime%20ge%202026-01-01T00%3A00%3A00.000Z%20and%20"
            "lastModifiedDateTime%20lt%202026-01-01T00%3A00%3A00.001Z"
            "&$orderby=lastModifiedDateTime%20asc&$top=7");
}

TEST(GraphQuery, EndpointsCarryTheirNormalizerAndApi) {
  EXPECT_EQ(graph_endpoint(SourceType::graph_alerts)->payload, PayloadKind::graph_alert);
  EXPECT_EQ(graph_endpoint(SourceType::graph_incidents)->payload, PayloadKind::graph_incident);
  EXPECT_EQ(graph_endpoint(SourceType::graph_legacy_alerts)->payload,
            PayloadKind::graph_legacy_alert);
  EXPECT_EQ(graph_endpoint(SourceType::graph_incidents)->api, GraphApi::incidents);
  EXPECT_EQ(graph_endpoint(SourceType::secure_score), nullptr);
  EXPECT_EQ(graph_endpoint(SourceType::eventhub), nullptr);
}

TEST(GraphQuery, PageSizeIsClampedToTheEndpointLimit) {
  bool clamped = false;
  const GraphEndpoint& incidents = *graph_endpoint(SourceType::graph_incidents);
  EXPECT_EQ(clamp_page_size(incidents, 1000, clamped), 50);
  EXPECT_TRUE(clamped);
  EXPECT_EQ(clamp_page_size(incidents, 50, clamped), 50);
  EXPECT_FALSE(clamped);
  const GraphEndpoint& alerts = *graph_endpoint(SourceType::graph_alerts);
  EXPECT_EQ(clamp_page_size(alerts, 5000, clamped), 1000);
  EXPECT_TRUE(clamped);
  EXPECT_EQ(clamp_page_size(alerts, 0, clamped), 1);
  EXPECT_TRUE(clamped);
}

TEST(GraphQuery, BudgetsFollowTheDocumentedLimits) {
  const BudgetLimits alerts = graph_api_limits(GraphApi::alerts_v2);
  EXPECT_EQ(alerts.max_starts, 150u);
  EXPECT_EQ(alerts.window.count(), 60'000);
  const BudgetLimits score = graph_api_limits(GraphApi::secure_score);
  EXPECT_EQ(score.max_concurrent, 4u);
  EXPECT_EQ(score.max_starts, 10'000u);
  EXPECT_EQ(score.window.count(), 600'000);
}

}  // namespace
}  // namespace secfeed::graph
