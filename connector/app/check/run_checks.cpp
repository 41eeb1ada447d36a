#include "connector/app/check/run_checks.hpp"

#include <memory>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "connector/app/check/probes.hpp"
#include "connector/net/http_client.hpp"

namespace secfeed::check {
namespace {

void check_source(CheckContext& context, const SourceConfig& source, CheckReport& report) {
  switch (source.kind) {
    case SourceType::graph_alerts:
    case SourceType::graph_incidents:
    case SourceType::graph_legacy_alerts:
    case SourceType::secure_score:
      check_graph_source(context, source, report);
      return;
    case SourceType::eventhub:
      check_eventhub_source(context, source, report);
      return;
  }
}

void check_sink(CheckContext& context, const SinkConfig& sink, CheckReport& report) {
  switch (sink.kind) {
    case SinkType::syslog:
      check_syslog_sink(context, sink, report);
      return;
    case SinkType::kafka:
      check_kafka_sink(context, sink, report);
      return;
    case SinkType::log_analytics:
      check_log_analytics_sink(context, sink, report);
      return;
    case SinkType::file:
      check_file_sink(context, sink, report);
      return;
  }
}

// A probe reports what it finds in rows; an exception (out of memory, a bug) must not
// hide the other rows, so it becomes a failed row of its own.
template <class Probe>
void guarded(CheckReport& report, const std::string& component, const std::string& target,
             Probe&& probe) {
  try {
    probe();
  } catch (const std::exception& e) {
    report.add({component, target, CheckStatus::fail, std::string("internal error: ") + e.what()});
  }
}

bool needs_http(const Config& config) {
  if (!config.tenants.empty()) return true;
  for (const SinkConfig& sink : config.sinks) {
    if (sink.kind == SinkType::log_analytics) return true;
  }
  return false;
}

}  // namespace

CheckReport run_checks(const Config& config, std::chrono::milliseconds timeout) {
  CheckReport report;
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread io_thread([&io] { io.run(); });

  net::HttpClientOptions http_options = net::http_client_options(config);
  http_options.connect_timeout = timeout;
  http_options.handshake_timeout = timeout;
  http_options.request_timeout = timeout;
  std::string http_error;
  std::unique_ptr<net::HttpClient> http =
      net::HttpClient::create(io.get_executor(), http_options, http_error);
  if (http == nullptr && needs_http(config)) {
    report.add({"https client", config.tls.ca_file.empty() ? "system CA store" : config.tls.ca_file,
                CheckStatus::fail, "TLS error: " + http_error});
  }
  {
    std::unique_ptr<net::TokenProviders> tokens =
        http ? std::make_unique<net::TokenProviders>(*http, http_options) : nullptr;
    // Without an HTTP client only the probes that need none can run (Kafka, syslog, file).
    CheckContext context{config, io.get_executor(), http.get(), tokens.get(), timeout, {}};
    guarded(report, "state_dir", config.state_dir, [&] { check_state_dir(context, report); });
    for (const TenantConfig& tenant : config.tenants) {
      if (!http) {
        report.add({"tenant " + tenant.name, tenant.id, CheckStatus::skipped, kNoHttpsClient});
        continue;
      }
      guarded(report, "tenant " + tenant.name, tenant.id,
              [&] { check_tenant(context, tenant, report); });
    }
    for (const SourceConfig& source : config.sources) {
      if (!source.enabled) {
        report.add({"source " + source.name, source.type, CheckStatus::skipped, "disabled"});
      } else if (!http && source.kind != SourceType::eventhub) {
        report.add({"source " + source.name, source.type, CheckStatus::skipped, kNoHttpsClient});
      } else {
        guarded(report, "source " + source.name, source.type,
                [&] { check_source(context, source, report); });
      }
    }
    for (const SinkConfig& sink : config.sinks) {
      if (!sink.enabled) {
        report.add({"sink " + sink.name, sink.type, CheckStatus::skipped, "disabled"});
      } else if (!http && sink.kind == SinkType::log_analytics) {
        report.add({"sink " + sink.name, sink.type, CheckStatus::skipped, kNoHttpsClient});
      } else {
        guarded(report, "sink " + sink.name, sink.type, [&] { check_sink(context, sink, report); });
      }
    }
    // The io objects (pooled connections, token caches) go away after the io thread
    // stopped, so nothing runs on them while they are destroyed.
    work.reset();
    io.stop();
    io_thread.join();
  }
  return report;
}

}  // namespace secfeed::check
