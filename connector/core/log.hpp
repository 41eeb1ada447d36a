// Structured logging: text or JSON lines on stderr, with level, component and optional
// tenant; identical repeats within a window are folded into one line with a count.
// Secrets never reach here by construction: config secrets live in a type that does not
// format (see config.hpp), tokens are never passed to the logger, and every message
// built from a remote error is passed through redact() by the component that builds it.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace secfeed {

enum class LogLevel { debug, info, warn, error };
enum class LogFormat { text, json };

std::string_view to_string(LogLevel level);

class Logger {
 public:
  static Logger& instance();

  void configure(LogLevel level, LogFormat format, std::FILE* out = stderr);
  bool enabled(LogLevel level) const { return level >= level_; }

  // `tenant` may be empty. Repeats of the same (level, component, tenant, message)
  // within `repeat_window` are suppressed and counted; the count is reported with the
  // next occurrence after the window.
  void log(LogLevel level, std::string_view component, std::string_view tenant,
           std::string_view message);

  void set_repeat_window(std::chrono::milliseconds window) { repeat_window_ = window; }

 private:
  struct Repeat {
    std::chrono::steady_clock::time_point first;
    unsigned suppressed = 0;
  };
  std::mutex mutex_;
  LogLevel level_ = LogLevel::info;
  LogFormat format_ = LogFormat::text;
  std::FILE* out_ = stderr;
  std::chrono::milliseconds repeat_window_{10000};
  std::unordered_map<std::string, Repeat> repeats_;
  std::string line_;
};

inline void log_debug(std::string_view component, std::string_view message,
                      std::string_view tenant = {}) {
  if (Logger::instance().enabled(LogLevel::debug)) {
    Logger::instance().log(LogLevel::debug, component, tenant, message);
  }
}
inline void log_info(std::string_view component, std::string_view message,
                     std::string_view tenant = {}) {
  Logger::instance().log(LogLevel::info, component, tenant, message);
}
inline void log_warn(std::string_view component, std::string_view message,
                     std::string_view tenant = {}) {
  Logger::instance().log(LogLevel::warn, component, tenant, message);
}
inline void log_error(std::string_view component, std::string_view message,
                      std::string_view tenant = {}) {
  Logger::instance().log(LogLevel::error, component, tenant, message);
}

}  // namespace secfeed
