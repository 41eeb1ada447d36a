#include "connector/core/log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace secfeed {
namespace {

std::string capture(LogFormat format, const auto& body) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* memory = open_memstream(&data, &size);
  Logger::instance().configure(LogLevel::info, format, memory);
  body();
  std::fclose(memory);
  std::string out(data, size);
  std::free(data);
  Logger::instance().configure(LogLevel::info, LogFormat::text, stderr);
  return out;
}

// Drops the leading timestamp (24 chars + space) of each text line.
std::string without_times(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    out += text.substr(start + 25, end - start - 25 + 1);
    start = end + 1;
  }
  return out;
}

TEST(Logger, TextLinesCarryLevelComponentTenantAndStayOneLine) {
  const std::string out = capture(LogFormat::text, [] {
    log_debug("eventhub", "not shown at info");
    log_warn("graph_alerts", "HTTP 429\r\nfake line", "contoso");
    log_info("pipeline", "started");
  });
  EXPECT_EQ(without_times(out),
            "WARN  graph_alerts [contoso]: HTTP 429  fake line\n"
            "INFO  pipeline: started\n");
}

TEST(Logger, JsonLines) {
  const std::string out = capture(LogFormat::json, [] { log_error("sink", "down \"x\"", "t1"); });
  const std::size_t level = out.find("\"level\"");
  ASSERT_NE(level, std::string::npos);
  EXPECT_EQ(out.substr(level),
            "\"level\":\"error\",\"component\":\"sink\",\"tenant\":\"t1\","
            "\"message\":\"down \\\"x\\\"\"}\n");
}

TEST(Logger, RepeatsAreFoldedAndCounted) {
  const std::string out = capture(LogFormat::text, [] {
    Logger::instance().set_repeat_window(std::chrono::milliseconds(50));
    for (int i = 0; i < 5; ++i) log_warn("sink", "connection refused");
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    log_warn("sink", "connection refused");
    Logger::instance().set_repeat_window(std::chrono::milliseconds(10000));
  });
  EXPECT_EQ(without_times(out),
            "WARN  sink: connection refused\n"
            "WARN  sink: connection refused (repeated 4 more times)\n");
}

// Restores the default rate limit even when an assertion fails.
struct RepeatSettings {
  RepeatSettings(std::chrono::milliseconds window, unsigned limit) {
    Logger::instance().set_repeat_window(window);
    Logger::instance().set_repeat_limit(limit);
  }
  ~RepeatSettings() {
    Logger::instance().set_repeat_window(std::chrono::milliseconds(10000));
    Logger::instance().set_repeat_limit(1);
  }
};

TEST(Logger, RepeatLimitWritesTheFirstNThenCounts) {
  RepeatSettings settings(std::chrono::milliseconds(60000), 3);
  const std::string out = capture(LogFormat::text, [] {
    for (int i = 0; i < 10; ++i) log_warn("sink", "connection refused");
    log_warn("sink", "connection refused", "tenant-a");  // another tenant: its own count
    log_warn("other", "connection refused");             // another component too
    Logger::instance().flush_repeats();
  });
  EXPECT_EQ(without_times(out),
            "WARN  sink: connection refused\n"
            "WARN  sink: connection refused\n"
            "WARN  sink: connection refused\n"
            "WARN  sink [tenant-a]: connection refused\n"
            "WARN  other: connection refused\n"
            "WARN  sink: repeated 7 more times: connection refused\n");
}

TEST(Logger, BurstThatStopsIsSummarizedOnceItsWindowPassed) {
  RepeatSettings settings(std::chrono::milliseconds(20), 1);
  const std::string out = capture(LogFormat::text, [] {
    for (int i = 0; i < 4; ++i) log_error("kafka", "broker down", "t1");
    Logger::instance().sweep_repeats();  // window still open: nothing yet
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    Logger::instance().sweep_repeats();
    Logger::instance().sweep_repeats();       // reported once
    log_error("kafka", "broker down", "t1");  // a new window: written again
  });
  EXPECT_EQ(without_times(out),
            "ERROR kafka [t1]: broker down\n"
            "ERROR kafka [t1]: repeated 3 more times: broker down\n"
            "ERROR kafka [t1]: broker down\n");
}

TEST(Logger, NothingSuppressedMeansNoSummary) {
  RepeatSettings settings(std::chrono::milliseconds(60000), 1);
  const std::string out = capture(LogFormat::text, [] {
    log_info("a", "once");
    log_info("b", "once");
    Logger::instance().flush_repeats();
  });
  EXPECT_EQ(without_times(out), "INFO  a: once\nINFO  b: once\n");
}

TEST(Logger, JsonSummaryCarriesTheCount) {
  RepeatSettings settings(std::chrono::milliseconds(60000), 1);
  const std::string out = capture(LogFormat::json, [] {
    log_warn("sink", "refused");
    log_warn("sink", "refused");
    log_warn("sink", "refused");
    Logger::instance().flush_repeats();
  });
  const std::size_t second = out.find('\n') + 1;
  const std::size_t level = out.find("\"level\"", second);
  ASSERT_NE(level, std::string::npos);
  EXPECT_EQ(out.substr(level),
            "\"level\":\"warn\",\"component\":\"sink\",\"message\":\"refused\","
            "\"repeated\":2,\"summary\":true}\n");
}

}  // namespace
}  // namespace secfeed
