#include "connector/app/daemon.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/app/daemon_hardening.hpp"
#include "connector/app/daemon_reload.hpp"
#include "connector/app/daemon_telemetry.hpp"
#include "connector/app/metrics_server.hpp"
#include "connector/core/log.hpp"
#include "connector/core/state_store.hpp"
#include "connector/net/credentials_from_config.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "connector/sources/source_registry.hpp"
#include "sinks/sink_registry.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
constexpr const char* kComponent = "secfeed";

std::string sink_status(const Sink& sink) {
  const SinkStats& s = sink.stats();
  return "delivered=" + std::to_string(s.delivered.load()) +
         " queued=" + std::to_string(sink.queue_depth()) +
         " retries=" + std::to_string(s.failed_attempts.load()) +
         " dead_lettered=" + std::to_string(s.dead_lettered.load());
}

bool ensure_directory(const std::string& path, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    error = "cannot create state_dir " + path + ": " + ec.message();
    return false;
  }
  return true;
}

// The operator endpoint, when `metrics.enabled`. False (logged) when it cannot listen:
// a daemon whose configured health endpoint is silently missing would look dead.
bool start_metrics_server(const Config& config, asio::io_context& io,
                          std::unique_ptr<MetricsServer>& server) {
  if (!config.metrics.enabled) return true;
  std::string error;
  server = MetricsServer::start(io.get_executor(), config.metrics.listen, error);
  if (!server) {
    log_error(kComponent, error);
    return false;
  }
  log_info("metrics", "listening on " + server->url() + " (/metrics, /healthz, /readyz)");
  return true;
}

// After an incomplete drain some events are still held by a sink that cannot deliver
// them, inside suspended coroutines that own their librdkafka messages; destroying the
// Event Hubs consumer would wait for those messages forever, and they are only released
// when the io_context goes, after the sources. Nothing is lost by skipping the teardown:
// finish() has committed exactly what was delivered, the state store is durable, and the
// rest is re-read on the next start. So the process ends (or re-executes) right here.
[[noreturn]] void end_after_incomplete_drain(char** reexec_argv) {
  std::fflush(nullptr);
  if (reexec_argv != nullptr) std::_Exit(reexec_self(reexec_argv));
  std::_Exit(0);
}

}  // namespace

