// secfeed-kafka-produce: sends NDJSON lines (or whole files) to a topic with acks=all and
// idempotence, waits for every delivery report, prints `produced N`, and exits 1 when any
// message was not delivered.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "tests/kafka_broker/kafka_handle.hpp"
#include "tests/kafka_broker/message_input.hpp"

namespace {

using namespace secfeed::testkafka;

struct ProduceOptions {
  std::string bootstrap;
  std::string topic;
  int partition = RD_KAFKA_PARTITION_UA;
  bool round_robin = false;
  int repeat = 1;
  double rate = 0;  // Messages per second; 0 = as fast as possible.
  std::string key_field;
  std::vector<std::string> headers;
  bool whole_file = false;
  std::vector<std::string> settings;
  std::vector<std::string> inputs;
  std::string stamp;  // placeholder replaced by the send time (latency measurements)
};

// Every `placeholder` in `payload` replaced by the current UTC time, ISO 8601 with
// milliseconds ("2026-11-22T13:20:00.123Z"): the moment the message is handed to the
// client, so a consumer can measure end-to-end latency.
std::string stamped(const std::string& payload, const std::string& placeholder) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const long millis = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03ldZ", millis);
  std::string out = payload;
  for (std::size_t at = out.find(placeholder); at != std::string::npos;
       at = out.find(placeholder, at)) {
    out.replace(at, placeholder.size(), text);
  }
  return out;
}

// Filled by the delivery report callback (it runs inside rd_kafka_poll/flush, on this
// thread, so plain counters suffice).
struct DeliveryCounts {
  int64_t delivered = 0;
  int64_t failed = 0;
  std::string first_error;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* counts = static_cast<DeliveryCounts*>(opaque);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++counts->delivered;
    return;
  }
  if (counts->failed++ == 0) counts->first_error = describe(message->err);
}

void on_error(rd_kafka_t* client, int err, const char* reason, void*) {
  // Transient errors (a broker going down) are expected in tests and retried by
  // librdkafka; only a fatal one (idempotence broken) ends the run.
  const bool fatal = err == RD_KAFKA_RESP_ERR__FATAL;
  std::fprintf(stderr, "secfeed-kafka-produce: %s%s: %s\n", fatal ? "fatal " : "",
               rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)), reason);
  if (fatal) {
    char fatal_reason[512];
    rd_kafka_fatal_error(client, fatal_reason, sizeof fatal_reason);
    std::fprintf(stderr, "secfeed-kafka-produce: fatal cause: %s\n", fatal_reason);
  }
}

bool collect_settings(const ProduceOptions& options, std::vector<Setting>* settings) {
  *settings = {{"bootstrap.servers", options.bootstrap},
               {"acks", "all"},
               {"enable.idempotence", "true"},
               {"linger.ms", "5"}};
  for (const std::string& text : options.settings) {
    const auto setting = split_setting(text);
    if (!setting) {
      std::fprintf(stderr, "secfeed-kafka-produce: -X expects key=value, got '%s'\n", text.c_str());
      return false;
    }
    settings->push_back(*setting);
  }
  return true;
}

HeadersPtr build_headers(const std::vector<std::string>& texts, bool* ok) {
  *ok = true;
  if (texts.empty()) return nullptr;
  HeadersPtr headers(rd_kafka_headers_new(texts.size()));
  for (const std::string& text : texts) {
    const auto header = split_setting(text);
    if (!header) {
      std::fprintf(stderr, "secfeed-kafka-produce: --header expects k=v, got '%s'\n", text.c_str());
      *ok = false;
      return nullptr;
    }
    rd_kafka_header_add(headers.get(), header->first.data(),
                        static_cast<ssize_t>(header->first.size()), header->second.data(),
                        static_cast<ssize_t>(header->second.size()));
  }
  return headers;
}

