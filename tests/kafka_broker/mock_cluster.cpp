#include "tests/kafka_broker/mock_cluster.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "tests/kafka_broker/kafka_names.hpp"

namespace secfeed::testkafka {
namespace {

// The mock's own limits are far higher; these keep a typo from allocating millions
// of partitions or queueing millions of errors.
constexpr int64_t kMaxPartitions = 10000;
constexpr int64_t kMaxPushedErrors = 100000;
constexpr int64_t kMaxRttMs = 600000;

constexpr std::string_view kHelp =
    "ok commands: ping | bootstrap | create-topic NAME PARTITIONS [REPLICATION] | "
    "broker-down ID|all | broker-up ID|all | rtt ID|all MS | push-errors APIKEY ERROR COUNT | "
    "broker-push-errors ID APIKEY ERROR COUNT [RTT_MS] | error-stack ID APIKEY | "
    "clear-errors APIKEY | topic-error TOPIC ERROR | partition-leader TOPIC PARTITION BROKER | "
    "coordinator group|transaction KEY BROKER | quit";

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < line.size()) {
    const std::size_t start = line.find_first_not_of(" \t\r", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = line.find_first_of(" \t\r", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    pos = end;
  }
  return words;
}

std::string error_reply(std::string_view reason) {
  return "error " + std::string(reason);
}

std::string kafka_error_reply(rd_kafka_resp_err_t err) {
  return error_reply(describe(err));
}

std::optional<int64_t> parse_in_range(std::string_view text, int64_t low, int64_t high) {
  const std::optional<int64_t> value = parse_int(text);
  if (!value || *value < low || *value > high) return std::nullopt;
  return value;
}

std::string range_error(std::string_view what, std::string_view text, int64_t low, int64_t high) {
  return error_reply("invalid " + std::string(what) + " '" + std::string(text) + "' (expected " +
                     std::to_string(low) + ".." + std::to_string(high) + ")");
}

// The owning handle has no bootstrap.servers (it only hosts the cluster); drop the
// warning about that and print everything else as librdkafka's default logger does.
void log_without_bootstrap_warning(const rd_kafka_t* handle, int level, const char* facility,
                                   const char* message) {
  if (std::string_view(facility) == "CONFWARN" &&
      std::string_view(message).find("bootstrap.servers") != std::string_view::npos) {
    return;
  }
  std::fprintf(stderr, "%%%d|%s|%s| %s\n", level, facility, rd_kafka_name(handle), message);
}

}  // namespace

std::unique_ptr<MockCluster> MockCluster::create(int broker_count,
                                                 const std::vector<Setting>& settings,
                                                 std::string* error) {
  if (broker_count < 1) {
    *error = "broker count must be at least 1";
    return nullptr;
  }
  ConfPtr conf = make_conf(settings, error);
  if (!conf) return nullptr;
  rd_kafka_conf_set_log_cb(conf.get(), log_without_bootstrap_warning);
  KafkaPtr handle = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!handle) return nullptr;
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle.get(), broker_count);
  if (cluster == nullptr) {
    *error = "rd_kafka_mock_cluster_new failed (see the log above)";
    return nullptr;
  }
  return std::unique_ptr<MockCluster>(new MockCluster(std::move(handle), cluster, broker_count));
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
}

std::string MockCluster::bootstrap() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockCluster::poll_events() {
  rd_kafka_poll(handle_.get(), 0);
}

CommandReply MockCluster::execute(std::string_view line) {
  const std::vector<std::string_view> words = split_words(line);
  if (words.empty()) return {};
  const std::string_view command = words.front();
  const Args args(words.begin() + 1, words.end());
  if (command == "ping") return {"ok pong"};
  if (command == "bootstrap") return {"ok bootstrap=" + bootstrap()};
  if (command == "help") return {std::string(kHelp)};
  if (command == "quit") return {"ok bye", true};
  if (command == "create-topic") return {create_topic(args)};
  if (command == "broker-down") return {set_broker_down(args, true)};
  if (command == "broker-up") return {set_broker_down(args, false)};
  if (command == "rtt") return {set_rtt(args)};
  if (command == "push-errors") return {push_errors(args)};
  if (command == "broker-push-errors") return {push_broker_errors(args)};
  if (command == "error-stack") return {error_stack_count(args)};
  if (command == "clear-errors") return {clear_errors(args)};
  if (command == "topic-error") return {set_topic_error(args)};
  if (command == "partition-leader") return {set_partition_leader(args)};
  if (command == "coordinator") return {set_coordinator(args)};
  return {error_reply("unknown command '" + std::string(command) + "' (try help)")};
}

