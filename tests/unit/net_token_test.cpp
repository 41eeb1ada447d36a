#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/net/cloud.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/token_provider.hpp"

namespace secfeed::net {
namespace {
namespace asio = boost::asio;
using Clock = TokenCache::Clock;
using std::chrono::seconds;

// A fetch that counts calls and yields to the event loop before answering, so that
// concurrent callers really overlap with the refresh in progress.
struct FakeFetch {
  asio::io_context& io;
  int calls = 0;
  std::vector<TokenResponse> answers;

  asio::awaitable<TokenResponse> operator()() {
    const int index = calls++;
    asio::steady_timer timer(io);
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::use_awaitable);
    co_return answers.at(static_cast<std::size_t>(index));
  }
};

struct CacheHarness {
  asio::io_context io;
  FakeFetch fetch{io, 0, {}};
  Clock::time_point now{Clock::duration(1'000'000'000)};
  TokenCache cache{io.get_executor(), [this] { return fetch(); }, [this] { return now; }};

  std::vector<TokenResult> get_concurrently(int callers) {
    std::vector<TokenResult> results(static_cast<std::size_t>(callers));
    for (auto& slot : results) {
      asio::co_spawn(
          io, [&]() -> asio::awaitable<void> { slot = co_await cache.get(); }, asio::detached);
    }
    io.restart();
    io.run();
    return results;
  }
};

TEST(NetTokenCache, ConcurrentCallersShareOneFetch) {
  CacheHarness h;
  h.fetch.answers = {{"token-1", seconds(3600), {}}};
  const auto results = h.get_concurrently(20);
  EXPECT_EQ(h.fetch.calls, 1);
  for (const auto& result : results) {
    EXPECT_TRUE(result.ok());
    EXPECT_EQ(result.access_token, "token-1");
  }
}

TEST(NetTokenCache, RefreshesAtEightyPercentOfLifetime) {
  CacheHarness h;
  h.fetch.answers = {{"token-1", seconds(1000), {}}, {"token-2", seconds(1000), {}}};
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-1");
  h.now += seconds(799);
  const auto cached = h.get_concurrently(3)[2];
  EXPECT_EQ(cached.access_token, "token-1");
  EXPECT_EQ(cached.valid_for, seconds(201));
  EXPECT_EQ(h.fetch.calls, 1);
  h.now += seconds(1);  // 800 s = 80% of 1000 s
  const auto results = h.get_concurrently(5);
  EXPECT_EQ(h.fetch.calls, 2);
  for (const auto& result : results) EXPECT_EQ(result.access_token, "token-2");
}

TEST(NetTokenCache, InvalidateOnlyDropsTheStaleToken) {
  CacheHarness h;
  h.fetch.answers = {{"token-1", seconds(3600), {}}, {"token-2", seconds(3600), {}}};
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-1");
  h.cache.invalidate("some-older-token");
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-1");
  h.cache.invalidate("token-1");
  EXPECT_EQ(h.get_concurrently(4)[3].access_token, "token-2");
  EXPECT_EQ(h.fetch.calls, 2);
}

TEST(NetTokenCache, FailedRefreshReportsErrorToAllWaitersThenRetries) {
  CacheHarness h;
  h.fetch.answers = {{{}, seconds(0), "HTTP 401 invalid_client"}, {"token-2", seconds(60), {}}};
  const auto failed = h.get_concurrently(3);
  EXPECT_EQ(h.fetch.calls, 1);
  for (const auto& result : failed) {
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.error, "HTTP 401 invalid_client");
  }
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-2");
  EXPECT_EQ(h.fetch.calls, 2);
}

TEST(NetTokenCache, FailedRefreshKeepsServingAStillValidToken) {
  CacheHarness h;
  h.fetch.answers = {
      {"token-1", seconds(1000), {}}, {{}, seconds(0), "HTTP 503"}, {{}, seconds(0), "HTTP 503"}};
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-1");
  h.now += seconds(900);  // refresh due, 100 s of validity left
  EXPECT_EQ(h.get_concurrently(1)[0].access_token, "token-1");
  h.now += seconds(50);  // only 50 s left: less than the grace period
  const auto result = h.get_concurrently(1)[0];
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "HTTP 503");
}

TEST(NetTokenCache, RejectsEmptyTokenFromFetch) {
  CacheHarness h;
  h.fetch.answers = {{{}, seconds(10), {}}};
  EXPECT_EQ(h.get_concurrently(1)[0].error, "token endpoint returned no access token");
}

TEST(NetCloud, TableAndScopes) {
  EXPECT_EQ(graph_scope(Cloud::global), "https://graph.microsoft.com/.default");
  EXPECT_EQ(graph_scope(Cloud::usgov), "https://graph.microsoft.us/.default");
  EXPECT_EQ(graph_scope(Cloud::usgov_dod), "https://dod-graph.microsoft.us/.default");
  EXPECT_EQ(graph_scope(Cloud::china), "https://microsoftgraph.chinacloudapi.cn/.default");
  EXPECT_EQ(monitor_scope(Cloud::global), "https://monitor.azure.com//.default");
  EXPECT_EQ(monitor_scope(Cloud::usgov_dod), "https://monitor.azure.us//.default");
  EXPECT_EQ(monitor_scope(Cloud::china), "https://monitor.azure.cn//.default");
  EXPECT_EQ(event_hubs_scope("ns1.servicebus.windows.net"),
            "https://ns1.servicebus.windows.net/.default");
  EXPECT_EQ(cloud_endpoints(Cloud::china).login_host, "login.chinacloudapi.cn");
  EXPECT_EQ(cloud_endpoints(Cloud::usgov).login_host, "login.microsoftonline.us");
  EXPECT_EQ(parse_cloud("USGov_DoD"), Cloud::usgov_dod);
  EXPECT_EQ(parse_cloud("public"), Cloud::global);
  EXPECT_FALSE(parse_cloud("mars"));
}

ClientCredentials secret_credentials() {
  ClientCredentials credentials;
  credentials.tenant_id = "tenant-1";
  credentials.client_id = "client-1";
  credentials.client_secret = "S3cr3t~Value+/=";
  return credentials;
}

TEST(NetClientCredentials, EndpointAndForm) {
  auto credentials = secret_credentials();
  EXPECT_EQ(token_endpoint(credentials),
            "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token");
  credentials.cloud = Cloud::china;
  EXPECT_EQ(token_endpoint(credentials),
            "https://login.chinacloudapi.cn/tenant-1/oauth2/v2.0/token");
  credentials.authority_override = "https://127.0.0.1:8443/";
  EXPECT_EQ(token_endpoint(credentials), "https://127.0.0.1:8443/tenant-1/oauth2/v2.0/token");
  EXPECT_EQ(build_token_request_form(credentials, "https://graph.microsoft.com/.default", ""),
            "grant_type=client_credentials&client_id=client-1"
            "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
            "&client_secret=S3cr3t~Value%2B%2F%3D");
  EXPECT_EQ(
      build_token_request_form(credentials, "s", "a.b.c"),
      "grant_type=client_credentials&client_id=client-1&scope=s"
      "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
      "&client_assertion=a.b.c");
}

TEST(NetClientCredentials, ParsesSuccess) {
  const auto response = parse_token_response(
      200,
      R"({"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"tok"})",
      secret_credentials());
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.access_token, "tok");
  EXPECT_EQ(response.expires_in, seconds(3599));
  EXPECT_EQ(
      parse_token_response(200, R"({"expires_in":"60","access_token":"t"})", secret_credentials())
          .expires_in,
      seconds(60));
}

