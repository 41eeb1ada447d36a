// Helpers shared by the config tests: load YAML text with a fake environment and
// capture the exact error text.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "connector/core/config.hpp"

namespace secfeed::testing {

// Secrets used by the tests; no error message may ever contain them.
inline constexpr std::string_view kTestSecret = "S3cr3t-Client-Value";
inline constexpr std::string_view kTestAccessKey = "AcCeSsKeY0123456789+/=";

// Drops the newline after R"( so the YAML's line 1 is the first line of text.
inline std::string yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

inline ConfigLoadOptions test_options(const std::map<std::string, std::string>& env = {}) {
  ConfigLoadOptions options;
  options.env = [env](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  options.world_readable = false;
  return options;
}

inline Config load(const std::string& text, const std::map<std::string, std::string>& env = {}) {
  return load_config_string(text, "test.yaml", test_options(env));
}

// The error text of a config that must fail ("" when it loads: the test then fails on
// the comparison, showing what was expected).
inline std::string load_error(const std::string& text,
                              const std::map<std::string, std::string>& env = {}) {
  try {
    load(text, env);
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find(kTestSecret), std::string::npos) << "secret leaked into an error";
    EXPECT_EQ(message.find(kTestAccessKey), std::string::npos) << "key leaked into an error";
    return message;
  }
  return "";
}

// A temporary file with the given content, removed on destruction.
class TempFile {
 public:
  explicit TempFile(std::string_view content) {
    char name[] = "/tmp/secfeed-config-test-XXXXXX";
    const int fd = ::mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    if (fd >= 0) {
      EXPECT_EQ(::write(fd, content.data(), content.size()), ssize_t(content.size()));
      ::close(fd);
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One tenant, one source, one sink: the base most tests extend.
inline const std::string kTenantYaml = yaml(R"(
tenants:
  - id: 00000000-0000-0000-0000-000000000001
    client_id: 11111111-1111-1111-1111-111111111111
    client_secret: S3cr3t-Client-Value
)");

}  // namespace secfeed::testing
