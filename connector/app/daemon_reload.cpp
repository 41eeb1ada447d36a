#include "connector/app/daemon_reload.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "connector/core/config.hpp"
#include "connector/core/log.hpp"

namespace secfeed {

bool validate_reload_config(const std::string& path, std::string& error) {
  try {
    load_config_file(path);
    return true;
  } catch (const ConfigError& e) {
    error = e.what();
  } catch (const std::exception& e) {
    error = path + ": " + e.what();
  }
  return false;
}

int reexec_self(char** argv) {
  log_info("secfeed", "reload: restarting with the new configuration");
  Logger::instance().flush_repeats();
  std::fflush(stdout);
  std::fflush(stderr);
  // Everything was closed by destructors; this makes a leak impossible rather than
  // unlikely (librdkafka, Asio and OpenSSL open descriptors we do not see).
  ::close_range(3, ~0U, 0);
  ::execv("/proc/self/exe", argv);
  const int saved = errno;
  log_error("secfeed", std::string("reload: cannot re-execute /proc/self/exe: ") +
                           std::strerror(saved) + "; exiting (restart secfeed by hand)");
  return 1;
}

}  // namespace secfeed