constexpr const char* kInvalidSecret = R"({"error":"invalid_client",
  "error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: t-1\r\nCorrelation ID: c-1\r\nTimestamp: 2024-01-01 00:00:00Z",
  "error_codes":[7000215],"timestamp":"2024-01-01 00:00:00Z","trace_id":"t-1","correlation_id":"c-1"})";

TEST(NetClientCredentials, ParsesEntraErrorsWithHints) {
  auto response = parse_token_response(401, kInvalidSecret, secret_credentials());
  EXPECT_EQ(response.access_token, "");
  EXPECT_EQ(response.error,
            "HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the "
            "secret being sent in the request is the client secret value. "
            "(error_codes=[7000215], trace_id=t-1, correlation_id=c-1). Hint: the client secret is "
            "wrong: configure the secret's VALUE (not its ID) of this app");
  response = parse_token_response(
      400,
      R"({"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'client-1' was not found in the directory 'x'.","error_codes":[700016]})",
      secret_credentials());
  EXPECT_TRUE(response.error.ends_with(
      "Hint: the application (client_id) is not known in this tenant: check client_id and "
      "tenant_id, and that an administrator of the tenant consented to the app"))
      << response.error;
  response = parse_token_response(
      400,
      R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 'nope' not found.","error_codes":[90002]})",
      secret_credentials());
  EXPECT_EQ(response.error,
            "HTTP 400 invalid_request: AADSTS90002: Tenant 'nope' not found. "
            "(error_codes=[90002]). Hint: the tenant was not found: check tenant_id and the cloud "
            "setting");
  EXPECT_EQ(parse_token_response(502, "<html>bad gateway</html>", secret_credentials()).error,
            "HTTP 502 (no JSON error body)");
  EXPECT_EQ(parse_token_response(200, R"({"access_token":"x"})", secret_credentials()).error,
            "HTTP 200 without a positive expires_in");
  EXPECT_EQ(parse_token_response(200, R"({"expires_in":5})", secret_credentials()).error,
            "HTTP 200 without access_token");
}

