// TenantPoller and GraphPollSource against a scripted Graph (no HTTP): the window
// queries, nextLink paging, de-dup, dead-lettering of bad items, failed pages, restart
// from the committed watermark, and tenant isolation. The pipeline and its sink are
// real (ScriptedSink), as is the state store (temp dir).
#include "connector/sources/graph/graph_poll_source.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/health.hpp"
#include "connector/core/state_store.hpp"
#include "connector/core/time.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "tests/unit/support/run_process.hpp"
#include "tests/unit/support/scripted_sink.hpp"

namespace secfeed::graph {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr const char* kBase = "https://graph.test";

std::int64_t at(const char* iso) {
  return *parse_iso8601_ms(iso);
}

std::string alert(const char* id, const char* updated) {
  return std::string(R"({"id":")") + id + R"(","lastUpdateDateTime":")" + updated +
         R"(","title":"Suspicious sign-in","severity":"high"})";
}

GraphResponse page(std::vector<std::string> items, std::string next = "") {
  GraphResponse r;
  r.ok = true;
  r.status = 200;
  r.attempts = 1;
  r.attempt_statuses = {200};
  r.body = R"({"@odata.context":"https://graph.test/v1.0/$metadata#security/alerts_v2","value":[)";
  for (std::size_t i = 0; i < items.size(); ++i) r.body += (i ? "," : "") + items[i];
  r.body += "]";
  if (!next.empty()) r.body += R"(,"@odata.nextLink":")" + next + "\"";
  r.body += "}";
  return r;
}

GraphResponse failure(int status, std::string error) {
  GraphResponse r;
  r.status = status;
  r.attempts = 1;
  r.attempt_statuses = {status};
  r.auth_failure = status == 403;
  r.error = std::move(error);
  return r;
}

std::string url(const char* start, const char* end, int top = 2) {
  return first_page_url(kBase, *graph_endpoint(SourceType::graph_alerts), at(start), at(end), top);
}

class GraphPollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HealthRegistry::global().clear();
    char dir_template[] = "/tmp/secfeed-graph-poll-XXXXXX";
    dir_ = mkdtemp(dir_template);
    dead_letters_ = std::make_unique<DeadLetterOutput>(dir_ + "/dead.jsonl");
    open_store();
    pipeline_ = std::make_unique<Pipeline>(io_.get_executor(), *dead_letters_);
    SinkOptions options;
    options.name = "out";
    options.format = OutputFormat::json;
    auto sink =
        std::make_unique<testing::ScriptedSink>(io_.get_executor(), options, dead_letters_.get());
    sink_ = sink.get();
    pipeline_->add_sink(std::move(sink));
    pipeline_->start();
  }
  void TearDown() override {
    bool stopped = false;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          co_await pipeline_->stop();
          stopped = true;
        },
        asio::detached);
    run_until([&] { return stopped; });
    std::filesystem::remove_all(dir_);
  }
  void open_store() {
    store_.reset();
    std::string error;
    store_ = StateStore::open(dir_ + "/state", error);
    ASSERT_NE(store_, nullptr) << error;
  }

  // Runs the io_context until `done` (bounded: a hang fails the test, never blocks it).
  template <class Done>
  void run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(milliseconds(50));
    }
    ASSERT_TRUE(done()) << "timed out";
  }

  GraphFetch scripted() {
    return [this](std::string requested) -> asio::awaitable<GraphResponse> {
      urls_.push_back(requested);
      if (script_.empty()) co_return failure(500, "script exhausted");
      GraphResponse next = std::move(script_.front());
      script_.pop_front();
      co_return next;
    };
  }

  TenantPollerOptions options() {
    TenantPollerOptions o;
    o.source_name = "alerts";
    o.endpoint = graph_endpoint(SourceType::graph_alerts);
    o.tenant_id = "tenant-1";
    o.tenant_name = "Contoso";
    o.graph_url = kBase;
    o.interval = milliseconds(1000);
    o.lag = milliseconds(5 * 60'000);
    o.overlap = milliseconds(60'000);
    o.initial_lookback = milliseconds(3'600'000);
    o.page_size = 2;
    o.now_ms = [this] { return now_ms_; };
    return o;
  }

  std::unique_ptr<TenantPoller> make_poller() {
    return std::make_unique<TenantPoller>(io_.get_executor(), *pipeline_, *store_, workspaces_,
                                          stats_, options(), scripted());
  }

  // One round, then until every page it dispatched is delivered and committed.
  bool round(TenantPoller& poller) {
    bool done = false, completed = false;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          completed = co_await poller.poll_once();
          done = true;
        },
        asio::detached);
    run_until([&] { return done && poller.checkpoints().pages_in_flight() == 0; });
    run_until([&] { return io_.poll() == 0; });  // the posted commit
    return completed;
  }

  std::optional<std::string> watermark() { return store_->get("alerts/tenant-1", "watermark"); }
  std::string dead_letters() { return testing::read_file(dir_ + "/dead.jsonl"); }

  asio::io_context io_;
  std::string dir_;
  std::unique_ptr<DeadLetterOutput> dead_letters_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<Pipeline> pipeline_;
  testing::ScriptedSink* sink_ = nullptr;
  PageWorkspacePool workspaces_{io_.get_executor(), 2};
  std::shared_ptr<GraphPollStats> stats_ = std::make_shared<GraphPollStats>();
  std::deque<GraphResponse> script_;
  std::vector<std::string> urls_;
  std::int64_t now_ms_ = at("2026-11-22T09:00:00Z");
};

