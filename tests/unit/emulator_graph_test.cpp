// The emulator's Graph data model and collection endpoint: deterministic data, exact
// ground truth, gap-free snapshot paging and the documented $top limits.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "tests/emulators/graph_api.hpp"
#include "tests/emulators/graph_model.hpp"

namespace secfeed::emulator {
namespace {

constexpr Ticks kNow = 1'700'000'000LL * kTicksPerSecond;

TenantGraph make_graph(int alerts) {
  TenantGraph graph("tenant-a", 42);
  graph.generate_history(alerts, kNow, 24 * kTicksPerHour);
  return graph;
}

Request get(std::vector<Header> query) {
  Request request;
  request.method = "GET";
  request.path = "/v1.0/security/alerts_v2";
  request.query = std::move(query);
  request.headers = {{"Host", "127.0.0.1:8443"}};
  request.request_id = "req-1";
  request.client_request_id = "client-1";
  return request;
}

// Query parameters of an @odata.nextLink.
std::vector<Header> next_query(const rapidjson::Document& page) {
  const std::string link = page["@odata.nextLink"].GetString();
  std::vector<Header> query;
  std::string_view rest = std::string_view(link).substr(link.find('?') + 1);
  while (!rest.empty()) {
    const std::string_view part = rest.substr(0, rest.find('&'));
    rest = part.size() == rest.size() ? std::string_view() : rest.substr(part.size() + 1);
    const std::size_t eq = part.find('=');
    std::string value(part.substr(eq + 1));
    for (std::size_t p; (p = value.find("%20")) != std::string::npos;) value.replace(p, 3, " ");
    query.emplace_back(std::string(part.substr(0, eq)), value);
  }
  return query;
}

TEST(EmulatorGraphModel, SameSeedSameData) {
  const TenantGraph a = make_graph(50);
  const TenantGraph b = make_graph(50);
  ASSERT_EQ(a.alerts().size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(a.alerts()[i].id, b.alerts()[i].id);
  EXPECT_EQ(a.alert_ground_truth(kNow), b.alert_ground_truth(kNow));
}

TEST(EmulatorGraphModel, DelayedVersionsJoinTheGroundTruthWhenVisible) {
  TenantGraph graph = make_graph(20);
  const auto before = graph.alert_ground_truth(kNow);
  graph.add_alerts(3, kNow, 5 * kTicksPerMinute);
  EXPECT_EQ(graph.alert_ground_truth(kNow + kTicksPerMinute), before);
  EXPECT_EQ(graph.alert_ground_truth(kNow + 5 * kTicksPerMinute + 3).size(), before.size() + 3);
  EXPECT_EQ(graph.alerts().back().at(kNow + kTicksPerMinute), nullptr);
}

TEST(EmulatorGraphApi, PagingIsGapFreeWhileAlertsChange) {
  TenantGraph graph = make_graph(120);
  std::set<std::string> seen;
  std::vector<Header> query = {{"$top", "50"}, {"$orderby", "lastUpdateDateTime asc"}};
  int pages = 0;
  for (;; ++pages) {
    Response response;
    serve_collection(Collection::alerts_v2, graph, get(query), kNow + pages, false, response);
    ASSERT_EQ(response.status, 200) << response.body;
    rapidjson::Document page;
    page.Parse(response.body.c_str());
    for (const auto& alert : page["value"].GetArray()) seen.insert(alert["id"].GetString());
    // New alerts and updates after the first page must not shift later pages.
    graph.add_alerts(7, kNow + pages, 0);
    graph.add_updates(30, kNow + pages, 0);
    if (!page.HasMember("@odata.nextLink")) break;
    query = next_query(page);
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen.size(), 120u);
}

TEST(EmulatorGraphApi, TopAboveTheLimitIs400) {
  const TenantGraph graph = make_graph(5);
  Response response;
  auto request = get({{"$top", "51"}});
  serve_collection(Collection::incidents, graph, request, kNow, false, response);
  EXPECT_EQ(response.status, 400);
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  EXPECT_STREQ(body["error"]["message"].GetString(),
               "The limit of '50' for Top query has been exceeded. The value from the incoming "
               "request is '51'.");
  EXPECT_STREQ(body["error"]["innerError"]["request-id"].GetString(), "req-1");
  EXPECT_STREQ(body["error"]["innerError"]["client-request-id"].GetString(), "client-1");
}

TEST(EmulatorGraphApi, ForgedSkiptokenIs400) {
  const TenantGraph graph = make_graph(5);
  for (const char* token : {"", "!!", "czE6", "czE6MTo", "czE6OTk5OTk5OTk5OTk5OTk5OTk6MA"}) {
    Response response;
    serve_collection(Collection::alerts_v2, graph, get({{"$skiptoken", token}}), kNow, false,
                     response);
    EXPECT_EQ(response.status, 400) << token;
  }
}

TEST(EmulatorGraphApi, IncidentGroundTruthMatchesTheListing) {
  const TenantGraph graph = make_graph(60);
  std::set<std::string> truth_ids;
  for (const auto& [id, time] : graph.incident_ground_truth(kNow)) truth_ids.insert(id);
  Response response;
  serve_collection(Collection::incidents, graph, get({{"$top", "50"}}), kNow, false, response);
  rapidjson::Document page;
  page.Parse(response.body.c_str());
  EXPECT_EQ(page["value"].Size(), std::min<std::size_t>(50, truth_ids.size()));
  for (const auto& incident : page["value"].GetArray()) {
    EXPECT_TRUE(truth_ids.count(incident["id"].GetString())) << incident["id"].GetString();
  }
}

}  // namespace
}  // namespace secfeed::emulator
