#include "connector/core/state_store.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace secfeed {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-state-XXXXXX";
    dir_ = mkdtemp(dir_template);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<StateStore> open() {
    std::string error;
    auto store = StateStore::open(dir_ + "/state", error);
    EXPECT_NE(store, nullptr) << error;
    return store;
  }
  std::string dir_;
};

TEST_F(StateStoreTest, CheckpointAndSeenKeysCommitTogetherAndSurviveReopen) {
  {
    auto store = open();
    EXPECT_EQ(store->get("graph_alerts/t1", "watermark"), std::nullopt);
    StateStore::Commit c;
    c.scope = "graph_alerts/t1";
    c.values = {{"watermark", "2024-01-01T00:00:00Z"}};
    c.seen = {{"a1", "2024-01-01T00:00:00Z", 1000}, {"a2", "v1", 2000}};
    std::string error;
    ASSERT_TRUE(store->commit(c, error)) << error;
  }
  auto store = open();
  EXPECT_EQ(store->get("graph_alerts/t1", "watermark"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(store->get("graph_alerts/t2", "watermark"), std::nullopt) << "scopes are separate";
  EXPECT_TRUE(store->seen("graph_alerts/t1", "a1", "2024-01-01T00:00:00Z"));
  EXPECT_FALSE(store->seen("graph_alerts/t1", "a1", "2024-01-02T00:00:00Z"))
      << "a new version of the same alert is a new update";
  EXPECT_FALSE(store->seen("graph_alerts/t2", "a1", "2024-01-01T00:00:00Z"));
}

TEST_F(StateStoreTest, ExpirySweepForgetsOldKeysOnly) {
  auto store = open();
  StateStore::Commit c;
  c.scope = "s";
  c.seen = {{"old", "v", 100}, {"new", "v", 300}};
  std::string error;
  ASSERT_TRUE(store->commit(c, error)) << error;
  StateStore::Commit sweep;
  sweep.scope = "s";
  sweep.forget_before_ms = 200;
  ASSERT_TRUE(store->commit(sweep, error)) << error;
  EXPECT_FALSE(store->seen("s", "old", "v"));
  EXPECT_TRUE(store->seen("s", "new", "v"));
  EXPECT_EQ(store->seen_count("s"), 1u);
}

TEST_F(StateStoreTest, CommittedStateSurvivesKill9) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string error;
    auto store = StateStore::open(dir_ + "/state", error);
    StateStore::Commit c;
    c.scope = "s";
    c.values = {{"watermark", "w1"}};
    if (!store || !store->commit(c, error)) _exit(3);
    kill(getpid(), SIGKILL);  // no destructor, no checkpointing of the WAL
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto store = open();
  EXPECT_EQ(store->get("s", "watermark"), "w1");
}

TEST_F(StateStoreTest, UnwritableDirectoryIsAClearError) {
  std::string error;
  auto store = StateStore::open("/proc/secfeed-cannot-exist", error);
  EXPECT_EQ(store, nullptr);
  EXPECT_EQ(error.rfind("cannot create state_dir /proc/secfeed-cannot-exist: ", 0), 0u) << error;
}

}  // namespace
}  // namespace secfeed
