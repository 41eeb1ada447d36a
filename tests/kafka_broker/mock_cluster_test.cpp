// The broker's command interpreter against a real in-process mock cluster.
#include "tests/kafka_broker/mock_cluster.hpp"

#include <gtest/gtest.h>

namespace secfeed::testkafka {
namespace {

class MockClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    // log_level 3: keep the mock's connection chatter out of the test output.
    cluster_ = MockCluster::create(3, {{"log_level", "3"}}, &error);
    ASSERT_NE(cluster_, nullptr) << error;
  }
  std::string run(std::string_view line) { return cluster_->execute(line).line; }

  std::unique_ptr<MockCluster> cluster_;
};

TEST_F(MockClusterTest, BootstrapListsEveryBrokerOnLoopback) {
  const std::string bootstrap = cluster_->bootstrap();
  EXPECT_EQ(std::count(bootstrap.begin(), bootstrap.end(), ','), 2) << bootstrap;
  EXPECT_EQ(bootstrap.rfind("127.0.0.1:", 0), 0u) << bootstrap;
  EXPECT_EQ(run("bootstrap"), "ok bootstrap=" + bootstrap);
}

TEST_F(MockClusterTest, PingQuitAndBlankLines) {
  EXPECT_EQ(run("ping"), "ok pong");
  EXPECT_EQ(run("  \t "), "");
  const CommandReply quit = cluster_->execute("quit");
  EXPECT_EQ(quit.line, "ok bye");
  EXPECT_TRUE(quit.quit);
  EXPECT_FALSE(cluster_->execute("ping").quit);
}

TEST_F(MockClusterTest, CreateTopic) {
  EXPECT_EQ(run("create-topic alerts 4"), "ok topic alerts partitions=4 replication=3");
  EXPECT_EQ(run("create-topic scores 2 1\r"), "ok topic scores partitions=2 replication=1");
  EXPECT_EQ(run("create-topic alerts 4"),
            "error TOPIC_ALREADY_EXISTS: Broker: Topic already exists");
  EXPECT_EQ(run("create-topic x 0"), "error invalid partition count '0' (expected 1..10000)");
  EXPECT_EQ(run("create-topic x 4 4"), "error invalid replication factor '4' (expected 1..3)");
  EXPECT_EQ(run("create-topic x"), "error usage: create-topic NAME PARTITIONS [REPLICATION]");
}

TEST_F(MockClusterTest, BrokerDownUpAndRtt) {
  EXPECT_EQ(run("broker-down 2"), "ok broker 2 down");
  EXPECT_EQ(run("broker-up 2"), "ok broker 2 up");
  EXPECT_EQ(run("broker-down all"), "ok broker all down");
  EXPECT_EQ(run("broker-up all"), "ok broker all up");
  EXPECT_EQ(run("broker-down 4"), "error invalid broker id '4' (expected 1..3 or all)");
  EXPECT_EQ(run("broker-down 0"), "error invalid broker id '0' (expected 1..3 or all)");
  EXPECT_EQ(run("broker-up"), "error usage: broker-up ID|all");
  EXPECT_EQ(run("rtt 1 250"), "ok broker 1 rtt=250ms");
  EXPECT_EQ(run("rtt all 0"), "ok broker all rtt=0ms");
  EXPECT_EQ(run("rtt 1 -5"), "error invalid rtt '-5' (expected 0..600000)");
}

TEST_F(MockClusterTest, PushErrorsMapsApiKeysAndErrorNames) {
  EXPECT_EQ(run("push-errors Fetch NOT_LEADER_OR_FOLLOWER 5"),
            "ok pushed 5 NOT_LEADER_FOR_PARTITION for Fetch");
  EXPECT_EQ(run("push-errors produce RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT 1"),
            "ok pushed 1 REQUEST_TIMED_OUT for Produce");
  EXPECT_EQ(run("push-errors OffsetCommit REBALANCE_IN_PROGRESS 2"),
            "ok pushed 2 REBALANCE_IN_PROGRESS for OffsetCommit");
  EXPECT_EQ(run("push-errors 12 _TRANSPORT 1"), "ok pushed 1 _TRANSPORT for Heartbeat");
  EXPECT_EQ(run("push-errors FindCoordinator 15 1"),
            "ok pushed 1 COORDINATOR_NOT_AVAILABLE for FindCoordinator");
  EXPECT_EQ(run("push-errors Fetchh NOT_LEADER_OR_FOLLOWER 5"), "error unknown api key 'Fetchh'");
  EXPECT_EQ(run("push-errors Fetch NOPE 5"), "error unknown error name 'NOPE'");
  EXPECT_EQ(run("push-errors Fetch NOT_LEADER_OR_FOLLOWER 0"),
            "error invalid count '0' (expected 1..100000)");
  EXPECT_EQ(run("clear-errors Fetch"), "ok cleared Fetch");
}

TEST_F(MockClusterTest, PerBrokerErrorsAreCounted) {
  EXPECT_EQ(run("error-stack 2 Fetch"), "ok 0");
  EXPECT_EQ(run("broker-push-errors 2 Fetch NOT_LEADER_OR_FOLLOWER 3"),
            "ok pushed 3 NOT_LEADER_FOR_PARTITION for Fetch on broker 2");
  EXPECT_EQ(run("broker-push-errors 2 Fetch _TRANSPORT 1 100"),
            "ok pushed 1 _TRANSPORT for Fetch on broker 2");
  EXPECT_EQ(run("error-stack 2 Fetch"), "ok 4");
  EXPECT_EQ(run("error-stack 1 Fetch"), "ok 0");
  EXPECT_EQ(run("broker-push-errors 0 Fetch _TRANSPORT 1"),
            "error invalid broker id '0' (expected 1..3)");
  EXPECT_EQ(run("error-stack 2"), "error usage: error-stack ID APIKEY");
}

TEST_F(MockClusterTest, PartitionLeaderAndCoordinator) {
  ASSERT_EQ(run("create-topic alerts 4"), "ok topic alerts partitions=4 replication=3");
  EXPECT_EQ(run("partition-leader alerts 1 3"), "ok topic alerts partition 1 leader=3");
  EXPECT_EQ(run("partition-leader alerts 1 -1"), "ok topic alerts partition 1 leader=-1");
  EXPECT_EQ(run("partition-leader alerts 1 0"), "error invalid broker id '0' (expected -1..3)");
  EXPECT_EQ(run("coordinator group secfeed 2"), "ok coordinator group secfeed broker=2");
  EXPECT_EQ(run("coordinator team x 2"), "error usage: coordinator group|transaction KEY BROKER");
}

TEST_F(MockClusterTest, UnknownCommand) {
  EXPECT_EQ(run("explode now"), "error unknown command 'explode' (try help)");
  EXPECT_EQ(run("help").rfind("ok commands: ping", 0), 0u);
}

}  // namespace
}  // namespace secfeed::testkafka
