// The secure_score source against a fake Graph: backfill without trend events, restart
// from the state store, the adaptive $top that never skips days, score_change against
// the stored previous day, and control_profile events only for changed profiles.
#include "connector/sources/secure_score/secure_score_source.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/state_store.hpp"
#include "connector/core/time.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "tests/unit/support/scripted_sink.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr const char* kTenant = "00000000-0000-4000-8000-000000000001";

// The pinned wall clock: 2026-03-15T12:00:00Z.
constexpr std::int64_t kNowMs = 1'773'576'000'000;

// yyyy-mm-dd of the pinned today + offset days (UTC).
std::string day(int offset) {
  return format_iso8601_ms(kNowMs + std::int64_t{offset} * 86'400'000).substr(0, 10);
}

// A fake tenant: daily scores of two controls (A max 10, B max 5) and their profiles.
struct FakeGraph {
  std::map<std::string, std::pair<double, double>> days;  // date -> (A, B)
  std::string profile_a_title = "Control A";
  std::vector<std::string> urls;

  std::string scores(int top) const {
    std::string body = R"({"value":[)";
    int n = 0;
    for (auto it = days.rbegin(); it != days.rend() && n < top; ++it, ++n) {
      const auto& [date, s] = *it;
      if (n > 0) body += ',';
      body += R"({"id":")" + std::string(kTenant) + "_" + date + R"(","azureTenantId":")" +
              kTenant + R"(","createdDateTime":")" + date + R"(T00:00:00Z","currentScore":)" +
              std::to_string(s.first + s.second) + R"(,"maxScore":15,"controlScores":[)" +
              R"({"controlName":"A","controlCategory":"Identity","score":)" +
              std::to_string(s.first) + R"(},{"controlName":"B","score":)" +
              std::to_string(s.second) + "}]}";
    }
    return body + "]}";
  }
  std::string profiles() const {
    return R"({"value":[{"id":"A","title":")" + profile_a_title +
           R"(","maxScore":10,"rank":3},{"id":"B","title":"Control B","maxScore":5,"rank":40}]})";
  }
  graph::GraphResponse answer(const std::string& url) {
    urls.push_back(url.substr(url.find("/v1.0/")));
    graph::GraphResponse r;
    r.ok = true;
    r.status = 200;
    r.attempts = 1;
    r.attempt_statuses = {200};
    const auto top = url.find("$top=");
    r.body = top == std::string::npos ? profiles() : scores(std::stoi(url.substr(top + 5)));
    return r;
  }
};

class SecureScoreSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-secure-score-XXXXXX";
    dir_ = mkdtemp(dir_template);
    std::string error;
    state_ = StateStore::open(dir_, error);
    ASSERT_TRUE(state_) << error;
    tenant_.id = kTenant;
    tenant_.name = "Contoso";
  }
  void TearDown() override {
    state_.reset();
    std::filesystem::remove_all(dir_);
  }

  // One daemon run: until `expected` events are delivered, then a clean stop. Returns
  // the delivered ids (kind-prefixed by the caller's reading of ids).
  std::vector<std::string> run(std::size_t expected) {
    asio::io_context io;
    DeadLetterOutput dead(dir_ + "/dead.jsonl");
    Pipeline pipeline(io.get_executor(), dead);
    SinkOptions sink_options;
    sink_options.name = "out";
    auto sink = std::make_unique<testing::ScriptedSink>(io.get_executor(), sink_options, &dead);
    testing::ScriptedSink* out = sink.get();
    pipeline.add_sink(std::move(sink));

    SecureScoreSourceOptions options;
    options.name = "score";
    options.settings.backfill_days = 3;
    options.settings.score_drop_threshold = 1;
    options.commit_interval = milliseconds(5);
    options.now_ms = [] { return kNowMs; };
    graph::GraphTenant tenant;
    tenant.config = &tenant_;
    tenant.graph_url = "https://graph.test";
    options.tenants.push_back(tenant);
    options.fetch = [this](const graph::GraphTenant&,
                           std::string url) -> asio::awaitable<graph::GraphResponse> {
      co_return graph_.answer(url);
    };
    SecureScoreSource source(io.get_executor(), pipeline, *state_, std::move(options));
    std::string error;
    EXPECT_TRUE(source.start(error)) << error;
    pipeline.start();
    bool stopped = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await source.run();
          co_await pipeline.stop();
          stopped = true;
        },
        asio::detached);
    asio::steady_timer poll(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          // Wait for the expected events, then a little longer: extras would show up.
          while (out->delivered.size() < expected) {
            poll.expires_after(milliseconds(5));
            co_await poll.async_wait(asio::use_awaitable);
          }
          poll.expires_after(milliseconds(50));
          co_await poll.async_wait(asio::use_awaitable);
          source.stop_fetching();
        },
        asio::detached);
    io.run_for(std::chrono::seconds(20));
    source.finish();
    EXPECT_TRUE(stopped);
    return out->delivered;
  }

  static std::size_t count_suffix(const std::vector<std::string>& ids, std::string_view suffix) {
    std::size_t n = 0;
    for (const std::string& id : ids) n += id.ends_with(suffix);
    return n;
  }

  std::string dir_;
  std::unique_ptr<StateStore> state_;
  TenantConfig tenant_;
  FakeGraph graph_;
};

