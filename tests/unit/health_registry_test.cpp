#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "connector/core/health.hpp"

namespace secfeed {
namespace {

// since_ms is wall-clock time: replaced by "T" so the rest can be compared exactly.
std::string without_times(const std::string& json) {
  static constexpr std::string_view kKey = "\"since_ms\":";
  std::string out;
  std::size_t at = 0;
  for (std::size_t found; (found = json.find(kKey, at)) != std::string::npos;) {
    out.append(json, at, found + kKey.size() - at);
    out += 'T';
    at = json.find_first_not_of("0123456789", found + kKey.size());
    if (at == std::string::npos) at = json.size();
  }
  out.append(json, at, std::string::npos);
  return out;
}

// The since_ms digits of the component called `name` ("" when absent).
std::string since_of(const std::string& json, const std::string& name) {
  const std::size_t entry = json.find("\"name\":\"" + name + "\"");
  if (entry == std::string::npos) return "";
  const std::size_t key = json.find("\"since_ms\":", entry);
  if (key == std::string::npos || key > json.find('}', entry)) return "";
  const std::size_t digits = key + 11;
  return json.substr(digits, json.find_first_not_of("0123456789", digits) - digits);
}

TEST(HealthRegistry, EmptyIsReady) {
  HealthRegistry health;
  EXPECT_TRUE(health.ready());
  EXPECT_EQ(health.render_json(), "{\"ready\":true,\"components\":[]}");
}

TEST(HealthRegistry, RendersEveryComponentSortedAndIsReadyOnlyWhenAllAre) {
  HealthRegistry health;
  health.set("sink", "siem", "", true, "delivering");
  health.set("source", "alerts", "contoso", false, "401 from token endpoint: AADSTS7000215");
  health.set("sink", "archive", "", true, "idle");
  EXPECT_FALSE(health.ready());
  EXPECT_EQ(without_times(health.render_json()),
            "{\"ready\":false,\"components\":["
            "{\"kind\":\"sink\",\"name\":\"archive\",\"tenant\":\"\",\"ready\":true,"
            "\"detail\":\"idle\",\"since_ms\":T},"
            "{\"kind\":\"sink\",\"name\":\"siem\",\"tenant\":\"\",\"ready\":true,"
            "\"detail\":\"delivering\",\"since_ms\":T},"
            "{\"kind\":\"source\",\"name\":\"alerts\",\"tenant\":\"contoso\",\"ready\":false,"
            "\"detail\":\"401 from token endpoint: AADSTS7000215\",\"since_ms\":T}]}");

  health.set("source", "alerts", "contoso", true, "polling");
  EXPECT_TRUE(health.ready());
  health.remove("sink", "archive", "");
  health.remove("sink", "never-there", "");
  EXPECT_EQ(without_times(health.render_json()),
            "{\"ready\":true,\"components\":["
            "{\"kind\":\"sink\",\"name\":\"siem\",\"tenant\":\"\",\"ready\":true,"
            "\"detail\":\"delivering\",\"since_ms\":T},"
            "{\"kind\":\"source\",\"name\":\"alerts\",\"tenant\":\"contoso\",\"ready\":true,"
            "\"detail\":\"polling\",\"since_ms\":T}]}");
  health.clear();
  EXPECT_EQ(health.render_json(), "{\"ready\":true,\"components\":[]}");
}

TEST(HealthRegistry, DetailIsJsonEscaped) {
  HealthRegistry health;
  health.set("sink", "s\"1", "t\\1", false, "line\nbreak \"quoted\" \x01");
  EXPECT_EQ(without_times(health.render_json()),
            "{\"ready\":false,\"components\":["
            "{\"kind\":\"sink\",\"name\":\"s\\\"1\",\"tenant\":\"t\\\\1\",\"ready\":false,"
            "\"detail\":\"line\\nbreak \\\"quoted\\\" \\u0001\",\"since_ms\":T}]}");
}

TEST(HealthRegistry, SinceChangesOnlyWhenReadinessChanges) {
  HealthRegistry health;
  health.set("sink", "siem", "", true, "connected");
  const std::string first = since_of(health.render_json(), "siem");
  ASSERT_FALSE(first.empty());
  health.set("sink", "siem", "", true, "still connected");  // same readiness: same since
  EXPECT_EQ(since_of(health.render_json(), "siem"), first);
  health.set("sink", "siem", "", false, "connection refused");
  EXPECT_GE(std::stoll(since_of(health.render_json(), "siem")), std::stoll(first));
}

}  // namespace
}  // namespace secfeed
