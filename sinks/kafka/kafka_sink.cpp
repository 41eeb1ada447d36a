#include "sinks/kafka/kafka_sink.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/log.hpp"
#include "connector/pipeline/kafka_conf.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr std::string_view kComponent = "kafka";
// How often deliver() polls for delivery reports. Polling from the io_context thread
// with rd_kafka_poll(0) never blocks it; 5 ms adds little latency to a batch.
constexpr milliseconds kPollInterval{5};
// Shutdown: how long queued messages may take to reach the broker before they are
// abandoned (they were never acked, so their sources redeliver them).
constexpr int kFlushTimeoutMs = 10000;
constexpr std::chrono::seconds kWaitWarningInterval{30};

// The opaque of a produced message: its index in the batch, plus one so that index 0
// is not a null pointer.
void* index_opaque(std::size_t index) {
  return reinterpret_cast<void*>(index + 1);
}
std::size_t opaque_index(void* opaque) {
  return reinterpret_cast<std::uintptr_t>(opaque) - 1;
}

}  // namespace

void render_topic(std::string_view topic_template, const SinkMessage& message, std::string& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos < topic_template.size()) {
    const std::size_t open = topic_template.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = topic_template.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = topic_template.substr(open + 1, close - open - 1);
    std::string_view value;
    bool known = true;
    if (name == "kind") {
      value = to_string(message.kind);
    } else if (name == "tenant") {
      value = message.tenant_id;
    } else if (name == "source") {
      value = message.source;
    } else {
      known = false;  // validated away by the config; copied unchanged if it gets here
    }
    out.append(topic_template.substr(pos, open - pos));
    if (known) {
      out.append(value);
    } else {
      out.append(topic_template.substr(open, close - open + 1));
    }
    pos = close + 1;
  }
  out.append(topic_template.substr(std::min(pos, topic_template.size())));
}

std::string_view message_key(KafkaKey key, const SinkMessage& message) {
  switch (key) {
    case KafkaKey::id:
      return message.id;
    case KafkaKey::tenant:
      return message.tenant_id;
    case KafkaKey::none:
      break;
  }
  return {};
}

KafkaHeaders message_headers(const SinkMessage& message) {
  return {{{"tenant", message.tenant_id},
           {"kind", to_string(message.kind)},
           {"source", message.source},
           {"schema_version", kKafkaSchemaVersion}}};
}

std::string_view compression_name(KafkaCompression compression) {
  switch (compression) {
    case KafkaCompression::none:
      return "none";
    case KafkaCompression::gzip:
      return "gzip";
    case KafkaCompression::snappy:
      return "snappy";
    case KafkaCompression::lz4:
      return "lz4";
    case KafkaCompression::zstd:
      return "zstd";
  }
  return "none";
}

KafkaProperties kafka_producer_properties(const KafkaSinkConfig& config) {
  KafkaProperties properties = {
      {"client.id", "secfeed"},
      {"linger.ms", "5"},
      // Infinite: librdkafka keeps retrying through a broker outage. A finite timeout
      // would fail messages that may already be written, and our retry would then
      // produce them again as new messages (a duplicate idempotence cannot catch).
      {"message.timeout.ms", "0"},
      {"compression.type", std::string(compression_name(config.compression))},
  };
  for (auto& property : kafka_client_properties(config.kafka)) {
    properties.push_back(std::move(property));
  }
  // Not overridable: anything less than idempotent acks=all can lose or duplicate
  // events that were already acknowledged to the source.
  properties.emplace_back("enable.idempotence", "true");
  properties.emplace_back("acks", "all");
  return properties;
}

bool is_permanent_delivery_error(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__BAD_MSG:
      return true;
    default:
      return false;
  }
}

KafkaSink::KafkaSink(Executor executor, SinkOptions options, KafkaSinkConfig config,
                     DeadLetterOutput* dead_letters, net::KafkaTokenFunction oauth_token)
    : Sink(executor, std::move(options), dead_letters),
      config_(std::move(config)),
      oauth_token_(std::move(oauth_token)) {
  create_producer(create_error_);
}