TEST_F(SecureScoreSourceTest, BackfillRestartAndNewDays) {
  const std::string t = std::string(kTenant) + "_";
  // History: B falls on the newest backfilled day, which is history (no score_change).
  graph_.days = {{day(-3), {10, 5}}, {day(-2), {10, 5}}, {day(-1), {10, 0}}};
  std::vector<std::string> ids = run(3 * 3 + 2);
  ASSERT_EQ(ids.size(), 11u);
  EXPECT_EQ(ids[0], "A");  // the profiles first
  EXPECT_EQ(ids[1], "B");
  EXPECT_EQ(ids[2], t + day(-3));
  EXPECT_EQ(ids[3], t + day(-3) + "_A");
  EXPECT_EQ(ids[10], t + day(-1) + "_B");
  EXPECT_EQ(count_suffix(ids, "_regression") + count_suffix(ids, "_score_drop"), 0u);
  EXPECT_EQ(graph_.urls, (std::vector<std::string>{"/v1.0/security/secureScoreControlProfiles",
                                                   "/v1.0/security/secureScores?$top=3"}));

  // Restart with one new day where A falls to 0: the trend baseline is the stored
  // newest day; $top = days since the checkpoint + 1.
  graph_.urls.clear();
  graph_.days[day(0)] = {0, 0};
  ids = run(3 + 2);
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[0], t + day(0));
  EXPECT_EQ(ids[3], t + day(0) + "_score_drop");  // 10 -> 0 of 15
  EXPECT_EQ(ids[4], t + day(0) + "_A_regression");
  EXPECT_EQ(graph_.urls, (std::vector<std::string>{"/v1.0/security/secureScoreControlProfiles",
                                                   "/v1.0/security/secureScores?$top=2"}));

  // Three more days between two polls and one changed profile: $top doubles until the
  // answer reaches the checkpoint; only the changed profile is emitted.
  graph_.urls.clear();
  graph_.days[day(1)] = {0, 0};
  graph_.days[day(2)] = {0, 0};
  graph_.days[day(3)] = {10, 5};
  graph_.profile_a_title = "Control A, reworded";
  ids = run(1 + 3 * 3);
  ASSERT_EQ(ids.size(), 10u);
  EXPECT_EQ(ids[0], "A");
  EXPECT_EQ(ids[1], t + day(1));
  EXPECT_EQ(ids[7], t + day(3));
  EXPECT_EQ(count_suffix(ids, "_regression") + count_suffix(ids, "_score_drop"), 0u);
  EXPECT_EQ(graph_.urls, (std::vector<std::string>{"/v1.0/security/secureScoreControlProfiles",
                                                   "/v1.0/security/secureScores?$top=2",
                                                   "/v1.0/security/secureScores?$top=4"}));

  // Nothing new: nothing delivered (run() needs 0 events, then waits 50 ms for extras).
  graph_.urls.clear();
  EXPECT_TRUE(run(0).empty());
}

}  // namespace
}  // namespace secfeed