TEST_F(GraphPollTest, FirstRoundReadsTheLookbackWindowFollowsNextLinkAndCommitsTheWindowEnd) {
  const std::string next = std::string(kBase) + "/v1.0/security/alerts_v2?$skiptoken=opaque%2B1";
  script_ = {
      page({alert("a1", "2026-11-22T08:00:00.1234567Z"), alert("a2", "2026-11-22T08:10:00Z")},
           next),
      page({alert("a3", "2026-11-22T08:20:00Z")})};
  auto poller = make_poller();
  EXPECT_TRUE(round(*poller));
  EXPECT_EQ(urls_,
            (std::vector<std::string>{url("2026-11-22T08:00:00Z", "2026-11-22T08:55:00Z"), next}))
      << "window [now - lookback, now - lag); the next link is followed as is";
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(watermark(), "2026-11-22T08:55:00.000Z");
  EXPECT_EQ(store_->seen_count("alerts/tenant-1"), 0u)
      << "versions older than the next window (08:54, minus a minute's margin) need no key";
  EXPECT_EQ(stats_->pages.load(), 2u);
  EXPECT_EQ(stats_->events.load(), 3u);
  EXPECT_FALSE(poller->failing());
  EXPECT_NE(
      HealthRegistry::global().render_json().find(
          R"("kind":"source","name":"alerts","tenant":"tenant-1","ready":true,"detail":"polling")"),
      std::string::npos)
      << HealthRegistry::global().render_json();
}

TEST_F(GraphPollTest, NextRoundStartsAtWatermarkMinusOverlapAndDropsWhatWasDelivered) {
  script_ = {page({alert("a1", "2026-11-22T08:54:30Z")})};
  auto poller = make_poller();
  ASSERT_TRUE(round(*poller));
  now_ms_ = at("2026-11-22T09:10:00Z");
  script_ = {page({alert("a1", "2026-11-22T08:54:30Z"), alert("a1", "2026-11-22T09:01:00Z")})};
  ASSERT_TRUE(round(*poller));
  EXPECT_EQ(urls_.back(), url("2026-11-22T08:54:00Z", "2026-11-22T09:05:00Z"));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a1"}))
      << "the new version of a1 is delivered, the old one not again";
  EXPECT_EQ(stats_->duplicates.load(), 1u);
  EXPECT_EQ(watermark(), "2026-11-22T09:05:00.000Z");
}