// Sends one message, waiting while the local queue is full. False when librdkafka
// refused it for good (counted as a failed delivery).
bool produce_one(rd_kafka_t* client, const ProduceOptions& options, int32_t partition,
                 const std::string& payload, const std::optional<std::string>& key,
                 const rd_kafka_headers_t* header_template, DeliveryCounts* counts) {
  // Named first: the RD_KAFKA_V_* macros cast their arguments without parentheses.
  const void* key_data = key ? key->data() : nullptr;
  const std::size_t key_size = key ? key->size() : 0;
  while (true) {
    HeadersPtr headers(header_template ? rd_kafka_headers_copy(header_template) : nullptr);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        client, RD_KAFKA_V_TOPIC(options.topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
        RD_KAFKA_V_KEY(key_data, key_size), RD_KAFKA_V_HEADERS(headers.get()), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      headers.release();  // Owned by the message now.
      return true;
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      if (counts->failed++ == 0) counts->first_error = describe(err);
      return false;
    }
    rd_kafka_poll(client, 100);  // Serve delivery reports to make room.
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"secfeed-kafka-produce: produce NDJSON lines or files to a Kafka topic"};
  ProduceOptions options;
  app.add_option("--bootstrap", options.bootstrap, "bootstrap.servers")->required();
  app.add_option("--topic", options.topic, "Topic")->required();
  app.add_option("--partition", options.partition,
                 "Fixed partition (default: by key, else librdkafka's partitioner)");
  app.add_flag("--round-robin", options.round_robin, "Spread messages over partitions in turn")
      ->excludes("--partition");
  app.add_option("--repeat", options.repeat, "Send the whole input N times")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 30));
  app.add_option("--rate", options.rate, "Messages per second (0 = unlimited)")
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--key-from-field", options.key_field,
                 "Key each message by this top-level JSON field");
  app.add_option("--header,--headers", options.headers, "Header k=v on every message")
      ->allow_extra_args(false);  // One value per occurrence; repeat the option.
  app.add_flag("--whole-file", options.whole_file, "Each input file is one message");
  app.add_option("-X,--set", options.settings, "librdkafka key=value (later ones win)")
      ->allow_extra_args(false);  // One value per occurrence; repeat the option.
  app.add_option("--stamp", options.stamp,
                 "Replace this placeholder in each message by its send time (UTC, ISO 8601)");
  app.add_option("inputs", options.inputs, "NDJSON files (default: stdin; - = stdin)");
  CLI11_PARSE(app, argc, argv);

  std::string error;
  std::vector<std::string> messages;
  if (!read_messages(options.inputs, options.whole_file, &messages, &error)) {
    std::fprintf(stderr, "secfeed-kafka-produce: %s\n", error.c_str());
    return 1;
  }
  bool headers_ok = false;
  const HeadersPtr header_template = build_headers(options.headers, &headers_ok);
  if (!headers_ok) return 1;

  std::vector<Setting> settings;
  if (!collect_settings(options, &settings)) return 1;
  ConfPtr conf = make_conf(settings, &error);
  if (!conf) {
    std::fprintf(stderr, "secfeed-kafka-produce: %s\n", error.c_str());
    return 1;
  }
  DeliveryCounts counts;
  rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
  rd_kafka_conf_set_error_cb(conf.get(), on_error);
  rd_kafka_conf_set_opaque(conf.get(), &counts);
  const KafkaPtr client = make_client(RD_KAFKA_PRODUCER, std::move(conf), &error);
  if (!client) {
    std::fprintf(stderr, "secfeed-kafka-produce: %s\n", error.c_str());
    return 1;
  }

  int partitions = 0;
  if (options.round_robin) {
    partitions = partition_count(client.get(), options.topic, 30000, &error);
    if (partitions <= 0) {
      std::fprintf(stderr, "secfeed-kafka-produce: %s\n", error.c_str());
      return 1;
    }
  }

  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  int64_t sent = 0;
  for (int round = 0; round < options.repeat; ++round) {
    for (const std::string& payload : messages) {
      if (options.rate > 0) {
        std::this_thread::sleep_until(
            start + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(sent) / options.rate)));
      }
      const int32_t partition = options.round_robin ? static_cast<int32_t>(sent % partitions)
                                                    : static_cast<int32_t>(options.partition);
      const std::optional<std::string> key =
          options.key_field.empty() ? std::nullopt : key_from_field(payload, options.key_field);
      produce_one(client.get(), options, partition,
                  options.stamp.empty() ? payload : stamped(payload, options.stamp), key,
                  header_template.get(), &counts);
      ++sent;
      rd_kafka_poll(client.get(), 0);
    }
  }
  // Every message ends in a delivery report: success, or failure after
  // message.timeout.ms. Waiting for an empty queue therefore terminates.
  while (rd_kafka_outq_len(client.get()) > 0) rd_kafka_flush(client.get(), 1000);
  rd_kafka_poll(client.get(), 0);

  std::printf("produced %lld\n", static_cast<long long>(counts.delivered));
  if (counts.failed > 0) {
    std::fprintf(stderr, "secfeed-kafka-produce: %lld of %lld messages not delivered, first: %s\n",
                 static_cast<long long>(counts.failed), static_cast<long long>(sent),
                 counts.first_error.c_str());
    return 1;
  }
  return 0;
}
