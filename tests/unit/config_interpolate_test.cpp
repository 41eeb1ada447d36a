#include "connector/core/config_interpolate.hpp"

#include <map>

#include <gtest/gtest.h>

namespace secfeed {
namespace {

EnvLookup fake_env() {
  static const std::map<std::string, std::string> env = {
      {"HOST", "siem.example"}, {"PORT", "6514"}, {"EMPTY", ""}};
  return [](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

std::string expand(std::string_view text) {
  std::string error;
  const auto result = interpolate_env(text, fake_env(), error);
  return result ? result->value : "ERROR: " + error;
}

TEST(InterpolateTest, ExpandsVariablesAndDefaults) {
  EXPECT_EQ(expand("tls://${HOST}:${PORT}"), "tls://siem.example:6514");
  EXPECT_EQ(expand("${MISSING:-fallback}"), "fallback");
  EXPECT_EQ(expand("${EMPTY:-fallback}"), "fallback");  // shell :- semantics
  EXPECT_EQ(expand("${HOST:-fallback}"), "siem.example");
  EXPECT_EQ(expand("${MISSING:-}"), "");
  EXPECT_EQ(expand("${EMPTY}"), "");
  EXPECT_EQ(expand("${MISSING:-a:-b}"), "a:-b");
}

TEST(InterpolateTest, LiteralDollarsAndEscapes) {
  EXPECT_EQ(expand("$${HOST}"), "${HOST}");
  EXPECT_EQ(expand("price $5 and $$ and $"), "price $5 and $$ and $");
  EXPECT_EQ(expand("$ConnectionString"), "$ConnectionString");
  EXPECT_EQ(expand("a$$${HOST}"), "a$${HOST}");  // left to right: "$${" is taken first
}

TEST(InterpolateTest, ReportsSubstitution) {
  std::string error;
  EXPECT_FALSE(interpolate_env("plain", fake_env(), error)->substituted);
  EXPECT_FALSE(interpolate_env("$${X}", fake_env(), error)->substituted);
  EXPECT_TRUE(interpolate_env("${HOST}", fake_env(), error)->substituted);
  EXPECT_TRUE(interpolate_env("${NOPE:-x}", fake_env(), error)->substituted);
}

TEST(InterpolateTest, Errors) {
  EXPECT_EQ(expand("${MISSING}"), "ERROR: environment variable MISSING is not set");
  EXPECT_EQ(expand("x${HOST"), "ERROR: unterminated ${ (write $${ for a literal ${)");
  EXPECT_EQ(expand("${}"),
            "ERROR: invalid ${...} reference: a variable name is letters, digits and _");
  EXPECT_EQ(expand("${1X}"),
            "ERROR: invalid ${...} reference: a variable name is letters, digits and _");
  EXPECT_EQ(expand("${A-B}"),
            "ERROR: invalid ${...} reference: a variable name is letters, digits and _");
}

TEST(InterpolateTest, ProcessEnvironment) {
  ::setenv("SECFEED_INTERPOLATE_TEST", "yes", 1);
  std::string error;
  EXPECT_EQ(interpolate_env("${SECFEED_INTERPOLATE_TEST}", process_env(), error)->value, "yes");
  ::unsetenv("SECFEED_INTERPOLATE_TEST");
  EXPECT_EQ(interpolate_env("${SECFEED_INTERPOLATE_TEST}", process_env(), error), std::nullopt);
}

}  // namespace
}  // namespace secfeed