TEST_F(GraphPollTest, BadItemsAreDeadLetteredAndThePageStillCommits) {
  script_ = {page({alert("a1", "2026-11-22T08:01:00Z"),
                   R"({"id":"a2","lastUpdateDateTime":"2026-11-22T08:54:30Z","title":5})",
                   R"({"id":"a3"})", alert("a4", "2026-11-22T08:54:40Z")})};
  auto poller = make_poller();
  ASSERT_TRUE(round(*poller));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a4"}));
  EXPECT_EQ(stats_->rejected.load(), 2u);
  EXPECT_EQ(watermark(), "2026-11-22T08:55:00.000Z");
  const std::string dead = dead_letters();
  EXPECT_NE(dead.find(R"("source":"alerts","sink":"","tenant_id":"tenant-1",)"
                      R"("position":"/v1.0/security/alerts_v2 value[1]",)"
                      R"("reason":"title: expected a string, got a number")"),
            std::string::npos)
      << dead;
  EXPECT_NE(dead.find(R"("position":"/v1.0/security/alerts_v2 value[2]",)"
                      R"("reason":"lastUpdateDateTime: expected an ISO 8601 timestamp")"),
            std::string::npos)
      << dead;

  // The overlap returns the bad version again: it is not dead-lettered twice.
  now_ms_ = at("2026-11-22T09:01:00Z");
  script_ = {page({R"({"id":"a2","lastUpdateDateTime":"2026-11-22T08:54:30Z","title":5})"})};
  ASSERT_TRUE(round(*poller));
  EXPECT_EQ(stats_->rejected.load(), 2u);
  EXPECT_EQ(stats_->duplicates.load(), 1u);
}

TEST_F(GraphPollTest, AFailedPageEndsTheRoundCommitsOnlyWhatCameBeforeAndRecovers) {
  const std::string next = std::string(kBase) + "/v1.0/security/alerts_v2?$skiptoken=2";
  const std::string error =
      "GET /v1.0/security/alerts_v2: 403 Forbidden: Authorization_RequestDenied: Insufficient "
      "privileges (request-id r1)";
  script_ = {page({alert("a1", "2026-11-22T08:05:00Z"), alert("a2", "2026-11-22T08:10:00Z")}, next),
             failure(403, error)};
  auto poller = make_poller();
  EXPECT_FALSE(round(*poller));
  EXPECT_TRUE(poller->failing());
  EXPECT_EQ(stats_->failed_pages.load(), 1u);
  EXPECT_EQ(stats_->failing_tenants.load(), 1u);
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(watermark(), "2026-11-22T08:10:00.000Z") << "the newest version of the last good page";
  const std::string health = HealthRegistry::global().render_json();
  EXPECT_NE(health.find(R"("tenant":"tenant-1","ready":false,"detail":")" + error + "\""),
            std::string::npos)
      << health;

  // The next round resumes from there (overlap included) and the tenant is ready again.
  script_ = {page({alert("a2", "2026-11-22T08:10:00Z"), alert("a3", "2026-11-22T08:12:00Z")})};
  EXPECT_TRUE(round(*poller));
  EXPECT_EQ(urls_.back(), url("2026-11-22T08:09:00Z", "2026-11-22T08:55:00Z"));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_FALSE(poller->failing());
  EXPECT_EQ(stats_->failing_tenants.load(), 0u);
}

TEST_F(GraphPollTest, IfGraphIgnoresOrderByOnlyTheWindowEndProvesProgress) {
  const std::string next = std::string(kBase) + "/v1.0/security/alerts_v2?$skiptoken=2";
  script_ = {page({alert("a1", "2026-11-22T08:40:00Z"), alert("a2", "2026-11-22T08:30:00Z")}, next),
             failure(500, "GET /v1.0/security/alerts_v2: 500 Internal Server Error")};
  auto poller = make_poller();
  EXPECT_FALSE(round(*poller));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a2"}));
  // Not 08:40: an unordered page proves nothing about older versions on later pages.
  // The next window starts where this one did (08:00 = this watermark - overlap).
  EXPECT_EQ(watermark(), "2026-11-22T08:01:00.000Z");
}