std::string MockCluster::create_topic(const Args& args) {
  if (args.size() < 2 || args.size() > 3) {
    return error_reply("usage: create-topic NAME PARTITIONS [REPLICATION]");
  }
  const std::string name(args[0]);
  const std::optional<int64_t> partitions = parse_in_range(args[1], 1, kMaxPartitions);
  if (!partitions) return range_error("partition count", args[1], 1, kMaxPartitions);
  // Same default as the mock's auto-created topics.
  int64_t replication = std::min(3, broker_count_);
  if (args.size() == 3) {
    const std::optional<int64_t> parsed = parse_in_range(args[2], 1, broker_count_);
    if (!parsed) return range_error("replication factor", args[2], 1, broker_count_);
    replication = *parsed;
  }
  const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
      cluster_, name.c_str(), static_cast<int>(*partitions), static_cast<int>(replication));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  return "ok topic " + name + " partitions=" + std::to_string(*partitions) +
         " replication=" + std::to_string(replication);
}

std::string MockCluster::set_broker_down(const Args& args, bool down) {
  const std::string_view command = down ? "broker-down" : "broker-up";
  if (args.size() != 1) return error_reply("usage: " + std::string(command) + " ID|all");
  const std::optional<int32_t> broker = parse_broker_or_all(args[0]);
  if (!broker) return broker_or_all_error(args[0]);
  const rd_kafka_resp_err_t err = down ? rd_kafka_mock_broker_set_down(cluster_, *broker)
                                       : rd_kafka_mock_broker_set_up(cluster_, *broker);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  return "ok broker " + std::string(args[0]) + (down ? " down" : " up");
}

std::string MockCluster::set_rtt(const Args& args) {
  if (args.size() != 2) return error_reply("usage: rtt ID|all MS");
  const std::optional<int32_t> broker = parse_broker_or_all(args[0]);
  if (!broker) return broker_or_all_error(args[0]);
  const std::optional<int64_t> rtt_ms = parse_in_range(args[1], 0, kMaxRttMs);
  if (!rtt_ms) return range_error("rtt", args[1], 0, kMaxRttMs);
  const rd_kafka_resp_err_t err =
      rd_kafka_mock_broker_set_rtt(cluster_, *broker, static_cast<int>(*rtt_ms));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  return "ok broker " + std::string(args[0]) + " rtt=" + std::to_string(*rtt_ms) + "ms";
}

std::optional<int32_t> MockCluster::parse_broker_or_all(std::string_view text) const {
  if (text == "all") return -1;  // The mock's own "every broker".
  const std::optional<int64_t> id = parse_in_range(text, 1, broker_count_);
  if (!id) return std::nullopt;
  return static_cast<int32_t>(*id);
}

std::string MockCluster::broker_or_all_error(std::string_view text) const {
  return error_reply("invalid broker id '" + std::string(text) + "' (expected 1.." +
                     std::to_string(broker_count_) + " or all)");
}

std::string MockCluster::push_errors(const Args& args) {
  if (args.size() != 3) return error_reply("usage: push-errors APIKEY ERROR COUNT");
  const std::optional<int16_t> api_key = api_key_by_name(args[0]);
  if (!api_key) return error_reply("unknown api key '" + std::string(args[0]) + "'");
  const std::optional<rd_kafka_resp_err_t> err = error_by_name(args[1]);
  if (!err) return error_reply("unknown error name '" + std::string(args[1]) + "'");
  const std::optional<int64_t> count = parse_in_range(args[2], 1, kMaxPushedErrors);
  if (!count) return range_error("count", args[2], 1, kMaxPushedErrors);
  // Cluster-wide stack: the next COUNT requests of this ApiKey, on any broker, fail.
  const std::vector<rd_kafka_resp_err_t> errors(static_cast<std::size_t>(*count), *err);
  rd_kafka_mock_push_request_errors_array(cluster_, *api_key, errors.size(), errors.data());
  return "ok pushed " + std::to_string(*count) + " " + rd_kafka_err2name(*err) + " for " +
         api_key_name(*api_key);
}

