// `secfeed run`: builds sinks, pipeline and sources from the config, runs them on one
// io_context, logs a status line on an interval, and shuts down gracefully on SIGINT /
// SIGTERM: stop fetching, drain the sinks (bounded by `shutdown_timeout`), commit what
// was delivered, exit 0. A second signal aborts the drain (what was not delivered is
// not committed, so it is re-read on the next start: nothing is lost).
// SIGHUP reloads the config by a graceful restart (daemon_reload.hpp). While running it
// serves /metrics, /healthz and /readyz on `metrics.listen` (metrics_server.hpp).
#pragma once

#include <chrono>

#include "connector/core/config.hpp"

namespace secfeed {

struct DaemonOptions {
  std::chrono::milliseconds status_interval{60000};  // 0 = no status lines
  std::chrono::milliseconds shutdown_timeout{30000};
  // The process's argv, for a SIGHUP reload that cannot tear down cleanly (see
  // run_daemon); null: such a reload exits instead.
  char** argv = nullptr;
};

// Returns the process exit status. When it returns after a SIGHUP with a valid new
// config, `*reload` is set: the caller then re-executes itself (reexec_self) once
// everything run_daemon built is gone.
int run_daemon(const Config& config, const DaemonOptions& options, bool* reload = nullptr);

}  // namespace secfeed