TEST_F(GraphPollTest, ARestartResumesFromTheCommittedWatermarkWithoutDuplicates) {
  script_ = {page({alert("a1", "2026-11-22T08:54:00Z")})};
  ASSERT_TRUE(round(*make_poller()));
  open_store();  // a new process
  now_ms_ = at("2026-11-22T09:30:00Z");
  script_ = {page({alert("a1", "2026-11-22T08:54:00Z"), alert("a2", "2026-11-22T09:20:00Z")})};
  auto restarted = make_poller();
  ASSERT_TRUE(round(*restarted));
  EXPECT_EQ(urls_.back(), url("2026-11-22T08:54:00Z", "2026-11-22T09:25:00Z"));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1", "a2"}));
}

TEST_F(GraphPollTest, AnUnusablePageIsRetriedNotDeadLettered) {
  GraphResponse truncated = page({alert("a1", "2026-11-22T08:01:00Z")});
  truncated.body.resize(truncated.body.size() / 2);
  script_ = {truncated};
  auto poller = make_poller();
  EXPECT_FALSE(round(*poller));
  EXPECT_TRUE(poller->failing());
  EXPECT_EQ(dead_letters(), "");
  EXPECT_EQ(watermark(), std::nullopt);
  EXPECT_TRUE(sink_->delivered.empty());
}

TEST_F(GraphPollTest, ANextLinkToAnotherHostIsRefused) {
  script_ = {page({alert("a1", "2026-11-22T08:01:00Z")}, "https://evil.example/steal")};
  auto poller = make_poller();
  EXPECT_FALSE(round(*poller));
  EXPECT_EQ(urls_.size(), 1u) << "the token is never sent elsewhere";
  EXPECT_TRUE(sink_->delivered.empty()) << "the page is retried next round, not half-used";
  EXPECT_EQ(watermark(), std::nullopt);
  // Nothing of the refused page stays claimed: a good answer next round delivers it.
  script_ = {page({alert("a1", "2026-11-22T08:01:00Z")})};
  EXPECT_TRUE(round(*poller));
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"a1"}));
}

TEST_F(GraphPollTest, AFailingTenantNeverDelaysTheOthers) {
  TenantConfig good, stuck;
  good.id = "tenant-good";
  good.name = "Good";
  stuck.id = "tenant-stuck";
  GraphPollSourceOptions o;
  o.name = "alerts";
  o.endpoint = graph_endpoint(SourceType::graph_alerts);
  o.settings.interval = std::chrono::seconds(3600);
  o.settings.lag = std::chrono::minutes(5);
  o.settings.initial_lookback = std::chrono::hours(1);
  o.tenants = {GraphTenant{&stuck, kBase, nullptr, nullptr},
               GraphTenant{&good, kBase, nullptr, nullptr}};
  o.now_ms = [this] { return now_ms_; };
  asio::steady_timer hang(io_, asio::steady_timer::time_point::max());
  const GraphFetchFactory factory = [&](const GraphTenant& tenant) -> GraphFetch {
    if (tenant.config == &stuck) {
      return [&hang](std::string) -> asio::awaitable<GraphResponse> {
        co_await hang.async_wait(asio::as_tuple(asio::use_awaitable));  // Graph never answers
        co_return failure(0, "GET /v1.0/security/alerts_v2: timeout");
      };
    }
    return [](std::string) -> asio::awaitable<GraphResponse> {
      co_return page({alert("g1", "2026-11-22T08:30:00Z")});
    };
  };
  GraphPollSource source(io_.get_executor(), *pipeline_, *store_, std::move(o), factory);
  std::string error;
  ASSERT_TRUE(source.start(error)) << error;
  bool finished = false;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        co_await source.run();
        finished = true;
      },
      asio::detached);
  run_until([&] { return sink_->delivered.size() == 1; });
  EXPECT_EQ(sink_->delivered, (std::vector<std::string>{"g1"}));
  run_until([&] { return store_->get("alerts/tenant-good", "watermark").has_value(); });

  source.stop_fetching();
  hang.cancel();
  run_until([&] { return finished; });
  source.finish();
  EXPECT_EQ(source.status(),
            "tenants=2 failing_tenants=1 pages=1 events=1 duplicates_dropped=0 rejected=0 "
            "failed_pages=1 pages_in_flight=0");
  EXPECT_EQ(store_->get("alerts/tenant-stuck", "watermark"), std::nullopt);
}

}  // namespace
}  // namespace secfeed::graph