int run_daemon(const Config& config, const DaemonOptions& options, bool* reload) {
  Logger::instance().configure(config.log.level, config.log.format);
  for (const std::string& warning : config.warnings) log_warn(kComponent, warning);
  for (const std::string& warning : security_warnings(config)) log_warn(kComponent, warning);

  std::string error;
  if (!ensure_directory(config.state_dir, error)) {
    log_error(kComponent, error);
    return 1;
  }
  const std::string dead_letter_path = config.dead_letter.path.empty()
                                           ? config.state_dir + "/dead-letter.jsonl"
                                           : config.dead_letter.path;
  DeadLetterOutput dead_letters(dead_letter_path);
  if (!dead_letters.ok()) {
    log_error(kComponent, dead_letters.error());
    return 1;
  }

  asio::io_context io(1);
  const net::HttpClientOptions http_options = net::http_client_options(config);
  std::unique_ptr<net::HttpClient> http =
      net::HttpClient::create(io.get_executor(), http_options, error);
  if (!http) {
    log_error(kComponent, error);
    return 1;
  }
  net::TokenProviders tokens(*http, http_options);
  std::unique_ptr<StateStore> state = StateStore::open(config.state_dir, error);
  if (!state) {
    log_error(kComponent, error);
    return 1;
  }
  Pipeline pipeline(io.get_executor(), dead_letters);
  for (const SinkConfig& sink : config.sinks) {
    if (!sink.enabled) continue;
    std::unique_ptr<Sink> built =
        make_sink(sink, config, io.get_executor(), &dead_letters, tokens, error);
    if (!built) {
      log_error(kComponent, error);
      return 1;
    }
    pipeline.add_sink(std::move(built));
  }
  SourceContext source_context{io.get_executor(), pipeline, tokens, *http, *state};
  std::vector<std::unique_ptr<Source>> sources;
  for (const SourceConfig& source : config.sources) {
    if (!source.enabled) continue;
    std::unique_ptr<Source> built = make_source(source, config, source_context, error);
    if (!built) {
      log_error(kComponent, error);
      return 1;
    }
    sources.push_back(std::move(built));
  }
  if (pipeline.sinks().empty() || sources.empty()) {
    log_error(kComponent, "nothing to do: configure at least one enabled source and sink");
    return 1;
  }
  DaemonTelemetry telemetry(io.get_executor(), pipeline, dead_letters, sources);
  std::unique_ptr<MetricsServer> metrics_server;
  if (!start_metrics_server(config, io, metrics_server)) return 1;
  for (const auto& source : sources) {
    if (!source->start(error)) {
      log_error(kComponent, error);
      return 1;
    }
  }
  pipeline.start();
  telemetry.started();
  log_info(kComponent, "started: " + std::to_string(sources.size()) + " sources, " +
                           std::to_string(pipeline.sinks().size()) + " sinks; dead letters to " +
                           dead_letter_path);

  std::size_t running_sources = sources.size();
  bool stopping = false, drained = false;
  asio::steady_timer sources_done(io, asio::steady_timer::time_point::max());
  for (const auto& source : sources) {
    asio::co_spawn(io, source->run(), [&, name = source->name()](std::exception_ptr e) {
      if (e) log_error(kComponent, "source " + name + " stopped with an error");
      telemetry.source_stopped(name, e != nullptr);
      if (--running_sources == 0) sources_done.cancel();
    });
  }

  // One line: every source's and sink's counters, then the dead-letter count.
  const auto log_status = [&] {
    std::string line;
    for (const auto& source : sources) {
      line += source->name() + ": " + source->status() + " | ";
    }
    for (const auto& sink : pipeline.sinks()) {
      line += sink->name() + ": " + sink_status(*sink) + " | ";
    }
    line += "dead_letters=" + std::to_string(dead_letters.written());
    log_info("status", line);
  };

  // Status lines on an interval.
  asio::steady_timer status_timer(io);
  std::function<void()> arm_status = [&] {
    if (options.status_interval.count() <= 0 || stopping) return;
    status_timer.expires_after(options.status_interval);
    status_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      log_status();
      arm_status();
    });
  };
  arm_status();

  // Graceful shutdown: stop fetching, wait for the sources, drain the sinks (bounded).
  // The same path serves SIGHUP: after the drain, main() re-executes with the new config.
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer drain_deadline(io);
  bool reload_requested = false;
  const auto shutdown = [&]() -> asio::awaitable<void> {
    log_info(kComponent, "stopping: draining in-flight events (up to " +
                             std::to_string(options.shutdown_timeout.count() / 1000) + " s)");
    for (const auto& source : sources) source->stop_fetching();
    if (running_sources > 0) {
      co_await sources_done.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_await pipeline.stop();
    drained = true;
    drain_deadline.cancel();
    io.stop();
  };
  const auto begin_shutdown = [&](const std::string& why) {
    stopping = true;
    telemetry.draining(why);
    status_timer.cancel();
    drain_deadline.expires_after(options.shutdown_timeout);
    drain_deadline.async_wait([&](boost::system::error_code wait_ec) {
      if (wait_ec || drained) return;
      log_warn(kComponent,
               "drain timed out; undelivered events will be re-read on the next "
               "start");
      io.stop();
    });
    asio::co_spawn(io, shutdown(), asio::detached);
  };
  // SIGHUP: validate first; an invalid file changes nothing.
  const auto on_reload_signal = [&] {
    if (stopping) {
      log_warn(kComponent, "SIGHUP ignored: already stopping");
      return;
    }
    std::string reload_error;
    if (!validate_reload_config(config.path, reload_error)) {
      log_error(kComponent, "reload: the new configuration is invalid, keeping the running one: " +
                                reload_error);
      return;
    }
    log_info(kComponent, "reload: received SIGHUP, " + config.path +
                             " is valid; draining, then restarting with it");
    reload_requested = true;
    begin_shutdown("reloading the configuration");
  };
  // Returns false when the signal ended the wait for signals (drain aborted).
  const auto on_stop_signal = [&](int signal) {
    if (stopping && reload_requested) {
      reload_requested = false;
      log_info(kComponent, "stop requested during the reload: exiting after the drain");
      return true;
    }
    if (stopping) {
      log_warn(kComponent,
               "second signal: aborting the drain; undelivered events will be "
               "re-read on the next start");
      io.stop();
      return false;
    }
    log_info(kComponent, std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
    begin_shutdown("stopping");
    return true;
  };
  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](boost::system::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        on_reload_signal();
      } else if (!on_stop_signal(signal)) {
        return;
      }
      wait_signal();
    });
  };
  wait_signal();

  io.run();
  for (const auto& source : sources) source->finish();
  log_status();
  log_info(kComponent, drained ? "stopped cleanly" : "stopped (drain incomplete)");
  Logger::instance().flush_repeats();
  if (!drained) end_after_incomplete_drain(reload_requested ? options.argv : nullptr);
  if (reload != nullptr) *reload = reload_requested;
  return 0;
}

}  // namespace secfeed
