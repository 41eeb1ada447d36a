// The Event Hubs source against librdkafka's mock cluster (in-process here; the
// helper-process broker is used by the integration tests): every record delivered
// once, poison records dead-lettered without blocking, offsets committed only after
// delivery, and a restart resuming from the commit.
#include "connector/sources/eventhub/eventhub_source.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <filesystem>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "connector/core/metrics.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "tests/unit/support/fake_entra_token.hpp"
#include "tests/unit/support/run_process.hpp"
#include "tests/unit/support/scripted_sink.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr int kPartitions = 4;
constexpr const char* kTopic = "mdc-export";

std::string assessment(int n) {
  return R"({"type":"Microsoft.Security/assessments","id":"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Security/assessments/a)" +
         std::to_string(n) + R"(","name":"a)" + std::to_string(n) +
         R"(","properties":{"displayName":"Rec )" + std::to_string(n) +
         R"(","status":{"code":"Unhealthy"},"metadata":{"severity":"High"}}})";
}

// A mock cluster owned by a producer handle, which also produces the test data.
class MockHub {
 public:
  MockHub() {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    cluster_ = rd_kafka_handle_mock_cluster(producer_);
    rd_kafka_mock_topic_create(cluster_, kTopic, kPartitions, 1);
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  }
  ~MockHub() { rd_kafka_destroy(producer_); }

  void produce(int partition, const std::string& payload) {
    rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(partition),
                      RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    ++produced_[partition];
  }
  void flush() { ASSERT_EQ(rd_kafka_flush(producer_, 30000), RD_KAFKA_RESP_ERR_NO_ERROR); }

  // Committed offsets of `group`, per partition (-1001 = none).
  std::vector<std::int64_t> committed(const std::string& group) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_.c_str(), errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", group.c_str(), errstr, sizeof errstr);
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(kPartitions);
    for (int p = 0; p < kPartitions; ++p) rd_kafka_topic_partition_list_add(list, kTopic, p);
    rd_kafka_committed(consumer, list, 10000);
    std::vector<std::int64_t> out;
    for (int p = 0; p < kPartitions; ++p) out.push_back(list->elems[p].offset);
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    return out;
  }

  const std::string& bootstrap() const { return bootstrap_; }
  std::int64_t produced(int partition) const { return produced_[partition]; }

 private:
  rd_kafka_t* producer_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
  std::int64_t produced_[kPartitions] = {};
};

class EventHubSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-eventhub-XXXXXX";
    dir_ = mkdtemp(dir_template);
    dead_letters_ = std::make_unique<DeadLetterOutput>(dir_ + "/dead.ndjson");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  EventHubSourceOptions options(const std::string& group) {
    EventHubSourceOptions o;
    o.name = "mdc";
    o.topic = kTopic;
    o.properties = {{"bootstrap.servers", hub_.bootstrap()},
                    {"group.id", group},
                    {"session.timeout.ms", "6000"},  // the mock rebalances after this - 1 s
                    {"partition.assignment.strategy", "cooperative-sticky"}};
    o.commit_interval = milliseconds(100);
    o.max_batch_messages = 50;
    return o;
  }

  // A sink named "down" that holds every batch (retrying every 5-10 ms) until released.
  testing::ScriptedSink* add_held_sink(Pipeline& pipeline, SinkOptions sink_options = {}) {
    sink_options.name = "down";
    sink_options.retry_initial = milliseconds(5);
    sink_options.retry_max = milliseconds(10);
    auto sink = std::make_unique<testing::ScriptedSink>(io_.get_executor(), sink_options,
                                                        dead_letters_.get());
    testing::ScriptedSink* down = sink.get();
    down->hold = true;
    pipeline.add_sink(std::move(sink));
    return down;
  }

  // Starts the source and the pipeline; `finished` turns true once both stopped.
  void start(Pipeline& pipeline, EventHubSource& source, bool& finished) {
    std::string error;
    ASSERT_TRUE(source.start(error)) << error;
    pipeline.start();
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          co_await source.run();
          co_await pipeline.stop();
          finished = true;
        },
        asio::detached);
  }

  // Runs one source instance until `done()` or a 60 s bound, then shuts down gracefully.
  void run_until(Pipeline& pipeline, EventHubSource& source, const std::function<bool()>& done) {
    bool finished = false;
    start(pipeline, source, finished);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_for(milliseconds(50));
    source.stop_fetching();
    while (!finished && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(milliseconds(50));
    }
    source.finish();
    io_.restart();
  }

  MockHub hub_;
  asio::io_context io_;
  std::string dir_;
  std::unique_ptr<DeadLetterOutput> dead_letters_;
};

