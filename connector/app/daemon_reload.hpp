// SIGHUP: reload the configuration by restarting in place.
//
// secfeed builds its sources, sinks and pipeline once from the config; rather than
// mutate a running graph (and risk committing an offset a new sink never saw), a reload
// is a graceful restart: validate the new file first (an invalid one is logged with
// file:line:column: key: reason and the daemon keeps running unchanged); if it is valid,
// drain exactly as on SIGTERM (stop fetching, deliver what is in flight, commit), then
// execv() the same binary image with the same argv. The PID stays the same (systemd,
// supervisors and pid files are unaffected); counters restart from zero.
#pragma once

#include <string>

namespace secfeed {

// Loads and validates `path` like `secfeed run` would. False with the loader's message
// ("FILE:LINE:COLUMN: key: reason", never a secret) when the file is unusable.
bool validate_reload_config(const std::string& path, std::string& error);

// Replaces this process with a fresh run of /proc/self/exe with `argv`. Closes every
// descriptor above stderr first so nothing (sockets, files) leaks into the new image.
// Returns only on failure, with the exit status to use.
int reexec_self(char** argv);

}  // namespace secfeed