std::string MockCluster::push_broker_errors(const Args& args) {
  if (args.size() != 4 && args.size() != 5) {
    return error_reply("usage: broker-push-errors ID APIKEY ERROR COUNT [RTT_MS]");
  }
  const std::optional<int64_t> id = parse_in_range(args[0], 1, broker_count_);
  if (!id) return range_error("broker id", args[0], 1, broker_count_);
  const std::optional<int16_t> api_key = api_key_by_name(args[1]);
  if (!api_key) return error_reply("unknown api key '" + std::string(args[1]) + "'");
  const std::optional<rd_kafka_resp_err_t> err = error_by_name(args[2]);
  if (!err) return error_reply("unknown error name '" + std::string(args[2]) + "'");
  const std::optional<int64_t> count = parse_in_range(args[3], 1, kMaxPushedErrors);
  if (!count) return range_error("count", args[3], 1, kMaxPushedErrors);
  int64_t rtt_ms = 0;
  if (args.size() == 5) {
    const std::optional<int64_t> parsed = parse_in_range(args[4], 0, kMaxRttMs);
    if (!parsed) return range_error("rtt", args[4], 0, kMaxRttMs);
    rtt_ms = *parsed;
  }
  // The C API takes (error, rtt) pairs as varargs; one call per error keeps the count
  // a runtime value.
  for (int64_t i = 0; i < *count; ++i) {
    const rd_kafka_resp_err_t pushed = rd_kafka_mock_broker_push_request_error_rtts(
        cluster_, static_cast<int32_t>(*id), *api_key, 1, *err, static_cast<int>(rtt_ms));
    if (pushed != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(pushed);
  }
  return "ok pushed " + std::to_string(*count) + " " + rd_kafka_err2name(*err) + " for " +
         api_key_name(*api_key) + " on broker " + std::to_string(*id);
}

std::string MockCluster::error_stack_count(const Args& args) {
  if (args.size() != 2) return error_reply("usage: error-stack ID APIKEY");
  const std::optional<int64_t> id = parse_in_range(args[0], 1, broker_count_);
  if (!id) return range_error("broker id", args[0], 1, broker_count_);
  const std::optional<int16_t> api_key = api_key_by_name(args[1]);
  if (!api_key) return error_reply("unknown api key '" + std::string(args[1]) + "'");
  std::size_t remaining = 0;
  const rd_kafka_resp_err_t err = rd_kafka_mock_broker_error_stack_cnt(
      cluster_, static_cast<int32_t>(*id), *api_key, &remaining);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  // Only the per-broker stack (broker-push-errors); the mock cannot count push-errors'.
  return "ok " + std::to_string(remaining);
}

std::string MockCluster::clear_errors(const Args& args) {
  if (args.size() != 1) return error_reply("usage: clear-errors APIKEY");
  const std::optional<int16_t> api_key = api_key_by_name(args[0]);
  if (!api_key) return error_reply("unknown api key '" + std::string(args[0]) + "'");
  rd_kafka_mock_clear_request_errors(cluster_, *api_key);
  return "ok cleared " + api_key_name(*api_key);
}

std::string MockCluster::set_topic_error(const Args& args) {
  if (args.size() != 2) return error_reply("usage: topic-error TOPIC ERROR");
  const std::optional<rd_kafka_resp_err_t> err = error_by_name(args[1]);
  if (!err) return error_reply("unknown error name '" + std::string(args[1]) + "'");
  const std::string topic(args[0]);
  rd_kafka_mock_topic_set_error(cluster_, topic.c_str(), *err);
  return "ok topic " + topic + " error=" + rd_kafka_err2name(*err);
}

std::string MockCluster::set_partition_leader(const Args& args) {
  if (args.size() != 3) return error_reply("usage: partition-leader TOPIC PARTITION BROKER");
  const std::string topic(args[0]);
  const std::optional<int64_t> partition = parse_in_range(args[1], 0, kMaxPartitions - 1);
  if (!partition) return range_error("partition", args[1], 0, kMaxPartitions - 1);
  // -1 leaves the partition without a leader (clients see LEADER_NOT_AVAILABLE).
  const std::optional<int64_t> broker = parse_in_range(args[2], -1, broker_count_);
  if (!broker || *broker == 0) return range_error("broker id", args[2], -1, broker_count_);
  const rd_kafka_resp_err_t err = rd_kafka_mock_partition_set_leader(
      cluster_, topic.c_str(), static_cast<int32_t>(*partition), static_cast<int32_t>(*broker));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  return "ok topic " + topic + " partition " + std::to_string(*partition) +
         " leader=" + std::to_string(*broker);
}

std::string MockCluster::set_coordinator(const Args& args) {
  if (args.size() != 3 || (args[0] != "group" && args[0] != "transaction")) {
    return error_reply("usage: coordinator group|transaction KEY BROKER");
  }
  const std::optional<int64_t> broker = parse_in_range(args[2], 1, broker_count_);
  if (!broker) return range_error("broker id", args[2], 1, broker_count_);
  const std::string type(args[0]);
  const std::string key(args[1]);
  const rd_kafka_resp_err_t err = rd_kafka_mock_coordinator_set(cluster_, type.c_str(), key.c_str(),
                                                                static_cast<int32_t>(*broker));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return kafka_error_reply(err);
  return "ok coordinator " + type + " " + key + " broker=" + std::to_string(*broker);
}

}  // namespace secfeed::testkafka
