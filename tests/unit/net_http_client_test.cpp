// HttpClient against a real loopback HTTPS server (tests/unit/support/https_test_server.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <rapidjson/document.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "connector/net/http_client.hpp"
#include "connector/net/retrying_request.hpp"
#include "connector/net/token_provider.hpp"
#include "tests/unit/support/child_process.hpp"
#include "tests/unit/support/test_certificate.hpp"

namespace secfeed::net {
namespace {
namespace asio = boost::asio;
using std::chrono::milliseconds;

struct ServerInfo {
  std::string ca_file;
  std::string dir;
  int main_port = 0;
  int wrong_port = 0;
  int proxy_port = 0;
};

class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<test::ChildProcess>(std::vector<std::string>{
        "python3", SECFEED_SOURCE_DIR "/tests/unit/support/https_test_server.py"});
    ASSERT_TRUE(server_->started());
    const auto line = server_->read_line(milliseconds(60'000));
    ASSERT_TRUE(line) << "test server did not start";
    rapidjson::Document doc;
    doc.Parse(line->c_str());
    ASSERT_TRUE(doc.IsObject()) << *line;
    info_.ca_file = doc["ca"].GetString();
    info_.dir = doc["dir"].GetString();
    info_.main_port = doc["main"].GetInt();
    info_.wrong_port = doc["wrong"].GetInt();
    info_.proxy_port = doc["proxy"].GetInt();
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (!server_ || info_.main_port == 0) GTEST_SKIP() << "no test server";
  }

  static std::string main_url(std::string_view path, std::string_view host = "localhost") {
    return "https://" + std::string(host) + ":" + std::to_string(info_.main_port) +
           std::string(path);
  }

  HttpClientOptions options() const {
    HttpClientOptions options;
    options.ca_file = info_.ca_file;
    options.proxy.use_environment = false;
    options.request_timeout = milliseconds(20'000);
    return options;
  }

  std::unique_ptr<HttpClient> make_client(HttpClientOptions options) {
    std::string error;
    auto client = HttpClient::create(io_.get_executor(), std::move(options), error);
    EXPECT_TRUE(client) << error;
    return client;
  }

  // Runs `task` on the io_context, bounded in time.
  template <class T>
  T run(asio::awaitable<T> task) {
    auto future = asio::co_spawn(io_, std::move(task), asio::use_future);
    io_.restart();
    io_.run_for(std::chrono::seconds(30));
    EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    return future.get();
  }

  HttpResult get(HttpClient& client, std::string url,
                 std::optional<milliseconds> timeout = std::nullopt) {
    HttpRequest request;
    request.url = *parse_url(url);
    request.timeout = timeout;
    return run(client.request(std::move(request)));
  }

  asio::io_context io_;

 public:
  static int main_port_for_tests() { return info_.main_port; }

 protected:
  static inline std::unique_ptr<test::ChildProcess> server_;
  static inline ServerInfo info_;
};

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  auto client = make_client(options());
  const auto before = get(*client, main_url("/connections"));
  ASSERT_TRUE(before.success()) << before.error_message;
  for (int i = 0; i < 5; ++i) {
    const auto result = get(*client, main_url("/hello"));
    ASSERT_TRUE(result.success()) << result.error_message;
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "hello");
    EXPECT_EQ(result.headers.find("Request-Id"), "rid-hello");
    EXPECT_EQ(result.headers.find("content-type"), "text/plain");
  }
  const auto after = get(*client, main_url("/connections"));
  EXPECT_EQ(after.body, before.body);  // the server saw no new connection
  EXPECT_EQ(client->stats().connections_opened, 1u);
  EXPECT_EQ(client->stats().requests, 7u);
}

TEST_F(HttpClientTest, DecodesGzipBodies) {
  auto client = make_client(options());
  const auto result = get(*client, main_url("/gzip"));
  ASSERT_TRUE(result.success()) << result.error_message;
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "compressed payload ";
  EXPECT_EQ(result.body, expected);
  EXPECT_EQ(result.headers.find("Content-Encoding"), "gzip");
}

TEST_F(HttpClientTest, ThrottledRequestIsRetriedAfterRetryAfter) {
  auto client = make_client(options());
  RetryPolicy policy({3, milliseconds(10), milliseconds(100), milliseconds(5000)});
  HttpRequest request;
  request.url = *parse_url(main_url("/throttle/a"));
  const auto outcome = run(send_with_retry(*client, request, policy, nullptr));
  EXPECT_EQ(outcome.result.status, 200);
  EXPECT_EQ(outcome.result.body, "ok after throttle");
  EXPECT_EQ(outcome.attempts, 2);
}

TEST_F(HttpClientTest, UnavailableRequestIsRetriedWithBackoff) {
  auto client = make_client(options());
  RetryPolicy policy({3, milliseconds(10), milliseconds(100), milliseconds(5000)});
  HttpRequest request;
  request.url = *parse_url(main_url("/unavailable/a"));
  const auto outcome = run(send_with_retry(*client, request, policy, nullptr));
  EXPECT_EQ(outcome.result.status, 200);
  EXPECT_EQ(outcome.result.body, "ok after 503");
  EXPECT_EQ(outcome.attempts, 2);
}

TEST_F(HttpClientTest, SlowResponseTimesOut) {
  auto client = make_client(options());
  const auto result = get(*client, main_url("/slow"), milliseconds(300));
  EXPECT_EQ(result.error, HttpError::timeout);
  EXPECT_EQ(result.error_message, "reading the response timed out");
}

TEST_F(HttpClientTest, BodyOverTheLimitIsRejected) {
  auto opts = options();
  opts.max_body_bytes = 1024 * 1024;
  auto client = make_client(opts);
  const auto result = get(*client, main_url("/big"));
  EXPECT_EQ(result.error, HttpError::body_too_large);
  EXPECT_EQ(result.error_message, "response body exceeds the configured limit");
}

TEST_F(HttpClientTest, ConnectionResetIsReported) {
  auto client = make_client(options());
  const auto result = get(*client, main_url("/reset"));
  EXPECT_EQ(result.error, HttpError::reset) << result.error_message;
}

TEST_F(HttpClientTest, ServerClosedKeepAliveConnectionIsReplacedTransparently) {
  auto client = make_client(options());
  ASSERT_TRUE(get(*client, main_url("/close-after")).success());
  const auto result = get(*client, main_url("/hello"));
  ASSERT_TRUE(result.success()) << result.error_message;
  EXPECT_EQ(result.body, "hello");
  EXPECT_EQ(client->stats().connections_opened, 2u);
}

TEST_F(HttpClientTest, HostnameMismatchFailsTls) {
  auto client = make_client(options());
  const auto result =
      get(*client, "https://localhost:" + std::to_string(info_.wrong_port) + "/hello");
  EXPECT_EQ(result.error, HttpError::tls);
  EXPECT_TRUE(result.error_message.starts_with("TLS handshake with localhost failed: "))
      << result.error_message;
  EXPECT_TRUE(result.error_message.ends_with("(hostname mismatch)")) << result.error_message;
}

TEST_F(HttpClientTest, UntrustedCertificateFailsUnlessVerificationIsDisabled) {
  auto opts = options();
  opts.ca_file.clear();  // system store: does not know the test CA
  auto client = make_client(opts);
  auto result = get(*client, main_url("/hello"));
  EXPECT_EQ(result.error, HttpError::tls);
  EXPECT_NE(result.error_message.find("certificate verify failed"), std::string::npos)
      << result.error_message;
  opts.insecure_skip_verify = true;
  auto insecure = make_client(opts);
  result = get(*insecure, "https://localhost:" + std::to_string(info_.wrong_port) + "/hello");
  EXPECT_TRUE(result.success()) << result.error_message;
}

TEST_F(HttpClientTest, ConnectionRefusedIsAConnectError) {
  auto client = make_client(options());
  const auto result = get(*client, "https://127.0.0.1:1/hello");
  EXPECT_EQ(result.error, HttpError::connect);
  EXPECT_TRUE(result.error_message.starts_with("connecting to 127.0.0.1:1 failed: "))
      << result.error_message;
}

TEST_F(HttpClientTest, TunnelsThroughConnectProxyWithBasicAuth) {
  auto opts = options();
  opts.proxy.url = "http://proxy-user:pa%20ss@127.0.0.1:" + std::to_string(info_.proxy_port);
  auto client = make_client(opts);
  // tunnel.test only resolves inside the proxy: success proves the tunnel was used.
  const std::string url = main_url("/hello", "tunnel.test");
  auto result = get(*client, url);
  ASSERT_TRUE(result.success()) << result.error_message;
  EXPECT_EQ(result.body, "hello");

  opts.proxy.password = "wrong";
  opts.proxy.username = "proxy-user";
  auto rejected = make_client(opts);
  result = get(*rejected, url);
  EXPECT_EQ(result.error, HttpError::proxy);
  EXPECT_EQ(result.error_message,
            "proxy 127.0.0.1:" + std::to_string(info_.proxy_port) +
                " refused CONNECT to tunnel.test:" + std::to_string(info_.main_port) +
                ": HTTP 407 (proxy credentials rejected)");
}

TEST_F(HttpClientTest, ConcurrentRequestsRespectThePerHostLimit) {
  auto opts = options();
  opts.max_connections_per_host = 2;
  auto client = make_client(opts);
  std::vector<std::future<HttpResult>> results;
  for (int i = 0; i < 6; ++i) {
    HttpRequest request;
    request.url = *parse_url(main_url("/pause"));
    results.push_back(asio::co_spawn(io_, client->request(std::move(request)), asio::use_future));
  }
  io_.run_for(std::chrono::seconds(30));
  for (auto& result : results) {
    ASSERT_EQ(result.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    const auto answer = result.get();
    EXPECT_TRUE(answer.success()) << answer.error_message;
  }
  EXPECT_EQ(client->stats().connections_opened, 2u);
}

ClientCredentials test_credentials() {
  ClientCredentials credentials;
  credentials.authority_override =
      "https://localhost:" + std::to_string(HttpClientTest::main_port_for_tests());
  credentials.tenant_id = "tenant-1";
  credentials.client_id = "client-1";
  return credentials;
}

TEST_F(HttpClientTest, TokenProviderWithSecretAndRefreshAfter401) {
  auto client = make_client(options());
  auto credentials = test_credentials();
  credentials.client_secret = "good-secret";
  std::string error;
  auto provider =
      make_client_credentials_provider(*client, credentials, graph_scope(Cloud::global), error);
  ASSERT_TRUE(provider) << error;
  HttpRequest request;
  request.url = *parse_url(main_url("/protected"));
  // The server accepts only the second token: the first answer is a 401.
  const auto outcome =
      run(send_with_retry(*client, request, RetryPolicy({3, milliseconds(10)}), provider.get()));
  EXPECT_EQ(outcome.result.status, 200);
  EXPECT_EQ(outcome.result.body, "protected ok");
  EXPECT_EQ(outcome.attempts, 2);
}

TEST_F(HttpClientTest, TokenProviderReportsEntraErrorsWithoutTheSecret) {
  auto client = make_client(options());
  auto credentials = test_credentials();
  credentials.client_secret = "Wrong-Secret-Value";
  std::string error;
  auto provider =
      make_client_credentials_provider(*client, credentials, graph_scope(Cloud::global), error);
  ASSERT_TRUE(provider) << error;
  const auto result = run(provider->token());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error.find("Wrong-Secret-Value"), std::string::npos) << result.error;
  EXPECT_EQ(result.error,
            "token request (tenant tenant-1, client client-1, scope "
            "https://graph.microsoft.com/.default) failed: HTTP 401 invalid_client: AADSTS7000215: "
            "Invalid client secret provided: [REDACTED] (error_codes=[7000215], trace_id=t-9, "
            "correlation_id=c-9). Hint: the client secret is wrong: configure the secret's VALUE "
            "(not its ID) of this app");
}

TEST_F(HttpClientTest, TokenProviderWithCertificateAssertion) {
  const auto cert = test::make_test_certificate();
  const auto cert_file = std::filesystem::path(info_.dir) / "client.pem";
  std::ofstream(cert_file) << cert.cert_pem << cert.key_pem;
  auto client = make_client(options());
  auto credentials = test_credentials();
  credentials.certificate.cert_file = cert_file.string();
  std::string error;
  auto provider =
      make_client_credentials_provider(*client, credentials, graph_scope(Cloud::global), error);
  ASSERT_TRUE(provider) << error;
  const auto first = run(provider->token());
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_TRUE(first.access_token.starts_with("tok-")) << first.access_token;
  const auto second = run(provider->token());
  EXPECT_EQ(second.access_token, first.access_token);  // served from the cache
}

TEST(HttpClientCreate, UnreadableCaFileIsAnError) {
  asio::io_context io;
  HttpClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  std::string error;
  EXPECT_FALSE(HttpClient::create(io.get_executor(), options, error));
  EXPECT_TRUE(error.starts_with("cannot load CA file '/nonexistent/ca.pem': ")) << error;
}

}  // namespace
}  // namespace secfeed::net
