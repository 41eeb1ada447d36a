// What `secfeed run` exports about itself: metrics (process, pipeline, dead letters,
// every sink and source) in metrics::Registry::global(), and readiness in
// HealthRegistry::global(). The components keep their own atomic counters; this only
// registers callbacks that read them when /metrics is scraped, so the hot path pays
// nothing. Every name is listed in the README ("Metrics").
//
// Readiness rule for a sink (checked every second): not ready while delivery attempts
// have failed since the last time the sink delivered something, i.e. it is retrying
// and nothing got through; ready again as soon as one event is delivered. An idle sink
// keeps its state. A source is ready while its run loop is running.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace secfeed {

class Pipeline;
class DeadLetterOutput;
class Sink;
class Source;

class DaemonTelemetry {
 public:
  // Registers everything; the referenced objects must outlive this object.
  DaemonTelemetry(boost::asio::any_io_executor executor, const Pipeline& pipeline,
                  const DeadLetterOutput& dead_letters,
                  const std::vector<std::unique_ptr<Source>>& sources);
  // Removes its callbacks and health entries (the registries are process-wide).
  ~DaemonTelemetry();
  DaemonTelemetry(const DaemonTelemetry&) = delete;
  DaemonTelemetry& operator=(const DaemonTelemetry&) = delete;

  // Sources running: marks them and the process ready, starts the sink checks.
  void started();
  void source_stopped(const std::string& name, bool failed);
  // Shutdown or reload: the process reports not ready ("draining") from now on.
  void draining(const std::string& why);

  // One readiness check of every sink (also run every second after started()).
  void check_sinks();

 private:
  struct SinkHealth {
    const Sink* sink;
    std::uint64_t last_delivered = 0;
    std::uint64_t failures_at_last_delivery = 0;
    bool ready = true;
  };
  void arm_timer();

  const Pipeline& pipeline_;
  const std::vector<std::unique_ptr<Source>>& sources_;
  std::vector<SinkHealth> sinks_;
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
};

// Process metrics read from /proc (Linux): resident memory, CPU seconds, open fds.
double process_resident_memory_bytes();
double process_cpu_seconds();
double process_open_fds();

}  // namespace secfeed
