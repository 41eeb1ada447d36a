#include "connector/app/daemon_telemetry.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "connector/core/health.hpp"
#include "connector/core/log.hpp"
#include "connector/core/metrics.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "connector/sources/eventhub/eventhub_source.hpp"
#include "sinks/dead_letter_output.hpp"
#include "sinks/kafka/kafka_sink.hpp"
#include "sinks/sink.hpp"

namespace secfeed {
namespace {

constexpr auto kCheckInterval = std::chrono::seconds(1);

double read(const std::atomic<std::uint64_t>& value) {
  return static_cast<double>(value.load(std::memory_order_relaxed));
}

// A counter that reads one of a component's atomics.
void counter(const void* owner, const char* name, const char* help, const metrics::Labels& labels,
             const std::atomic<std::uint64_t>& value) {
  metrics::Registry::global().counter_callback(
      name, help, labels, [&value] { return read(value); }, owner);
}

void register_process(const void* owner) {
  auto& registry = metrics::Registry::global();
  const double start =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  registry.gauge_callback(
      "secfeed_build_info", "Always 1; the version as a label.", {{"version", SECFEED_VERSION}},
      [] { return 1.0; }, owner);
  registry.gauge_callback(
      "secfeed_process_start_time_seconds",
      "When this run started (Unix time; a SIGHUP reload starts a new run).", {},
      [start] { return start; }, owner);
  registry.gauge_callback("secfeed_process_resident_memory_bytes", "Resident memory size.", {},
                          process_resident_memory_bytes, owner);
  registry.counter_callback("secfeed_process_cpu_seconds_total", "User and system CPU time.", {},
                            process_cpu_seconds, owner);
  registry.gauge_callback("secfeed_process_open_fds", "Open file descriptors.", {},
                          process_open_fds, owner);
}

void register_pipeline(const void* owner, const Pipeline& pipeline,
                       const DeadLetterOutput& dead_letters) {
  const PipelineStats& stats = pipeline.stats();
  counter(owner, "secfeed_pipeline_events_total", "Normalized events handed to the sinks.", {},
          stats.events_in);
  counter(owner, "secfeed_pipeline_records_rejected_total",
          "Records that could not be normalized (dead-lettered).", {}, stats.records_rejected);
  counter(owner, "secfeed_pipeline_events_unencodable_total",
          "Events a sink's encoder could not encode (dead-lettered).", {}, stats.unencodable);
  auto& registry = metrics::Registry::global();
  registry.counter_callback(
      "secfeed_dead_letters_total", "Records written to the dead-letter output.", {},
      [&dead_letters] { return static_cast<double>(dead_letters.written()); }, owner);
  registry.counter_callback(
      "secfeed_dead_letter_write_errors_total",
      "Dead letters that could not be written (the record is lost: alert on this).", {},
      [&dead_letters] { return static_cast<double>(dead_letters.write_errors()); }, owner);
}

void register_sink(const void* owner, const Sink& sink) {
  const metrics::Labels labels{{"sink", sink.name()}};
  const SinkStats& stats = sink.stats();
  counter(owner, "secfeed_sink_events_queued_total", "Events queued for the sink.", labels,
          stats.queued);
  counter(owner, "secfeed_sink_events_delivered_total", "Events the sink delivered.", labels,
          stats.delivered);
  counter(owner, "secfeed_sink_delivered_bytes_total", "Encoded bytes the sink delivered.", labels,
          stats.delivered_bytes);
  counter(owner, "secfeed_sink_retries_total", "Failed delivery attempts (each is retried).",
          labels, stats.failed_attempts);
  counter(owner, "secfeed_sink_events_dead_lettered_total",
          "Events the sink gave up on (written to the dead-letter output).", labels,
          stats.dead_lettered);
  metrics::Registry::global().gauge_callback(
      "secfeed_sink_queue_depth", "Events waiting in the sink's queue.", labels,
      [&sink] { return static_cast<double>(sink.queue_depth()); }, owner);
  if (const auto* kafka = dynamic_cast<const KafkaSink*>(&sink)) {
    auto& registry = metrics::Registry::global();
    registry.counter_callback(
        "secfeed_kafka_sink_token_refreshes_total",
        "Entra ID tokens handed to the kafka sink's producer (oauth).", labels,
        [kafka] { return static_cast<double>(kafka->token_refreshes()); }, owner);
    registry.counter_callback(
        "secfeed_kafka_sink_token_failures_total",
        "Entra ID token requests of the kafka sink that failed (nothing is delivered "
        "without a token).",
        labels, [kafka] { return static_cast<double>(kafka->token_failures()); }, owner);
  }
}

void register_source(const void* owner, const Source& source) {
  const auto* eventhub = dynamic_cast<const EventHubSource*>(&source);
  if (eventhub == nullptr) return;  // Graph sources export their own metrics
  const metrics::Labels labels{{"source", source.name()}};
  const EventHubSourceStats& stats = eventhub->stats();
  counter(owner, "secfeed_eventhub_messages_total", "Kafka messages consumed.", labels,
          stats.messages);
  counter(owner, "secfeed_eventhub_records_total", "Records in the consumed messages.", labels,
          stats.records);
  counter(owner, "secfeed_eventhub_events_total", "Events normalized from the records.", labels,
          stats.events);
  counter(owner, "secfeed_eventhub_records_rejected_total",
          "Records that could not be normalized (dead-lettered).", labels, stats.rejected);
  counter(owner, "secfeed_eventhub_commits_total", "Offset commits that succeeded.", labels,
          stats.commits);
  counter(owner, "secfeed_eventhub_commit_errors_total", "Offset commits that failed.", labels,
          stats.commit_errors);
  counter(owner, "secfeed_eventhub_consumer_errors_total", "Consumer errors from librdkafka.",
          labels, stats.consumer_errors);
  counter(owner, "secfeed_eventhub_offsets_lost_total",
          "Partitions whose committed offset had expired (events were lost: alert on this).",
          labels, stats.offsets_lost);
  counter(owner, "secfeed_eventhub_token_refreshes_total",
          "Entra ID tokens handed to the Kafka client (auth: oauth).", labels,
          stats.token_refreshes);
  // Consumer lag per partition: the source's own gauges (consumer_lag.hpp).
}

}  // namespace

DaemonTelemetry::DaemonTelemetry(boost::asio::any_io_executor executor, const Pipeline& pipeline,
                                 const DeadLetterOutput& dead_letters,
                                 const std::vector<std::unique_ptr<Source>>& sources)
    : pipeline_(pipeline), sources_(sources), timer_(executor) {
  register_process(this);
  register_pipeline(this, pipeline, dead_letters);
  for (const auto& sink : pipeline.sinks()) {
    register_sink(this, *sink);
    sinks_.push_back(SinkHealth{sink.get()});
  }
  for (const auto& source : sources) register_source(this, *source);
  HealthRegistry::global().set("process", "secfeed", "", false, "starting");
}

DaemonTelemetry::~DaemonTelemetry() {
  metrics::Registry::global().remove_callbacks(this);
  HealthRegistry& health = HealthRegistry::global();
  health.remove("process", "secfeed", "");
  for (const SinkHealth& entry : sinks_) health.remove("sink", entry.sink->name(), "");
  for (const auto& source : sources_) health.remove("source", source->name(), "");
}

void DaemonTelemetry::started() {
  HealthRegistry& health = HealthRegistry::global();
  for (const auto& source : sources_) health.set("source", source->name(), "", true, "running");
  health.set("process", "secfeed", "", true, "running");
  check_sinks();
  arm_timer();
}

void DaemonTelemetry::source_stopped(const std::string& name, bool failed) {
  HealthRegistry::global().set("source", name, "", false,
                               failed ? "stopped with an error (see the log)" : "stopped");
}

void DaemonTelemetry::draining(const std::string& why) {
  stopping_ = true;
  timer_.cancel();
  HealthRegistry::global().set("process", "secfeed", "", false, why);
}

void DaemonTelemetry::check_sinks() {
  for (SinkHealth& entry : sinks_) {
    const SinkStats& stats = entry.sink->stats();
    const std::uint64_t delivered = stats.delivered.load(std::memory_order_relaxed);
    const std::uint64_t failures = stats.failed_attempts.load(std::memory_order_relaxed);
    if (delivered > entry.last_delivered) {
      entry.last_delivered = delivered;
      entry.failures_at_last_delivery = failures;
    }
    const std::uint64_t failing = failures - entry.failures_at_last_delivery;
    // A kafka sink without an Entra ID token fails no delivery attempt (librdkafka holds
    // the messages), so its token state is checked on its own.
    const auto* kafka = dynamic_cast<const KafkaSink*>(entry.sink);
    const bool no_token = kafka != nullptr && kafka->token_failing();
    entry.ready = failing == 0 && !no_token;
    std::string detail = "delivered " + std::to_string(delivered);
    if (no_token) {
      detail = "no Microsoft Entra ID token for the Kafka connection (see the log)";
    } else if (failing != 0) {
      detail = std::to_string(failing) +
               " failed delivery attempts since the last delivery (see the log)";
    }
    HealthRegistry::global().set("sink", entry.sink->name(), "", entry.ready, detail);
  }
}

void DaemonTelemetry::arm_timer() {
  if (stopping_) return;
  timer_.expires_after(kCheckInterval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping_) return;
    check_sinks();
    // Rate-limited log messages whose burst ended get their summary line now.
    Logger::instance().sweep_repeats();
    arm_timer();
  });
}

double process_resident_memory_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int fields = std::fscanf(statm, "%lu %lu", &size, &resident);
  std::fclose(statm);
  if (fields != 2) return 0;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

double process_cpu_seconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double process_open_fds() {
  std::error_code ec;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  return count > 0 ? count - 1 : 0;  // minus the iterator's own descriptor
}

}  // namespace secfeed
