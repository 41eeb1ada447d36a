// The emulator's ground truth holds exactly the versions a client could have observed:
// history superseded before start is out, each advance adds one version per alert and
// per incident, and the fault registry reports what it served.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <set>

#include "tests/emulators/faults.hpp"
#include "tests/emulators/graph_model.hpp"

namespace secfeed::emulator {
namespace {

constexpr Ticks kNow = 1'700'000'000LL * kTicksPerSecond;

TenantGraph make_graph(int alerts) {
  TenantGraph graph("tenant-a", 42);
  graph.generate_history(alerts, kNow, 24 * kTicksPerHour);
  return graph;
}

std::map<std::string, int> versions_per_id(const std::vector<VersionKey>& truth) {
  std::map<std::string, int> count;
  for (const auto& [id, time] : truth) ++count[id];
  return count;
}

TEST(EmulatorGroundTruth, HistoryShowsOnlyEachAlertsCurrentVersion) {
  const TenantGraph graph = make_graph(200);
  std::size_t with_updates = 0;
  for (const Alert& alert : graph.alerts()) with_updates += alert.versions.size() > 1;
  ASSERT_GT(with_updates, 20u);  // the history does contain superseded versions
  const auto truth = graph.alert_ground_truth(kNow);
  ASSERT_EQ(truth.size(), 200u);
  std::set<VersionKey> expected;
  for (const Alert& alert : graph.alerts()) {
    expected.emplace(alert.id, alert.versions.back().last_update);
  }
  EXPECT_EQ(std::set<VersionKey>(truth.begin(), truth.end()), expected);
  for (const auto& [id, count] : versions_per_id(graph.incident_ground_truth(kNow))) {
    EXPECT_EQ(count, 1) << id;
  }
}

TEST(EmulatorGroundTruth, AnUpdateAfterStartAddsOneVersion) {
  TenantGraph graph = make_graph(50);
  const auto before = graph.alert_ground_truth(kNow);
  const Ticks later = kNow + kTicksPerMinute;
  EXPECT_EQ(graph.advance(0, 10, later, 2 * kTicksPerSecond), 10);
  EXPECT_EQ(graph.alert_ground_truth(later + kTicksPerSecond), before);
  const auto after = graph.alert_ground_truth(later + 3 * kTicksPerSecond);
  EXPECT_EQ(after.size(), before.size() + 10);
  for (const auto& [id, count] : versions_per_id(after)) EXPECT_LE(count, 2) << id;
}

TEST(EmulatorGroundTruth, OneAdvanceIsOneIncidentVersion) {
  TenantGraph graph = make_graph(60);
  const auto before = versions_per_id(graph.incident_ground_truth(kNow));
  const Ticks later = kNow + kTicksPerMinute;
  // Many new alerts and updates in one batch: incidents get several changed members.
  graph.advance(30, 40, later, kTicksPerSecond);
  const auto after = versions_per_id(graph.incident_ground_truth(later + 2 * kTicksPerSecond));
  int changed = 0;
  for (const auto& [id, count] : after) {
    const auto old = before.find(id);
    const int grown = count - (old == before.end() ? 0 : old->second);
    EXPECT_LE(grown, 1) << id;
    changed += grown;
  }
  EXPECT_GT(changed, 10);
  // All of one batch becomes visible at the same instant.
  Ticks visible = 0;
  for (const Alert& alert : graph.alerts()) {
    const AlertVersion& last = alert.versions.back();
    if (last.last_update < later) continue;
    if (visible == 0) visible = last.visible_at;
    EXPECT_EQ(last.visible_at, visible) << alert.id;
  }
}

TEST(EmulatorGroundTruth, AlertsThatJoinNoEarlierIncidentLeaveEveryVersionCurrent) {
  TenantGraph graph = make_graph(60);
  Ticks t = kNow + kTicksPerMinute;
  for (int batch = 0; batch < 20; ++batch, t += kTicksPerSecond) {
    graph.advance(3, 0, t, kTicksPerMs, false);
  }
  // Nothing was superseded: one version per incident, each the current one.
  for (const auto& [id, count] : versions_per_id(graph.incident_ground_truth(t))) {
    EXPECT_EQ(count, 1) << id;
  }
  // Joining earlier incidents (the default) does supersede some.
  graph.advance(20, 0, t, kTicksPerMs);
  int superseded = 0;
  for (const auto& [id, count] :
       versions_per_id(graph.incident_ground_truth(t + kTicksPerSecond))) {
    superseded += count - 1;
  }
  EXPECT_GT(superseded, 0);
}

TEST(EmulatorFaults, StatusReportsRemainingAndServed) {
  FaultRegistry faults;
  ASSERT_EQ(faults.add(R"([{"path_prefix":"/v1.0/","tenant":"t1","status":429,"count":-1},
                           {"status":503,"retry_after":1,"count":2}])"),
            std::nullopt);
  EXPECT_EQ(faults.take("/v1.0/security/alerts_v2", "t1")->status, 429);
  EXPECT_EQ(faults.take("/v1.0/security/alerts_v2", "t1")->status, 429);
  EXPECT_EQ(faults.take("/v1.0/security/incidents", "t2")->status, 503);
  faults.clear();
  EXPECT_EQ(faults.take("/v1.0/security/incidents", "t2"), std::nullopt);
  ASSERT_EQ(faults.add(R"({"delay_ms":5,"count":3})"), std::nullopt);
  EXPECT_EQ(faults.take("/t2/oauth2/v2.0/token", "t2")->delay_ms, 5);

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  faults.write_status(w);
  w.EndObject();
  EXPECT_STREQ(buffer.GetString(),
               R"({"faults":1,"active":[{"path_prefix":"","delay_ms":5,"remaining":2}],)"
               R"("served":4,"served_by_tenant":{"t1":2,"t2":2}})");
}

}  // namespace
}  // namespace secfeed::emulator