TEST_F(EventHubSourceTest, EveryRecordOnceInAllBodyFormsPoisonDeadLetteredOffsetsCommitted) {
  // 4 partitions x 50 messages: single objects, bare arrays of 2, {"records":[3]}, and
  // one poison message per 10 (invalid JSON, then a record of the wrong type).
  int next = 0, expected_events = 0, poison = 0;
  for (int i = 0; i < 200; ++i) {
    const int partition = i % kPartitions;
    switch (i % 10) {
      case 3:
        hub_.produce(partition, "{\"records\": [ {\"broken\"}");
        ++poison;
        break;
      case 7:
        hub_.produce(partition, R"({"records":[)" + assessment(next++) +
                                    R"(,{"type":"Microsoft.Security/assessments","id":7}]})");
        ++expected_events;
        ++poison;
        break;
      case 1:
      case 4:
        hub_.produce(partition, "[" + assessment(next) + "," + assessment(next + 1) + "]");
        next += 2;
        expected_events += 2;
        break;
      case 2:
      case 5:
      case 8:
        hub_.produce(partition, R"({"records":[)" + assessment(next) + "," + assessment(next + 1) +
                                    "," + assessment(next + 2) + "]}");
        next += 3;
        expected_events += 3;
        break;
      default:
        hub_.produce(partition, assessment(next++));
        ++expected_events;
    }
  }
  hub_.flush();

  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions sink_options;
  sink_options.name = "collect";
  sink_options.format = OutputFormat::raw;
  auto sink = std::make_unique<testing::ScriptedSink>(io_.get_executor(), sink_options,
                                                      dead_letters_.get());
  testing::ScriptedSink* collected = sink.get();
  pipeline.add_sink(std::move(sink));
  EventHubSource source(io_.get_executor(), pipeline, options("g1"));
  run_until(pipeline, source, [&] {
    return collected->delivered.size() >= static_cast<std::size_t>(expected_events) &&
           source.stats().messages.load() >= 200;
  });

  ASSERT_EQ(collected->delivered.size(), static_cast<std::size_t>(expected_events))
      << "messages=" << source.stats().messages << " records=" << source.stats().records
      << " events=" << source.stats().events << " rejected=" << source.stats().rejected
      << " in pipeline=" << pipeline.stats().events_in;
  const std::set<std::string> unique(collected->delivered.begin(), collected->delivered.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(expected_events)) << "no duplicates";
  EXPECT_EQ(source.stats().rejected.load(), static_cast<std::uint64_t>(poison));
  EXPECT_EQ(dead_letters_->written(), static_cast<std::uint64_t>(poison));
  const std::string dead = testing::read_file(dir_ + "/dead.ndjson");
  EXPECT_NE(dead.find("\"stage\":\"normalize\",\"source\":\"mdc\""), std::string::npos) << dead;
  EXPECT_NE(dead.find(" offset "), std::string::npos) << dead;
  const std::vector<std::int64_t> committed = hub_.committed("g1");
  for (int p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(committed[p], hub_.produced(p)) << "partition " << p << " fully committed";
  }

  // A restart in the same group resumes after the commit: nothing is re-read.
  auto again = std::make_unique<testing::ScriptedSink>(io_.get_executor(), sink_options,
                                                       dead_letters_.get());
  testing::ScriptedSink* second = again.get();
  Pipeline pipeline2(io_.get_executor(), *dead_letters_);
  pipeline2.add_sink(std::move(again));
  EventHubSource restarted(io_.get_executor(), pipeline2, options("g1"));
  hub_.produce(0, assessment(100000));
  hub_.flush();
  run_until(pipeline2, restarted, [&] { return second->delivered.size() >= 1; });
  EXPECT_EQ(second->delivered.size(), 1u) << "only the new record";
}

TEST_F(EventHubSourceTest, NothingIsCommittedWhileTheSinkCannotDeliver) {
  for (int i = 0; i < 40; ++i) hub_.produce(i % kPartitions, assessment(i));
  hub_.flush();
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  testing::ScriptedSink* down = add_held_sink(pipeline);
  EventHubSource source(io_.get_executor(), pipeline, options("g2"));
  // Run until all 40 were fetched and handed to the (failing) sink, plus a few commit
  // intervals; then stop without a successful delivery.
  std::string error;
  ASSERT_TRUE(source.start(error)) << error;
  pipeline.start();
  asio::co_spawn(io_, source.run(), asio::detached);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (source.stats().messages.load() < 40 && std::chrono::steady_clock::now() < deadline) {
    io_.run_for(milliseconds(50));
  }
  io_.run_for(milliseconds(500));
  source.stop_fetching();
  io_.run_for(milliseconds(200));
  source.finish();
  EXPECT_EQ(source.stats().messages.load(), 40u);
  EXPECT_TRUE(down->delivered.empty());
  for (std::int64_t offset : hub_.committed("g2")) {
    EXPECT_LT(offset, 0) << "no partition may be committed before delivery";
  }
}

