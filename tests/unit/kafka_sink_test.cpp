// The kafka sink: the per-message topic/key/header logic on its own, then a batch
// against librdkafka's in-process mock cluster (delivery reports drive the result;
// an oversized message is rejected without holding back the rest).
#include "sinks/kafka/kafka_sink.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "tests/unit/support/fake_entra_token.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;

SinkMessage message(std::string id, std::string tenant = "t1", std::string source = "mdc",
                    EventKind kind = EventKind::recommendation) {
  SinkMessage m;
  m.bytes = R"({"id":")" + id + R"("})";
  m.id = std::move(id);
  m.tenant_id = std::move(tenant);
  m.source = std::move(source);
  m.kind = kind;
  return m;
}

TEST(KafkaSinkTopic, ReplacesEveryPlaceholder) {
  std::string topic = "left over";
  render_topic("sec.{kind}.{tenant}-{source}", message("a", "contoso", "graph"), topic);
  EXPECT_EQ(topic, "sec.recommendation.contoso-graph");
  render_topic("{kind}{kind}", message("a", "t", "s", EventKind::alert), topic);
  EXPECT_EQ(topic, "alertalert");
}

TEST(KafkaSinkTopic, PlainTextUnknownAndUnclosedBracesAreCopied) {
  std::string topic;
  render_topic("out", message("a"), topic);
  EXPECT_EQ(topic, "out");
  render_topic("x.{other}.{tenant}", message("a"), topic);
  EXPECT_EQ(topic, "x.{other}.t1");
  render_topic("x.{tenant", message("a"), topic);
  EXPECT_EQ(topic, "x.{tenant");
  render_topic("", message("a"), topic);
  EXPECT_EQ(topic, "");
}

TEST(KafkaSinkKey, IdTenantOrNone) {
  const SinkMessage m = message("event-1", "tenant-9");
  EXPECT_EQ(message_key(KafkaKey::id, m), "event-1");
  EXPECT_EQ(message_key(KafkaKey::tenant, m), "tenant-9");
  EXPECT_EQ(message_key(KafkaKey::none, m), "");
}

TEST(KafkaSinkHeaders, TenantKindSourceSchemaVersion) {
  const SinkMessage m = message("e", "tenant-9", "mdc", EventKind::finding);
  const KafkaHeaders headers = message_headers(m);  // views into m
  ASSERT_EQ(headers.size(), 4u);
  EXPECT_EQ(headers[0], (std::pair<std::string_view, std::string_view>{"tenant", "tenant-9"}));
  EXPECT_EQ(headers[1], (std::pair<std::string_view, std::string_view>{"kind", "finding"}));
  EXPECT_EQ(headers[2], (std::pair<std::string_view, std::string_view>{"source", "mdc"}));
  EXPECT_EQ(headers[3], (std::pair<std::string_view, std::string_view>{"schema_version", "1"}));
}

TEST(KafkaSinkProperties, IdempotentAcksAllLastUserPropertiesWinOverDefaults) {
  KafkaSinkConfig config;
  config.kafka.bootstrap_servers = "broker:9092";
  config.compression = KafkaCompression::gzip;
  config.kafka.properties = {{"linger.ms", "50"}, {"acks", "1"}};
  const KafkaProperties properties = kafka_producer_properties(config);
  std::map<std::string, std::string> effective;  // later entries win, as in librdkafka
  for (const auto& [key, value] : properties) effective[key] = value;
  EXPECT_EQ(effective["compression.type"], "gzip");
  EXPECT_EQ(effective["linger.ms"], "50");
  EXPECT_EQ(effective["message.timeout.ms"], "0");
  EXPECT_EQ(effective["enable.idempotence"], "true");
  EXPECT_EQ(effective["acks"], "all") << "acks cannot be weakened by properties";
  EXPECT_EQ(effective["bootstrap.servers"], "broker:9092");
}

