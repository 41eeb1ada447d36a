// TenantCheckpoints: pages commit in order and only when delivered; the watermark and
// the page's de-dup keys land in one transaction; keys expire with the watermark.
#include "connector/sources/graph/graph_checkpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "connector/core/time.hpp"

namespace secfeed::graph {
namespace {

using std::chrono::milliseconds;

std::int64_t at(const char* iso) {
  return *parse_iso8601_ms(iso);
}

VersionKey key(std::string id, const char* version) {
  return VersionKey{std::move(id), version, at(version)};
}

class GraphCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-graph-cp-XXXXXX";
    dir_ = mkdtemp(dir_template);
    reopen();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void reopen() {
    store_.reset();
    std::string error;
    store_ = StateStore::open(dir_, error);
    ASSERT_NE(store_, nullptr) << error;
  }
  std::optional<std::string> stored_watermark() { return store_->get(kScope, "watermark"); }
  bool commit(TenantCheckpoints& cp) {
    std::string error;
    const bool ok = cp.commit_ready(error);
    EXPECT_TRUE(ok) << error;
    return ok;
  }

  static constexpr const char* kScope = "alerts/tenant-1";
  std::string dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(GraphCheckpointTest, FirstRunHasNoWatermark) {
  TenantCheckpoints cp(*store_, kScope, milliseconds(60'000));
  std::optional<std::int64_t> watermark = 42;
  std::string error;
  ASSERT_TRUE(cp.load(watermark, error));
  EXPECT_EQ(watermark, std::nullopt);
}

TEST_F(GraphCheckpointTest, OnlyTheDeliveredPrefixIsCommitted) {
  TenantCheckpoints cp(*store_, kScope, milliseconds(3'600'000));
  ASSERT_FALSE(cp.check_and_claim("a1", "2026-11-22T08:00:00.1234567Z"));
  ASSERT_FALSE(cp.check_and_claim("a2", "2026-11-22T08:10:00Z"));
  const auto p1 =
      cp.begin_page({key("a1", "2026-11-22T08:00:00.1234567Z")}, at("2026-11-22T08:00:00.123Z"));
  const auto p2 = cp.begin_page({key("a2", "2026-11-22T08:10:00Z")}, at("2026-11-22T08:30:00Z"));

  cp.page_done(p2);  // the later page first: nothing may be committed yet
  ASSERT_TRUE(commit(cp));
  EXPECT_EQ(stored_watermark(), std::nullopt);
  EXPECT_FALSE(store_->seen(kScope, "a2", "2026-11-22T08:10:00Z"));
  EXPECT_EQ(cp.pages_in_flight(), 2u);

  cp.page_done(p1);  // now both, in one transaction
  ASSERT_TRUE(commit(cp));
  EXPECT_EQ(stored_watermark(), "2026-11-22T08:30:00.000Z");
  EXPECT_TRUE(store_->seen(kScope, "a1", "2026-11-22T08:00:00.1234567Z"));
  EXPECT_TRUE(store_->seen(kScope, "a2", "2026-11-22T08:10:00Z"));
  EXPECT_EQ(cp.pages_in_flight(), 0u);
  EXPECT_EQ(cp.keys_in_flight(), 0u) << "committed keys leave the in-flight set";
  EXPECT_EQ(cp.committed_watermark(), at("2026-11-22T08:30:00Z"));
}

TEST_F(GraphCheckpointTest, DuplicatesInFlightAndCommittedAreDetected) {
  TenantCheckpoints cp(*store_, kScope, milliseconds(3'600'000));
  EXPECT_FALSE(cp.check_and_claim("a1", "2026-11-22T08:00:00Z"));
  EXPECT_TRUE(cp.check_and_claim("a1", "2026-11-22T08:00:00Z")) << "in flight";
  EXPECT_FALSE(cp.check_and_claim("a1", "2026-11-22T08:05:00Z")) << "a new version is new";
  cp.page_done(cp.begin_page({key("a1", "2026-11-22T08:00:00Z"), key("a1", "2026-11-22T08:05:00Z")},
                             at("2026-11-22T08:06:00Z")));
  ASSERT_TRUE(commit(cp));

  // A restart (new process): the committed keys still drop the replayed overlap.
  reopen();
  TenantCheckpoints again(*store_, kScope, milliseconds(3'600'000));
  std::optional<std::int64_t> watermark;
  std::string error;
  ASSERT_TRUE(again.load(watermark, error)) << error;
  EXPECT_EQ(watermark, at("2026-11-22T08:06:00Z"));
  EXPECT_TRUE(again.check_and_claim("a1", "2026-11-22T08:00:00Z"));
  EXPECT_TRUE(again.check_and_claim("a1", "2026-11-22T08:05:00Z"));
  EXPECT_FALSE(again.check_and_claim("a2", "2026-11-22T08:05:00Z"));
}

TEST_F(GraphCheckpointTest, UndeliveredPagesAreNeverCommittedAndReplayAfterACrash) {
  {
    TenantCheckpoints cp(*store_, kScope, milliseconds(60'000));
    cp.page_done(cp.begin_page({key("a1", "2026-11-22T08:00:00Z")}, at("2026-11-22T08:00:00Z")));
    cp.begin_page({key("a2", "2026-11-22T08:20:00Z")}, at("2026-11-22T08:20:00Z"));  // never acked
    ASSERT_TRUE(commit(cp));
  }
  reopen();  // "kill -9"
  TenantCheckpoints cp(*store_, kScope, milliseconds(60'000));
  std::optional<std::int64_t> watermark;
  std::string error;
  ASSERT_TRUE(cp.load(watermark, error));
  EXPECT_EQ(watermark, at("2026-11-22T08:00:00Z"));
  EXPECT_FALSE(cp.check_and_claim("a2", "2026-11-22T08:20:00Z")) << "re-read and delivered again";
}

TEST_F(GraphCheckpointTest, KeysExpireOnceTheWindowCanNoLongerReturnThem) {
  TenantCheckpoints cp(*store_, kScope, milliseconds(10 * 60'000));  // overlap 10 min
  cp.page_done(
      cp.begin_page({key("old", "2026-11-22T07:00:00Z"), key("edge", "2026-11-22T07:49:30Z"),
                     key("recent", "2026-11-22T07:55:00Z")},
                    at("2026-11-22T08:00:00Z")));
  ASSERT_TRUE(commit(cp));
  // Next window starts at 07:50; with the 1-minute margin keys from 07:49 on are kept.
  EXPECT_FALSE(store_->seen(kScope, "old", "2026-11-22T07:00:00Z"));
  EXPECT_TRUE(store_->seen(kScope, "edge", "2026-11-22T07:49:30Z"));
  EXPECT_TRUE(store_->seen(kScope, "recent", "2026-11-22T07:55:00Z"));

  // The stream's own (in-memory) view agrees with the store: the kept keys are
  // duplicates, the expired one is new again.
  EXPECT_TRUE(cp.check_and_claim("edge", "2026-11-22T07:49:30Z"));
  EXPECT_TRUE(cp.check_and_claim("recent", "2026-11-22T07:55:00Z"));
  EXPECT_FALSE(cp.check_and_claim("old", "2026-11-22T07:00:00Z"));

  // While the watermark does not move (an outage), nothing more expires.
  cp.page_done(cp.begin_page({key("old", "2026-11-22T07:00:00Z")}, at("2026-11-22T08:00:00Z")));
  ASSERT_TRUE(commit(cp));
  EXPECT_TRUE(store_->seen(kScope, "edge", "2026-11-22T07:49:30Z"));
  EXPECT_EQ(store_->seen_count(kScope), 2u) << "the re-sent old version expired at once";
  EXPECT_TRUE(cp.check_and_claim("edge", "2026-11-22T07:49:30Z"));
  EXPECT_FALSE(cp.check_and_claim("old", "2026-11-22T07:00:00Z"));
}

TEST_F(GraphCheckpointTest, TheWatermarkNeverMovesBack) {
  TenantCheckpoints cp(*store_, kScope, milliseconds(0));
  cp.page_done(cp.begin_page({}, at("2026-11-22T08:00:00Z")));
  ASSERT_TRUE(commit(cp));
  cp.page_done(cp.begin_page({}, at("2026-11-22T07:00:00Z")));
  ASSERT_TRUE(commit(cp));
  EXPECT_EQ(stored_watermark(), "2026-11-22T08:00:00.000Z");
}

TEST_F(GraphCheckpointTest, AStoredWatermarkThatIsNotATimestampIsReported) {
  StateStore::Commit bad;
  bad.scope = kScope;
  bad.values = {{"watermark", "yesterday"}};
  std::string error;
  ASSERT_TRUE(store_->commit(bad, error));
  TenantCheckpoints cp(*store_, kScope, milliseconds(0));
  std::optional<std::int64_t> watermark;
  EXPECT_FALSE(cp.load(watermark, error));
  EXPECT_EQ(error, "state alerts/tenant-1: stored watermark 'yesterday' is not a timestamp");
}

}  // namespace
}  // namespace secfeed::graph
