#include <gtest/gtest.h>

#include <map>
#include <string>

#include "connector/net/base64.hpp"
#include "connector/net/proxy.hpp"
#include "connector/net/url.hpp"

namespace secfeed::net {
namespace {

TEST(NetUrl, ParsesHttpsWithDefaults) {
  const auto url = parse_url("HTTPS://Graph.Microsoft.com/v1.0/security/alerts_v2?$top=10#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "graph.microsoft.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/v1.0/security/alerts_v2?$top=10");
  EXPECT_EQ(url->authority(), "graph.microsoft.com:443");
  EXPECT_EQ(url->to_string(), "https://graph.microsoft.com:443/v1.0/security/alerts_v2?$top=10");
}

TEST(NetUrl, ParsesPortUserinfoIpv6AndQueryOnly) {
  auto url = parse_url("http://user:p%40ss@proxy.local:3128");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 3128);
  EXPECT_EQ(url->userinfo, "user:p%40ss");
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->to_string(), "http://proxy.local:3128/");  // never the userinfo
  url = parse_url("https://[::1]:8443?x=1");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8443);
  EXPECT_EQ(url->target, "/?x=1");
  EXPECT_EQ(url->authority(), "[::1]:8443");
}

TEST(NetUrl, RejectsInvalidUrlsWithReadableErrors) {
  const std::map<std::string, std::string> cases = {
      {"graph.microsoft.com/v1.0", "URL has no scheme (expected https://...)"},
      {"ftp://host/", "unsupported URL scheme 'ftp' (expected https or http)"},
      {"https:///path", "URL has an empty host"},
      {"https://host:0/", "URL has an invalid port"},
      {"https://host:65536/", "URL has an invalid port"},
      {"https://host:12a/", "URL has an invalid port"},
      {"https://ho st/", "URL host contains an invalid character"},
      {"https://[::1/", "URL has an unterminated IPv6 address"},
      {"https://host/a b", "URL path contains a space or control character"},
  };
  for (const auto& [text, expected] : cases) {
    std::string error;
    EXPECT_FALSE(parse_url(text, &error)) << text;
    EXPECT_EQ(error, expected) << text;
  }
  std::string error;
  EXPECT_FALSE(parse_url("https://user:secret@ho st/", &error));
  EXPECT_EQ(error.find("secret"), std::string::npos);
}

TEST(NetUrl, PercentDecodeAndFormEncode) {
  EXPECT_EQ(percent_decode("p%40ss%3Aword%zz%4"), "p@ss:word%zz%4");
  std::string out;
  append_form_encoded(out, "https://graph.microsoft.com/.default a+b~");
  EXPECT_EQ(out, "https%3A%2F%2Fgraph.microsoft.com%2F.default%20a%2Bb~");
}

TEST(NetBase64, EncodesAndDecodesBothAlphabets) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64url_encode("\xfb\xff\xfe"), "-__-");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("-__-"), "\xfb\xff\xfe");
  EXPECT_EQ(base64_decode("+//+"), "\xfb\xff\xfe");
  EXPECT_FALSE(base64_decode("Zm8*"));
  EXPECT_FALSE(base64_decode("Z"));
}

TEST(NetNoProxy, MatchesExactSuffixWildcardAndPorts) {
  const std::string list = "localhost, .internal.example, corp.example.com,10.0.0.5 ,api.test:8443";
  EXPECT_TRUE(matches_no_proxy(list, "localhost", 443));
  EXPECT_TRUE(matches_no_proxy(list, "a.internal.example", 443));
  EXPECT_TRUE(matches_no_proxy(list, "internal.example", 443));
  EXPECT_TRUE(matches_no_proxy(list, "corp.example.com", 443));
  EXPECT_TRUE(matches_no_proxy(list, "x.y.corp.example.com", 443));
  EXPECT_FALSE(matches_no_proxy(list, "badcorp.example.com", 443));
  EXPECT_FALSE(matches_no_proxy(list, "example.com", 443));
  EXPECT_TRUE(matches_no_proxy(list, "10.0.0.5", 443));
  EXPECT_FALSE(matches_no_proxy(list, "10.0.0.50", 443));
  EXPECT_TRUE(matches_no_proxy(list, "api.test", 8443));
  EXPECT_FALSE(matches_no_proxy(list, "api.test", 443));
  EXPECT_TRUE(matches_no_proxy("*", "graph.microsoft.com", 443));
  EXPECT_TRUE(matches_no_proxy("*.Example.ORG", "www.example.org", 443));
  EXPECT_TRUE(matches_no_proxy("[::1]", "::1", 443));
  EXPECT_FALSE(matches_no_proxy("", "localhost", 443));
  EXPECT_FALSE(matches_no_proxy(" , ", "localhost", 443));
}

std::map<std::string, std::string> g_env;
const char* fake_getenv(const char* name) {
  const auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

TEST(NetProxy, UsesEnvironmentAndHonoursNoProxy) {
  g_env = {{"HTTPS_PROXY", "http://alice:s%3Acret@proxy.corp:3128"},
           {"http_proxy", "plainproxy:8080"},
           {"NO_PROXY", ".corp,localhost"}};
  const auto graph = *parse_url("https://graph.microsoft.com/v1.0");
  auto proxy = resolve_proxy({}, graph, nullptr, fake_getenv);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->url.authority(), "proxy.corp:3128");
  EXPECT_EQ(proxy->url.userinfo, "");
  EXPECT_EQ(proxy->authorization, "Basic " + base64_encode("alice:s:cret"));

  EXPECT_FALSE(resolve_proxy({}, *parse_url("https://api.corp/"), nullptr, fake_getenv));
  EXPECT_FALSE(resolve_proxy({}, *parse_url("https://localhost:9/"), nullptr, fake_getenv));

  proxy = resolve_proxy({}, *parse_url("http://example.com/"), nullptr, fake_getenv);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->url.authority(), "plainproxy:8080");
  EXPECT_EQ(proxy->authorization, "");

  // Lower-case wins over upper-case.
  g_env["https_proxy"] = "http://lower:1";
  proxy = resolve_proxy({}, graph, nullptr, fake_getenv);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->url.authority(), "lower:1");
}

TEST(NetProxy, ExplicitConfigOverridesEnvironment) {
  g_env = {{"HTTPS_PROXY", "http://env:1"}, {"NO_PROXY", "*"}};
  ProxyOptions options;
  options.url = "http://user@cfg.proxy:3128";
  options.username = "bob";
  options.password = "pw";
  options.no_proxy = "other.example";
  const auto graph = *parse_url("https://graph.microsoft.com/");
  auto proxy = resolve_proxy(options, graph, nullptr, fake_getenv);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->url.authority(), "cfg.proxy:3128");
  EXPECT_EQ(proxy->authorization, "Basic " + base64_encode("bob:pw"));

  options = {};
  options.use_environment = false;
  EXPECT_FALSE(resolve_proxy(options, graph, nullptr, fake_getenv));

  options.url = "https://secure.proxy:443";
  std::string error;
  EXPECT_FALSE(resolve_proxy(options, graph, &error, fake_getenv));
  EXPECT_EQ(error, "invalid proxy URL: only http:// proxies are supported");
  options.url = "http://pro xy:1";
  EXPECT_FALSE(resolve_proxy(options, graph, &error, fake_getenv));
  EXPECT_EQ(error, "invalid proxy URL: URL host contains an invalid character");
}

}  // namespace
}  // namespace secfeed::net
