// secfeed-kafka-consume-count: consumes a topic from the beginning and counts every
// message (per partition, duplicates, offset gaps) until it has --expect messages or the
// topic stays idle. The "real consumer" the sink tests compare against.
//
// Exit status: 0 done (and exactly --expect messages when given), 1 setup or fatal
// consume error (e.g. the data fell out of the mock's retention), 3 wrong count.
#include <signal.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "tests/kafka_broker/kafka_handle.hpp"
#include "tests/kafka_broker/message_tally.hpp"

namespace {

using namespace secfeed::testkafka;
using Clock = std::chrono::steady_clock;

struct ConsumeOptions {
  std::string bootstrap;
  std::string topic;
  std::string group;  // Empty: assign() every partition, no group.
  int64_t expect = -1;
  int idle_timeout_ms = 10000;
  int max_time_ms = 0;
  int linger_ms = 0;
  bool until_eof = false;
  std::string out_path;
  std::vector<std::string> settings;
};

volatile sig_atomic_t g_stop_requested = 0;
void request_stop(int) {
  g_stop_requested = 1;
}

// A consumer that lost data must say so, not count on: these end the run.
bool is_fatal(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__FATAL || err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
         err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
         err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
         err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED;
}

std::vector<Setting> base_settings(const ConsumeOptions& options) {
  std::vector<Setting> settings{{"bootstrap.servers", options.bootstrap},
                                {"enable.partition.eof", "true"}};
  if (options.group.empty()) {
    // Without a group there is nothing to reset to silently: falling behind the
    // retention surfaces as _AUTO_OFFSET_RESET.
    settings.push_back({"auto.offset.reset", "error"});
    // librdkafka 2.0.2 refuses assign() without a group.id (_UNKNOWN_GROUP); with
    // assign() the group is never joined and nothing is committed.
    settings.push_back({"group.id", "secfeed-kafka-consume-count"});
    settings.push_back({"enable.auto.commit", "false"});
  } else {
    // A new group has no offsets: start at the beginning. The mock waits
    // session.timeout.ms - 1 s before the first rebalance, so keep it short.
    settings.push_back({"group.id", options.group});
    settings.push_back({"auto.offset.reset", "earliest"});
    settings.push_back({"session.timeout.ms", "6000"});
    settings.push_back({"heartbeat.interval.ms", "500"});
  }
  return settings;
}

bool start_consuming(rd_kafka_t* client, const ConsumeOptions& options, int partitions) {
  const PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  if (options.group.empty()) {
    for (int32_t p = 0; p < partitions; ++p) {
      rd_kafka_topic_partition_list_add(list.get(), options.topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    }
  } else {
    rd_kafka_topic_partition_list_add(list.get(), options.topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = options.group.empty() ? rd_kafka_assign(client, list.get())
                                                        : rd_kafka_subscribe(client, list.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr, "secfeed-kafka-consume-count: %s: %s\n",
                 options.group.empty() ? "assign" : "subscribe", describe(err).c_str());
    return false;
  }
  return true;
}

class Consumption {
 public:
  Consumption(rd_kafka_t* client, const ConsumeOptions& options, int partitions, std::FILE* out)
      : client_(client), options_(options), partitions_(partitions), out_(out) {}

  // Consumes until a stop condition; false on a fatal error.
  bool run() {
    const Clock::time_point start = Clock::now();
    last_message_ = start;
    while (g_stop_requested == 0) {
      const Clock::time_point now = Clock::now();
      if (options_.max_time_ms > 0 &&
          now - start >= std::chrono::milliseconds(options_.max_time_ms)) {
        std::fprintf(stderr, "secfeed-kafka-consume-count: --max-time reached\n");
        return true;
      }
      if (now - last_message_ >= std::chrono::milliseconds(options_.idle_timeout_ms)) {
        std::fprintf(stderr, "secfeed-kafka-consume-count: idle for %d ms, stopping\n",
                     options_.idle_timeout_ms);
        return true;
      }
      if (expect_reached_at_ &&
          now - *expect_reached_at_ >= std::chrono::milliseconds(options_.linger_ms)) {
        return true;
      }
      if (options_.until_eof && static_cast<int>(at_eof_.size()) == partitions_) return true;

      const MessagePtr message(rd_kafka_consumer_poll(client_, 100));
      if (!message) continue;
      if (!handle(*message)) return false;
    }
    return true;
  }

  const MessageTally& tally() const { return tally_; }

 private:
  bool handle(const rd_kafka_message_t& message) {
    if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_eof_.insert(message.partition);
      return true;
    }
    if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const bool fatal = is_fatal(message.err);
      std::fprintf(stderr, "secfeed-kafka-consume-count: %sconsume error on partition %d: %s: %s\n",
                   fatal ? "fatal " : "", message.partition, rd_kafka_err2name(message.err),
                   rd_kafka_message_errstr(&message));
      return !fatal;
    }
    at_eof_.erase(message.partition);
    last_message_ = Clock::now();
    const std::string_view payload(static_cast<const char*>(message.payload), message.len);
    std::optional<std::string_view> key;
    if (message.key != nullptr) key.emplace(static_cast<const char*>(message.key), message.key_len);
    tally_.add(message.partition, message.offset, key, payload);
    if (out_ != nullptr) {
      std::fwrite(payload.data(), 1, payload.size(), out_);
      std::fputc('\n', out_);
    }
    if (options_.expect >= 0 && tally_.total() == options_.expect && !expect_reached_at_) {
      expect_reached_at_ = last_message_;
    }
    return true;
  }

  rd_kafka_t* client_;
  const ConsumeOptions& options_;
  int partitions_;
  std::FILE* out_;
  MessageTally tally_;
  std::set<int32_t> at_eof_;
  Clock::time_point last_message_;
  std::optional<Clock::time_point> expect_reached_at_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"secfeed-kafka-consume-count: consume a topic from the beginning and count"};
  ConsumeOptions options;
  app.add_option("--bootstrap", options.bootstrap, "bootstrap.servers")->required();
  app.add_option("--topic", options.topic, "Topic")->required();
  app.add_option("--group", options.group,
                 "Consumer group (subscribe); default: assign() all partitions");
  app.add_option("--expect", options.expect,
                 "Stop after this many messages; exit 3 if "
                 "the final count differs")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--idle-timeout", options.idle_timeout_ms,
                 "Stop after this many ms without a message")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400000));
  app.add_option("--max-time", options.max_time_ms, "Stop after this many ms in all (0 = no limit)")
      ->check(CLI::Range(0, 86400000));
  app.add_option("--linger", options.linger_ms,
                 "After --expect is reached, keep consuming this many ms to catch extras")
      ->check(CLI::Range(0, 86400000));
  app.add_flag("--eof", options.until_eof, "Stop once every partition is at its end");
  app.add_option("--out", options.out_path, "Write each payload to FILE, one per line");
  app.add_option("-X,--set", options.settings, "librdkafka key=value (later ones win)")
      ->allow_extra_args(false);  // One value per occurrence; repeat the option.
  CLI11_PARSE(app, argc, argv);

  std::vector<Setting> settings = base_settings(options);
  for (const std::string& text : options.settings) {
    const auto setting = split_setting(text);
    if (!setting) {
      std::fprintf(stderr, "secfeed-kafka-consume-count: -X expects key=value, got '%s'\n",
                   text.c_str());
      return 1;
    }
    settings.push_back(*setting);
  }
  std::string error;
  ConfPtr conf = make_conf(settings, &error);
  if (!conf) {
    std::fprintf(stderr, "secfeed-kafka-consume-count: %s\n", error.c_str());
    return 1;
  }
  const KafkaPtr client = make_client(RD_KAFKA_CONSUMER, std::move(conf), &error);
  if (!client) {
    std::fprintf(stderr, "secfeed-kafka-consume-count: %s\n", error.c_str());
    return 1;
  }
  rd_kafka_poll_set_consumer(client.get());

  std::FILE* out = nullptr;
  if (!options.out_path.empty()) {
    out = std::fopen(options.out_path.c_str(), "wb");
    if (out == nullptr) {
      std::perror(options.out_path.c_str());
      return 1;
    }
    // One write per payload line: a reader following the file (or a FIFO) live, e.g. the
    // Graph benchmark timestamping arrivals, sees every message as soon as it is consumed.
    std::setvbuf(out, nullptr, _IOLBF, 1 << 16);
  }

  struct sigaction stop_action {};
  stop_action.sa_handler = request_stop;
  sigaction(SIGTERM, &stop_action, nullptr);
  sigaction(SIGINT, &stop_action, nullptr);

  const int partitions = partition_count(client.get(), options.topic, 30000, &error);
  bool ok = partitions > 0;
  if (!ok) std::fprintf(stderr, "secfeed-kafka-consume-count: %s\n", error.c_str());
  Consumption consumption(client.get(), options, partitions, out);
  if (ok) ok = start_consuming(client.get(), options, partitions) && consumption.run();
  rd_kafka_consumer_close(client.get());

  if (out != nullptr && std::fclose(out) != 0) {
    std::perror(options.out_path.c_str());
    ok = false;
  }
  consumption.tally().print(stdout);
  if (!ok) return 1;
  if (options.expect >= 0 && consumption.tally().total() != options.expect) {
    std::fprintf(stderr, "secfeed-kafka-consume-count: expected %lld messages, got %lld\n",
                 static_cast<long long>(options.expect),
                 static_cast<long long>(consumption.tally().total()));
    return 3;
  }
  return 0;
}