KafkaSink::~KafkaSink() {
  destroy_producer();
}

bool KafkaSink::create_producer(std::string& error) {
  rd_kafka_conf_t* conf = make_kafka_conf(kafka_producer_properties(config_), name(), error);
  if (conf == nullptr) return false;
  char errstr[512];
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_dr_msg_cb(conf, &KafkaSink::delivery_report);
  const bool oauth = config_.kafka.sasl_mechanism == SaslMechanism::oauthbearer;
  if (oauth) {
    if (!oauth_token_) {
      rd_kafka_conf_destroy(conf);
      error = name() + ": sasl_mechanism oauthbearer needs a token function";
      return false;
    }
    rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, &KafkaSink::oauth_refresh);
    // The token function waits for the io thread, and this sink serves librdkafka's
    // main queue (rd_kafka_poll) on the io thread: refreshes must run elsewhere, on
    // librdkafka's background thread.
    rd_kafka_conf_enable_sasl_queue(conf, 1);
  }
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (producer_ == nullptr) {
    rd_kafka_conf_destroy(conf);  // only consumed by rd_kafka_new on success
    error = name() + ": cannot create the Kafka producer: " + errstr;
    return false;
  }
  if (oauth) {
    if (rd_kafka_error_t* failed = rd_kafka_sasl_background_callbacks_enable(producer_)) {
      error = name() + ": cannot serve OAUTHBEARER refreshes in the background: " +
              rd_kafka_error_string(failed);
      rd_kafka_error_destroy(failed);
      rd_kafka_destroy(producer_);
      producer_ = nullptr;
      return false;
    }
  }
  return true;
}

void KafkaSink::oauth_refresh(rd_kafka_t* rk, const char* /*oauthbearer_config*/, void* opaque) {
  auto* self = static_cast<KafkaSink*>(opaque);
  const bool ok = net::answer_oauth_refresh(rk, self->oauth_token_, kComponent, self->name());
  (ok ? self->token_refreshes_ : self->token_failures_).fetch_add(1);
  self->token_failing_.store(!ok);
}

void KafkaSink::destroy_producer() {
  if (producer_ == nullptr) return;
  if (rd_kafka_flush(producer_, kFlushTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    log_warn(kComponent, name() + ": " + std::to_string(rd_kafka_outq_len(producer_)) +
                             " messages not confirmed by the broker at shutdown; their "
                             "sources deliver them again");
    rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_, 0);  // serve the purge reports
  }
  rd_kafka_destroy(producer_);
  producer_ = nullptr;
}

void KafkaSink::delivery_report(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* self = static_cast<KafkaSink*>(opaque);
  const std::size_t index = opaque_index(message->_private);
  if (index < self->results_.size()) self->results_[index] = message->err;
  if (self->pending_reports_ > 0) --self->pending_reports_;
}

