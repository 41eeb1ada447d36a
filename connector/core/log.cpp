#include "connector/core/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"

namespace secfeed {

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

Logger& Logger::instance() {
  static Logger logger;
  return logger;
}

void Logger::configure(LogLevel level, LogFormat format, std::FILE* out) {
  std::lock_guard lock(mutex_);
  level_ = level;
  format_ = format;
  out_ = out;
  repeats_.clear();
}

void Logger::set_repeat_window(std::chrono::milliseconds window) {
  std::lock_guard lock(mutex_);
  repeat_window_ = window;
}

void Logger::set_repeat_limit(unsigned limit) {
  std::lock_guard lock(mutex_);
  repeat_limit_ = limit == 0 ? 1 : limit;
}

void Logger::sweep_repeats() {
  std::lock_guard lock(mutex_);
  sweep_locked(std::chrono::steady_clock::now(), false);
}

void Logger::flush_repeats() {
  std::lock_guard lock(mutex_);
  sweep_locked(std::chrono::steady_clock::now(), true);
}

void Logger::sweep_locked(std::chrono::steady_clock::time_point now, bool all) {
  next_sweep_ = now + repeat_window_;
  for (auto it = repeats_.begin(); it != repeats_.end();) {
    Repeat& repeat = it->second;
    // A message still repeating is reported with its next written copy instead.
    if (!all && (now - repeat.first < repeat_window_ || now - repeat.last < repeat_window_)) {
      ++it;
      continue;
    }
    if (repeat.suppressed > 0) {
      write_locked(repeat.level, repeat.component, repeat.tenant, repeat.message, repeat.suppressed,
                   true);
    }
    it = repeats_.erase(it);
  }
}

void Logger::log(LogLevel level, std::string_view component, std::string_view tenant,
                 std::string_view message) {
  if (!enabled(level)) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  std::string key;
  key.reserve(component.size() + tenant.size() + message.size() + 3);
  key.append(to_string(level)).append("|").append(component).append("|").append(tenant);
  key.append("|").append(message);
  unsigned suppressed = 0;
  if (auto it = repeats_.find(key); it != repeats_.end()) {
    Repeat& repeat = it->second;
    repeat.last = now;
    if (now - repeat.first < repeat_window_) {
      if (repeat.written >= repeat_limit_) {
        ++repeat.suppressed;
        return;
      }
      ++repeat.written;
    } else {
      suppressed = repeat.suppressed;
      repeat.first = now;
      repeat.written = 1;
      repeat.suppressed = 0;
    }
  } else {
    // Bound the memory of the table: expired entries go first, then everything.
    if (repeats_.size() >= 10000) sweep_locked(now, false);
    if (repeats_.size() >= 10000) sweep_locked(now, true);
    repeats_.emplace(std::move(key), Repeat{now, now, 1, 0, level, std::string(component),
                                            std::string(tenant), std::string(message)});
  }
  write_locked(level, component, tenant, message, suppressed, false);
  if (now >= next_sweep_) sweep_locked(now, false);
}

void Logger::write_locked(LogLevel level, std::string_view component, std::string_view tenant,
                          std::string_view message, unsigned repeated, bool summary) {
  const std::int64_t wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  line_.clear();
  if (format_ == LogFormat::json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    std::string time, clean;
    append_iso8601_ms(time, wall_ms);
    writer.StartObject();
    writer.Key("time");
    writer.String(time.data(), static_cast<rapidjson::SizeType>(time.size()));
    writer.Key("level");
    writer.String(to_string(level).data(),
                  static_cast<rapidjson::SizeType>(to_string(level).size()));
    writer.Key("component");
    writer.String(component.data(), static_cast<rapidjson::SizeType>(component.size()));
    if (!tenant.empty()) {
      writer.Key("tenant");
      writer.String(tenant.data(), static_cast<rapidjson::SizeType>(tenant.size()));
    }
    append_utf8_sanitized(clean, message);
    writer.Key("message");
    writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
    if (repeated > 0) {
      writer.Key("repeated");
      writer.Uint(repeated);
    }
    if (summary) {
      writer.Key("summary");
      writer.Bool(true);
    }
    writer.EndObject();
    line_.assign(buffer.GetString(), buffer.GetSize());
  } else {
    append_iso8601_ms(line_, wall_ms);
    line_ += ' ';
    std::string_view level_name = to_string(level);
    for (char c : level_name) line_ += static_cast<char>(c - 'a' + 'A');
    line_.append(6 - level_name.size(), ' ');
    line_.append(component);
    if (!tenant.empty()) line_.append(" [").append(tenant).append("]");
    line_ += ": ";
    if (summary) line_ += "repeated " + std::to_string(repeated) + " more times: ";
    // One event, one line: control characters from remote messages must not forge lines.
    for (char c : message) line_ += (c == '\n' || c == '\r') ? ' ' : c;
    if (repeated > 0 && !summary) {
      line_ += " (repeated " + std::to_string(repeated) + " more times)";
    }
  }
  line_ += '\n';
  std::fwrite(line_.data(), 1, line_.size(), out_);
  std::fflush(out_);
}

}  // namespace secfeed