// secfeed_eventhub_consumer_lag{source="mdc",topic=kTopic,partition=P}, "" when absent.
std::string lag_sample(int partition) {
  const std::string prefix = std::string("secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"") +
                             kTopic + "\",partition=\"" + std::to_string(partition) + "\"} ";
  const std::string text = metrics::Registry::global().render();
  const std::size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  const std::size_t value = at + prefix.size();
  return text.substr(value, text.find('\n', value) - value);
}

TEST_F(EventHubSourceTest, ConsumerLagShowsTheBacklogWhileTheSinkIsDownThenDrainsToZero) {
  // 200 messages on partition 0; a sink that does not deliver and queues at most 5
  // events, with one queued batch of 5 in the source: fetching stops (backpressure) long
  // before the end, so the lag stays high until the sink comes back.
  for (int i = 0; i < 200; ++i) hub_.produce(0, assessment(i));
  hub_.flush();
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions sink_options;
  sink_options.queue_max_events = 5;
  sink_options.batch_max_events = 5;
  testing::ScriptedSink* down = add_held_sink(pipeline, sink_options);
  EventHubSourceOptions o = options("g-lag");
  o.max_batch_messages = 5;
  o.max_queued_batches = 1;
  EventHubSource source(io_.get_executor(), pipeline, o);
  bool finished = false;
  start(pipeline, source, finished);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto run_while = [&](const std::function<bool()>& waiting) {
    while (waiting() && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(milliseconds(50));
    }
  };
  run_while([] { return lag_sample(0).empty(); });
  io_.run_for(milliseconds(1500));  // one more refresh, with fetching paused by now
  const std::string backlog = lag_sample(0);
  ASSERT_FALSE(backlog.empty()) << "no lag series for partition 0";
  // Read at most a few dozen: the sink's queue and retried batch, the message waiting to
  // be queued, the source's queued and pending batches.
  EXPECT_GT(std::stoll(backlog), 100) << "consumed " << source.stats().messages.load();
  EXPECT_LE(std::stoll(backlog), 200);

  down->hold = false;  // the sink is back: everything is read and the lag drains
  run_while([&] { return down->delivered.size() < 200 || lag_sample(0) != "0"; });
  EXPECT_EQ(down->delivered.size(), 200u);
  EXPECT_EQ(lag_sample(0), "0");
  source.stop_fetching();
  run_while([&] { return !finished; });
  source.finish();
  EXPECT_EQ(lag_sample(0), "") << "no series once the source stopped consuming";
}

TEST_F(EventHubSourceTest, OauthBearerTokensComeFromTheTokenFunction) {
  // The mock cluster has no SASL listener (so nothing is consumed here); what is tested
  // is the wiring: librdkafka asks for a token at start and gets ours, and a failing
  // token function is reported, not fatal.
  for (bool succeed : {true, false}) {
    SCOPED_TRACE(succeed ? "token" : "failure");
    std::atomic<int> calls{0};
    EventHubSourceOptions o = options(succeed ? "oauth-ok" : "oauth-fail");
    o.properties.emplace_back("security.protocol", "sasl_plaintext");
    o.properties.emplace_back("sasl.mechanisms", "OAUTHBEARER");
    o.oauth_token = [&](std::string& token, std::int64_t& expires_at_ms, std::string& error) {
      ++calls;
      return testing::fake_entra_token(succeed, token, expires_at_ms, error);
    };
    Pipeline pipeline(io_.get_executor(), *dead_letters_);
    EventHubSource source(io_.get_executor(), pipeline, std::move(o));
    std::string error;
    ASSERT_TRUE(source.start(error)) << error;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    // Wait for the outcome, not just the call: the counters move after the callback.
    const auto outcome = [&] {
      return succeed ? source.stats().token_refreshes.load() > 0
                     : source.stats().consumer_errors.load() > 0;
    };
    while (!outcome() && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(milliseconds(50));
    }
    EXPECT_GE(calls.load(), 1);
    if (succeed) {
      EXPECT_GE(source.stats().token_refreshes.load(), 1u);
    } else {
      EXPECT_EQ(source.stats().token_refreshes.load(), 0u);
      EXPECT_GE(source.stats().consumer_errors.load(), 1u);
    }
    source.stop_fetching();
    source.finish();
    io_.restart();
  }
}

}  // namespace
}  // namespace secfeed