TEST(KafkaSinkProperties, CompressionNames) {
  EXPECT_EQ(compression_name(KafkaCompression::none), "none");
  EXPECT_EQ(compression_name(KafkaCompression::gzip), "gzip");
  EXPECT_EQ(compression_name(KafkaCompression::snappy), "snappy");
  EXPECT_EQ(compression_name(KafkaCompression::lz4), "lz4");
  EXPECT_EQ(compression_name(KafkaCompression::zstd), "zstd");
}

TEST(KafkaSinkErrors, PermanentVersusTransient) {
  EXPECT_TRUE(is_permanent_delivery_error(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
  EXPECT_FALSE(is_permanent_delivery_error(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT));
  EXPECT_FALSE(is_permanent_delivery_error(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS));
  EXPECT_FALSE(is_permanent_delivery_error(RD_KAFKA_RESP_ERR__TRANSPORT));
}

// Exposes deliver() to the test.
class TestKafkaSink : public KafkaSink {
 public:
  using KafkaSink::KafkaSink;
  DeliveryResult deliver_now(asio::io_context& io, std::span<SinkMessage> batch) {
    DeliveryResult result;
    bool done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          result = co_await deliver(batch);
          done = true;
        },
        asio::detached);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      io.run_for(std::chrono::milliseconds(50));
    }
    io.restart();
    return result;
  }
};

// A mock cluster owned by a bare producer handle.
class MockCluster {
 public:
  MockCluster() {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof errstr);
    owner_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    cluster_ = rd_kafka_handle_mock_cluster(owner_);
    rd_kafka_mock_topic_create(cluster_, "out.recommendation", 2, 1);
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  }
  ~MockCluster() { rd_kafka_destroy(owner_); }

  // Every message of `topic` (2 partitions): key -> schema_version header value.
  std::map<std::string, std::string> read_all(const std::string& topic, std::size_t expect) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_.c_str(), errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "group.id", "reader", errstr, sizeof errstr);
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(2);
    for (int p = 0; p < 2; ++p) {
      rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_assign(consumer, list);
    rd_kafka_topic_partition_list_destroy(list);
    std::map<std::string, std::string> out;
    std::size_t seen = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (seen < expect && std::chrono::steady_clock::now() < deadline) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
      if (m == nullptr) continue;
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++seen;
        std::string key(static_cast<const char*>(m->key), m->key_len);
        rd_kafka_headers_t* headers = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        std::string version = "(none)";
        if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            rd_kafka_header_get_last(headers, "schema_version", &value, &size) ==
                RD_KAFKA_RESP_ERR_NO_ERROR) {
          version.assign(static_cast<const char*>(value), size);
        }
        out[key] = version;
      }
      rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    return out;
  }

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  rd_kafka_t* owner_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
};

TEST(KafkaSinkMock, DeliversBatchAndRejectsOversizedMessageWithoutRetryingOthers) {
  MockCluster cluster;
  asio::io_context io;
  KafkaSinkConfig config;
  config.kafka.bootstrap_servers = cluster.bootstrap();
  config.kafka.properties = {{"message.max.bytes", "10000"}};
  config.topic = "out.{kind}";
  SinkOptions options;
  options.name = "k";
  TestKafkaSink sink(io.get_executor(), options, config, nullptr);
  ASSERT_EQ(sink.error(), "");

  std::vector<SinkMessage> batch;
  for (int i = 0; i < 30; ++i) batch.push_back(message("e" + std::to_string(i)));
  batch[7].bytes.assign(20000, 'x');  // over message.max.bytes: can never be delivered
  batch[7].id = "too-big";

  const DeliveryResult result = sink.deliver_now(io, batch);
  EXPECT_EQ(result.delivered, 29u);
  EXPECT_EQ(result.rejected, 1u);
  EXPECT_EQ(result.error, "k: rejected by Kafka: Broker: Message size too large");
  EXPECT_EQ(batch[29].id, "too-big") << "the rejected message is moved behind the delivered";
  EXPECT_EQ(batch[0].id, "e0");
  EXPECT_EQ(batch[7].id, "e8") << "delivered messages keep their order";

  const auto received = cluster.read_all("out.recommendation", 29);
  ASSERT_EQ(received.size(), 29u);
  for (int i = 0; i < 30; ++i) {
    if (i == 7) continue;
    EXPECT_EQ(received.count("e" + std::to_string(i)), 1u) << i;
  }
  EXPECT_EQ(received.begin()->second, "1") << "schema_version header";
}

