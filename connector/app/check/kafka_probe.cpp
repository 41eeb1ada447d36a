// The eventhub source and the kafka sink: one metadata request through librdkafka with
// the same properties the daemon uses (kafka_client_properties + make_kafka_conf).
#include <librdkafka/rdkafka.h>

#include <memory>
#include <mutex>

#include "connector/app/check/probes.hpp"
#include "connector/core/kafka_client_properties.hpp"
#include "connector/pipeline/kafka_conf.hpp"

namespace secfeed::check {
namespace {

// librdkafka reports why it cannot reach the cluster only through the error callback;
// the metadata call itself just times out. Keeps the most telling error seen.
struct ErrorLog {
  std::mutex mutex;
  rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string reason;
  int rank = 0;
};

int rank_of(rd_kafka_resp_err_t error) {
  switch (error) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
      return 4;
    case RD_KAFKA_RESP_ERR__SSL:
    case RD_KAFKA_RESP_ERR__RESOLVE:
      return 3;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
      return 2;
    default:
      return 1;
  }
}

void on_error(rd_kafka_t* /*rk*/, int error, const char* reason, void* opaque) {
  auto* log = static_cast<ErrorLog*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(error);
  std::lock_guard lock(log->mutex);
  if (rank_of(code) < log->rank) return;
  log->rank = rank_of(code);
  log->error = code;
  log->reason = reason ? reason : "";
}

// Errors reach on_error; librdkafka's own log lines would only clutter the table.
void on_log(const rd_kafka_t* /*rk*/, int /*level*/, const char* /*facility*/,
            const char* /*line*/) {}

std::string connection_failure(ErrorLog& log, rd_kafka_resp_err_t error,
                               const std::string& bootstrap, std::chrono::milliseconds timeout) {
  std::lock_guard lock(log.mutex);
  switch (log.error) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
      return "authentication failed: " + log.reason +
             " (check the connection string / SASL credentials)";
    case RD_KAFKA_RESP_ERR__RESOLVE:
      return "DNS error: " + log.reason;
    case RD_KAFKA_RESP_ERR__SSL:
      return "TLS error: " + log.reason;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      return "connect error: " + log.reason;
    default:
      break;
  }
  if (error == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    return "timeout: no metadata from " + bootstrap + " within " + std::to_string(timeout.count()) +
           " ms";
  }
  return std::string("error: ") + rd_kafka_err2str(error);
}

struct KafkaTarget {
  const KafkaClientConfig* kafka = nullptr;
  std::string topic;  // empty: the cluster only
};

// An OAUTHBEARER token of the configured tenant, set on the handle before it connects.
std::string set_oauth_token(CheckContext& context, const KafkaClientConfig& kafka,
                            rd_kafka_t* handle) {
  const TenantConfig* tenant = context.config.find_tenant(kafka.oauth_tenant);
  if (tenant == nullptr) return "unknown oauth tenant " + kafka.oauth_tenant;
  const TokenOutcome token = context.run<TokenOutcome>(
      [&context, tenant, &kafka] { return fetch_token(context, *tenant, kafka.oauth_scope); });
  if (!token.ok()) return token.failure;
  const auto expires_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch() + token.valid_for)
                              .count();
  char errstr[512];
  if (rd_kafka_oauthbearer_set_token(handle, token.access_token.c_str(), expires_ms, "secfeed",
                                     nullptr, 0, errstr,
                                     sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::string("OAUTHBEARER token refused by librdkafka: ") + errstr;
  }
  return {};
}