rd_kafka_resp_err_t KafkaSink::produce(const SinkMessage& message, std::size_t index) {
  render_topic(config_.topic, message, topic_);
  const std::string_view key = message_key(config_.key, message);
  rd_kafka_headers_t* headers = nullptr;
  if (config_.headers) {
    headers = rd_kafka_headers_new(4);
    for (const auto& [header, value] : message_headers(message)) {
      rd_kafka_header_add(headers, header.data(), static_cast<ssize_t>(header.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
  }
  // RD_KAFKA_V_HEADERS hands the headers to librdkafka only on success.
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_, RD_KAFKA_V_TOPIC(topic_.c_str()),
      RD_KAFKA_V_VALUE(const_cast<char*>(message.bytes.data()), message.bytes.size()),
      RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()), RD_KAFKA_V_HEADERS(headers),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(index_opaque(index)),
      RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && headers != nullptr) rd_kafka_headers_destroy(headers);
  return err;
}

asio::awaitable<void> KafkaSink::wait_for_reports() {
  asio::steady_timer timer(executor());
  rd_kafka_poll(producer_, 0);
  // librdkafka retries without a time limit, so an unreachable cluster shows up only
  // as a wait: say so, every kWaitWarningInterval.
  auto next_warning = std::chrono::steady_clock::now() + kWaitWarningInterval;
  while (pending_reports_ > 0) {
    timer.expires_after(kPollInterval);
    co_await timer.async_wait(asio::use_awaitable);
    rd_kafka_poll(producer_, 0);
    if (pending_reports_ > 0 && std::chrono::steady_clock::now() >= next_warning) {
      log_warn(kComponent, name() + ": still waiting for the broker to confirm " +
                               std::to_string(pending_reports_) + " messages");
      next_warning += kWaitWarningInterval;
    }
  }
}

asio::awaitable<DeliveryResult> KafkaSink::deliver(std::span<SinkMessage> batch) {
  DeliveryResult result;
  if (producer_ == nullptr) {
    result.error = create_error_.empty() ? name() + ": no Kafka producer" : create_error_;
    co_return result;
  }
  co_await wait_for_reports();  // reports of an abandoned earlier batch
  results_.assign(batch.size(), RD_KAFKA_RESP_ERR__IN_PROGRESS);
  std::size_t produced = 0;
  for (; produced < batch.size(); ++produced) {
    rd_kafka_resp_err_t err = produce(batch[produced], produced);
    while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // librdkafka's local queue is full: let reports drain it, then try again.
      asio::steady_timer timer(executor(), kPollInterval);
      co_await timer.async_wait(asio::use_awaitable);
      rd_kafka_poll(producer_, 0);
      err = produce(batch[produced], produced);
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      results_[produced] = err;  // no report will come for this one
      if (!is_permanent_delivery_error(err)) break;
      continue;
    }
    ++pending_reports_;
  }
  co_await wait_for_reports();
  co_return settle(batch, produced);
}

// Orders the batch as delivered | permanently failed | to retry (the base acks the first
// group, dead-letters the second and retries the rest). Moving a delivered message ahead
// of a failed one keeps it from being produced a second time by the retry.
DeliveryResult KafkaSink::settle(std::span<SinkMessage> batch, std::size_t produced) {
  DeliveryResult result;
  std::string permanent_error, transient_error;
  std::vector<int> group(batch.size(), 2);  // 0 delivered, 1 rejected, 2 retry
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const rd_kafka_resp_err_t err = results_[i];
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      group[i] = 0;
    } else if (is_permanent_delivery_error(err)) {
      group[i] = 1;
      if (permanent_error.empty()) permanent_error = rd_kafka_err2str(err);
    } else if (i < produced || err != RD_KAFKA_RESP_ERR__IN_PROGRESS) {
      if (transient_error.empty()) transient_error = rd_kafka_err2str(err);
    }
  }
  // Stable: delivered messages keep their order, and so do those retried.
  std::vector<std::size_t> order(batch.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return group[a] < group[b]; });
  bool reordered = false;
  for (std::size_t i = 0; i < order.size(); ++i) reordered |= order[i] != i;
  if (reordered) {
    std::vector<SinkMessage> sorted;
    sorted.reserve(batch.size());
    for (std::size_t i : order) sorted.push_back(std::move(batch[i]));
    std::move(sorted.begin(), sorted.end(), batch.begin());
  }
  result.delivered = static_cast<std::size_t>(std::count(group.begin(), group.end(), 0));
  result.rejected = static_cast<std::size_t>(std::count(group.begin(), group.end(), 1));
  if (result.rejected > 0) {
    result.error = name() + ": rejected by Kafka: " + permanent_error;
  } else if (result.delivered < batch.size()) {
    result.error = name() + ": Kafka delivery failed: " +
                   (transient_error.empty() ? std::string("not produced") : transient_error);
  }
  if (rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer_, nullptr, 0);
      fatal != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // An idempotent producer in a fatal state (e.g. a sequence gap) refuses everything:
    // start a new one for the retry.
    log_error(kComponent, name() + ": fatal producer error, recreating the producer: " +
                              rd_kafka_err2str(fatal));
    destroy_producer();
    create_error_.clear();
    create_producer(create_error_);
  }
  return result;
}

}  // namespace secfeed