TEST(KafkaSinkMock, BadPropertyIsReportedWithoutTheValue) {
  asio::io_context io;
  KafkaSinkConfig config;
  config.kafka.bootstrap_servers = "127.0.0.1:1";
  config.kafka.properties = {{"no.such.property", "secret-value"}};
  config.topic = "out";
  SinkOptions options;
  options.name = "k";
  TestKafkaSink sink(io.get_executor(), options, config, nullptr);
  EXPECT_EQ(sink.error().rfind("k: Kafka property no.such.property: ", 0), 0u) << sink.error();
  EXPECT_EQ(sink.error().find("secret-value"), std::string::npos);
}

// A sink whose broker needs OAUTHBEARER (the mock cluster has no SASL listener).
KafkaSinkConfig oauth_config() {
  KafkaSinkConfig config;
  config.kafka.bootstrap_servers = "127.0.0.1:1";
  config.kafka.security_protocol = KafkaSecurityProtocol::sasl_plaintext;
  config.kafka.sasl_mechanism = SaslMechanism::oauthbearer;
  config.topic = "out";
  return config;
}

SinkOptions named(std::string name) {
  SinkOptions options;
  options.name = std::move(name);
  return options;
}

TEST(KafkaSinkOAuth, TokensAreFetchedOffTheIoThreadAndFailuresCounted) {
  // The mock cluster has no SASL listener, so nothing is delivered here; what is tested
  // is the wiring. The token function blocks on the io thread's work, as the real one
  // (net::kafka_token_function) does: it must be called from librdkafka's background
  // thread, never from the io thread that polls the producer, or the two would wait for
  // each other.
  for (const bool succeed : {true, false}) {
    SCOPED_TRACE(succeed ? "token" : "failure");
    asio::io_context io;
    const std::thread::id io_thread = std::this_thread::get_id();
    std::atomic<int> calls{0}, calls_on_io_thread{0};
    net::KafkaTokenFunction token_function = [&](std::string& token, std::int64_t& expires_at_ms,
                                                 std::string& error) {
      ++calls;
      if (std::this_thread::get_id() == io_thread) {
        ++calls_on_io_thread;
      } else {
        std::promise<void> served;  // a round trip through the io thread
        asio::post(io, [&served] { served.set_value(); });
        served.get_future().wait();
      }
      return testing::fake_entra_token(succeed, token, expires_at_ms, error);
    };
    TestKafkaSink sink(io.get_executor(), named("bus"), oauth_config(), nullptr, token_function);
    ASSERT_EQ(sink.error(), "");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const auto outcome = [&] {
      return succeed ? sink.token_refreshes() > 0 : sink.token_failures() > 0;
    };
    while (!outcome() && std::chrono::steady_clock::now() < deadline) {
      io.run_for(std::chrono::milliseconds(50));
      io.restart();
    }
    EXPECT_GE(calls.load(), 1);
    EXPECT_EQ(calls_on_io_thread.load(), 0);
    EXPECT_EQ(sink.token_refreshes() > 0, succeed);
    EXPECT_EQ(sink.token_failures() > 0, !succeed);
    EXPECT_EQ(sink.token_failing(), !succeed);
  }
}

TEST(KafkaSinkOAuth, OauthbearerWithoutATokenFunctionIsAnError) {
  asio::io_context io;
  TestKafkaSink sink(io.get_executor(), named("bus"), oauth_config(), nullptr);
  EXPECT_EQ(sink.error(), "bus: sasl_mechanism oauthbearer needs a token function");
}

}  // namespace
}  // namespace secfeed