CheckRow probe(CheckContext& context, const KafkaTarget& target, CheckRow row) {
  auto fail = [&row](std::string detail) {
    row.status = CheckStatus::fail;
    row.detail = std::move(detail);
    return row;
  };
  KafkaProperties properties = kafka_client_properties(*target.kafka);
  // A metadata request must not create the topic it asks about.
  properties.emplace_back("allow.auto.create.topics", "false");
  std::string error;
  rd_kafka_conf_t* conf = make_kafka_conf(properties, row.component, error);
  if (conf == nullptr) return fail("config error: " + error);
  ErrorLog log;
  rd_kafka_conf_set_opaque(conf, &log);
  rd_kafka_conf_set_error_cb(conf, &on_error);
  rd_kafka_conf_set_log_cb(conf, &on_log);
  char errstr[512];
  rd_kafka_t* raw = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (raw == nullptr) {
    rd_kafka_conf_destroy(conf);  // only consumed by rd_kafka_new on success
    return fail(std::string("config error: ") + errstr);
  }
  const std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)> handle(raw, &rd_kafka_destroy);
  if (target.kafka->sasl_mechanism == SaslMechanism::oauthbearer) {
    if (std::string failure = set_oauth_token(context, *target.kafka, raw); !failure.empty()) {
      return fail(failure);
    }
  }
  rd_kafka_topic_t* topic =
      target.topic.empty() ? nullptr : rd_kafka_topic_new(raw, target.topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t result =
      rd_kafka_metadata(raw, 0, topic, &metadata, static_cast<int>(context.timeout.count()));
  if (topic != nullptr) rd_kafka_topic_destroy(topic);
  rd_kafka_poll(raw, 0);  // serves the error callbacks queued meanwhile
  const std::unique_ptr<const rd_kafka_metadata_t, decltype(&rd_kafka_metadata_destroy)> owned(
      metadata, &rd_kafka_metadata_destroy);
  if (result == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
      result == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return fail("unknown topic '" + target.topic + "' (check topic / the EntityPath)");
  }
  if (result != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return fail(connection_failure(log, result, target.kafka->bootstrap_servers, context.timeout));
  }
  const std::string brokers = std::to_string(metadata->broker_cnt) + " brokers";
  if (target.topic.empty()) {
    row.detail = "cluster reachable, " + brokers + " (topic template not checked)";
    return row;
  }
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& found = metadata->topics[i];
    if (target.topic != found.topic) continue;
    switch (found.err) {
      case RD_KAFKA_RESP_ERR_NO_ERROR:
        row.detail = "topic '" + target.topic + "': " + std::to_string(found.partition_cnt) +
                     " partitions, " + brokers;
        return row;
      case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
        return fail("unknown topic '" + target.topic + "' (check topic / the EntityPath)");
      case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        return fail("not authorized for topic '" + target.topic +
                    "' (Event Hubs: a Listen/Send policy or the Data Receiver/Sender role)");
      default:
        return fail("topic '" + target.topic + "': " + rd_kafka_err2str(found.err));
    }
  }
  return fail("unknown topic '" + target.topic + "' (not in the cluster's metadata)");
}

std::string target_text(const KafkaClientConfig& kafka, const std::string& topic) {
  return kafka.bootstrap_servers + (topic.empty() ? "" : " topic " + topic);
}

}  // namespace

void check_eventhub_source(CheckContext& context, const SourceConfig& source, CheckReport& report) {
  const EventHubSourceConfig& settings = std::get<EventHubSourceConfig>(source.settings);
  CheckRow row{"source " + source.name, target_text(settings.kafka, settings.topic),
               CheckStatus::ok, ""};
  report.add(probe(context, {&settings.kafka, settings.topic}, std::move(row)));
}

void check_kafka_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report) {
  const KafkaSinkConfig& settings = std::get<KafkaSinkConfig>(sink.settings);
  // A template ({kind}, {tenant}, {source}) names topics only events decide.
  const bool fixed_topic = settings.topic.find('{') == std::string::npos;
  CheckRow row{"sink " + sink.name, target_text(settings.kafka, settings.topic), CheckStatus::ok,
               ""};
  report.add(probe(context, {&settings.kafka, fixed_topic ? settings.topic : ""}, std::move(row)));
}

}  // namespace secfeed::check
