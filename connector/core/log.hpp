// Structured logging: text or JSON lines on stderr, with level, component and optional
// tenant; identical repeats within a window are rate-limited and reported as a count.
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

  // `tenant` may be empty. Rate limit on repeats: within `repeat_window` (from its
  // first occurrence) the same (level, component, tenant, message) is written at most
  // `repeat_limit` times; further copies are counted, not written. The count is
  // reported with the next occurrence after the window ("... (repeated K more times)"),
  // or, if the message stops (no copy for a whole window), by a summary line
  // "repeated K more times: <message>" (sweep_repeats) or at exit (flush_repeats).
  void log(LogLevel level, std::string_view component, std::string_view tenant,
           std::string_view message);

  void set_repeat_window(std::chrono::milliseconds window);
  void set_repeat_limit(unsigned limit);  // >= 1
  // Writes the summary of every message whose window has passed; the daemon calls it
  // every second so a burst that stops is still accounted for.
  void sweep_repeats();
  // Writes every pending summary now (before exit or exec).
  void flush_repeats();

 private:
  struct Repeat {
    std::chrono::steady_clock::time_point first, last;
    unsigned written = 0;     // occurrences written in this window
    unsigned suppressed = 0;  // occurrences counted, not written
    LogLevel level;
    std::string component, tenant, message;
  };
  void sweep_locked(std::chrono::steady_clock::time_point now, bool all);
  void write_locked(LogLevel level, std::string_view component, std::string_view tenant,
                    std::string_view message, unsigned repeated, bool summary);

  std::mutex mutex_;
  LogLevel level_ = LogLevel::info;
  LogFormat format_ = LogFormat::text;
  std::FILE* out_ = stderr;
  std::chrono::milliseconds repeat_window_{10000};
  unsigned repeat_limit_ = 1;
  std::chrono::steady_clock::time_point next_sweep_{};
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
