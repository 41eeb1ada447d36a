#include "sinks/sink_registry.hpp"

#include "connector/net/credentials_from_config.hpp"
#include "sinks/buffer/disk_buffer.hpp"
#include "sinks/file/file_sink.hpp"
#include "sinks/kafka/kafka_sink.hpp"
#include "sinks/log_analytics/log_analytics_sink.hpp"
#include "sinks/syslog/syslog_sink.hpp"

namespace secfeed {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

}  // namespace

SinkOptions sink_options(const SinkConfig& sink) {
  SinkOptions o;
  o.name = sink.name;
  o.format = sink.format;
  for (EventKind kind : sink.filter.kinds) o.filter.allow_kind(kind);
  o.filter.set_min_severity(sink.filter.min_severity);
  for (const std::string& source : sink.filter.sources) o.filter.allow_source(source);
  for (const std::string& tenant : sink.filter.tenants) o.filter.allow_tenant(tenant);
  o.queue_max_events = sink.queue.max_events;
  o.batch_max_events = sink.batch.max_events;
  o.batch_max_bytes = sink.batch.max_bytes;
  o.batch_max_wait = duration_cast<milliseconds>(sink.batch.max_wait);
  o.retry_initial = duration_cast<milliseconds>(sink.retry.initial);
  o.retry_max = duration_cast<milliseconds>(sink.retry.max);
  o.retry_limit = sink.retry.limit;
  return o;
}

SyslogSinkOptions syslog_sink_options(const SyslogSinkConfig& syslog) {
  SyslogSinkOptions options;
  options.transport = syslog.transport;
  options.host = syslog.host;
  options.port = syslog.port;
  options.protocol = syslog.protocol;
  options.framing = syslog.framing;
  options.facility = syslog.facility;
  options.app_name = syslog.app_name;
  options.hostname = syslog.hostname;
  options.max_message_size = syslog.max_message_size;
  options.tls = syslog.tls;
  return options;
}

namespace {

std::unique_ptr<Sink> make_sink_of_type(const SinkConfig& sink, const Config& config,
                                        boost::asio::any_io_executor executor,
                                        DeadLetterOutput* dead_letters, net::TokenProviders& tokens,
                                        std::string& error) {
  switch (sink.kind) {
    case SinkType::file: {
      const FileSinkConfig& file = std::get<FileSinkConfig>(sink.settings);
      FileSinkOptions options;
      options.path = file.path;
      options.rotate_max_bytes = file.rotate.max_size;
      options.rotate_max_files = static_cast<unsigned>(file.rotate.max_files);
      options.fsync_interval = duration_cast<milliseconds>(file.fsync_interval);
      SinkOptions base = sink_options(sink);
      // A file is written per batch; waiting for a fuller batch only adds latency.
      base.batch_max_wait = milliseconds(0);
      return std::make_unique<FileSink>(executor, std::move(base), std::move(options),
                                        dead_letters);
    }
    case SinkType::syslog: {
      SyslogSinkOptions options = syslog_sink_options(std::get<SyslogSinkConfig>(sink.settings));
      SinkOptions base = sink_options(sink);
      // One stream write (or datagrams) per batch: waiting for a fuller batch only adds
      // latency.
      base.batch_max_wait = milliseconds(0);
      return std::make_unique<SyslogSink>(executor, std::move(base), std::move(options),
                                          dead_letters);
    }
    case SinkType::kafka: {
      const KafkaSinkConfig& kafka = std::get<KafkaSinkConfig>(sink.settings);
      net::KafkaTokenFunction oauth_token;
      if (kafka.kafka.sasl_mechanism == SaslMechanism::oauthbearer) {
        oauth_token = net::kafka_token_function(kafka.kafka, config, executor, tokens, error);
        if (!oauth_token) {
          error = "sink " + sink.name + ": " + error;
          return nullptr;
        }
      }
      SinkOptions base = sink_options(sink);
      // librdkafka batches by itself (linger.ms); waiting for a fuller batch here only
      // adds latency.
      base.batch_max_wait = milliseconds(0);
      auto kafka_sink = std::make_unique<KafkaSink>(executor, std::move(base), kafka, dead_letters,
                                                    std::move(oauth_token));
      if (!kafka_sink->error().empty()) {
        error = "sink " + kafka_sink->error();
        return nullptr;
      }
      return kafka_sink;
    }
    case SinkType::log_analytics: {
      const LogAnalyticsSinkConfig& la = std::get<LogAnalyticsSinkConfig>(sink.settings);
      const TenantConfig* tenant = config.find_tenant(la.tenant);
      if (tenant == nullptr) {
        error = "sink " + sink.name + ": unknown tenant " + la.tenant;
        return nullptr;
      }
      net::TokenProvider* provider = tokens.get(*tenant, la.scope, error);
      if (provider == nullptr) {
        error = "sink " + sink.name + ": " + error;
        return nullptr;
      }
      LogAnalyticsSinkOptions options;
      options.endpoint = la.endpoint;
      options.dcr_immutable_id = la.dcr_immutable_id;
      options.stream_alerts = la.stream_alerts;
      options.stream_posture = la.stream_posture;
      options.max_batch_bytes = la.max_batch_bytes;
      options.gzip = la.gzip;
      options.timeout = duration_cast<milliseconds>(la.timeout);
      auto la_sink = std::make_unique<LogAnalyticsSink>(
          executor, sink_options(sink), std::move(options), tokens.http(), provider, dead_letters);
      if (!la_sink->error().empty()) {
        error = "sink " + la_sink->error();
        return nullptr;
      }
      return la_sink;
    }
  }
  error = "sink " + sink.name + ": type " + sink.type +
          " is not implemented in this build yet (see the README's Roadmap)";
  return nullptr;
}

}  // namespace

std::unique_ptr<Sink> make_sink(const SinkConfig& sink, const Config& config,
                                boost::asio::any_io_executor executor,
                                DeadLetterOutput* dead_letters, net::TokenProviders& tokens,
                                std::string& error) {
  std::unique_ptr<Sink> built =
      make_sink_of_type(sink, config, executor, dead_letters, tokens, error);
  if (!built || sink.buffer.type != BufferType::disk) return built;
  buffer::DiskQueueOptions options;
  options.path = sink.buffer.path;
  options.name = sink.name;
  options.max_size = sink.buffer.max_size;
  options.drop_oldest = sink.buffer.when_full == WhenFull::drop_oldest;
  std::unique_ptr<DiskBuffer> disk = DiskBuffer::open(executor, options, error);
  if (!disk) return nullptr;
  built->use_disk_buffer(std::move(disk));
  return built;
}

}  // namespace secfeed