// Every message produced by a failing path, with a server that echoes the secret and the
// token back: none of them may contain either.
TEST(NetClientCredentials, SecretsNeverAppearInErrorMessages) {
  const auto credentials = secret_credentials();
  const std::string secret = credentials.client_secret;
  const std::string token = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2lnbmF0dXJl";
  std::vector<std::string> messages;
  messages.push_back(
      parse_token_response(400,
                           R"({"error":"invalid_request","error_description":"bad client_secret=)" +
                               secret + " value " + secret + R"("})",
                           credentials)
          .error);
  messages.push_back(
      parse_token_response(401, "{\"error\":\"x\",\"error_description\":\"" + token + "\"}",
                           credentials)
          .error);
  messages.push_back(parse_token_response(500, secret, credentials).error);

  asio::io_context io;
  std::string error;
  HttpClientOptions options;
  options.proxy.use_environment = false;  // hermetic even where https_proxy is set
  auto http = HttpClient::create(io.get_executor(), options, error);
  ASSERT_TRUE(http) << error;
  auto missing = credentials;
  missing.client_secret.clear();
  EXPECT_FALSE(make_client_credentials_provider(*http, missing, "scope", error));
  messages.push_back(error);
  auto bad_cert = credentials;
  bad_cert.certificate.cert_file = "/nonexistent/" + secret + ".pem";
  bad_cert.certificate.password = secret;
  EXPECT_FALSE(make_client_credentials_provider(*http, bad_cert, "scope", error));
  messages.push_back(error);

  // A token request to a closed port: transport failure path of the provider.
  auto unreachable = credentials;
  unreachable.authority_override = "https://127.0.0.1:1";
  auto provider = make_client_credentials_provider(*http, unreachable, "scope", error);
  ASSERT_TRUE(provider) << error;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { messages.push_back((co_await provider->token()).error); },
      asio::detached);
  io.run();

  ASSERT_EQ(messages.size(), 6u);
  for (const auto& message : messages) {
    EXPECT_FALSE(message.empty());
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    EXPECT_EQ(message.find(token), std::string::npos) << message;
  }
  EXPECT_EQ(messages[3], "client credentials need a client_secret or a certificate");
  EXPECT_TRUE(
      messages[5].starts_with("token request (tenant tenant-1, client client-1, scope "
                              "scope) failed: connect error: connecting to 127.0.0.1:1 "
                              "failed: "))
      << messages[5];
}

}  // namespace
}  // namespace secfeed::net
