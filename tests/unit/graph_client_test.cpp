// The pure parts of graph_client: the request graph_get sends, the failure line
// (method, path without query, status, Graph error, request-id, permission hint),
// @odata.nextLink extraction and the same-origin guard for next links.
#include "connector/sources/graph/graph_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "connector/net/http_client.hpp"
#include "connector/sources/graph/request_budget.hpp"
#include "tests/unit/support/child_process.hpp"

namespace secfeed::graph {
namespace {

using std::chrono::milliseconds;

net::HttpRequest request_for(std::string_view url) {
  net::HttpRequest request;
  std::string error;
  EXPECT_TRUE(build_graph_request(url, "c0ffee00-0000-4000-8000-000000000001", milliseconds(30000),
                                  request, error))
      << error;
  return request;
}

net::HttpResult http_answer(int status, std::string body, std::string request_id = "") {
  net::HttpResult result;
  result.status = status;
  result.body = std::move(body);
  if (!request_id.empty()) result.headers.add("request-id", std::move(request_id));
  return result;
}

TEST(GraphRequest, CarriesTheHeadersGraphNeedsAndTheUrlUnchanged) {
  const net::HttpRequest request =
      request_for("https://graph.microsoft.com/v1.0/security/alerts_v2?$skiptoken=abc%3D&$top=5");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url.host, "graph.microsoft.com");
  EXPECT_EQ(request.url.target, "/v1.0/security/alerts_v2?$skiptoken=abc%3D&$top=5");
  EXPECT_EQ(request.headers.find("Accept").value_or(""), "application/json");
  EXPECT_EQ(request.headers.find("Prefer").value_or(""), "include-unknown-enum-members");
  EXPECT_EQ(request.headers.find("client-request-id").value_or(""),
            "c0ffee00-0000-4000-8000-000000000001");
  EXPECT_FALSE(request.headers.contains("Authorization")) << "added per attempt, never stored";
  ASSERT_TRUE(request.timeout.has_value());
  EXPECT_EQ(request.timeout->count(), 30000);
}

TEST(GraphRequest, RejectsARelativeUrl) {
  net::HttpRequest request;
  std::string error;
  EXPECT_FALSE(
      build_graph_request("/v1.0/security/alerts_v2", "id", milliseconds(1), request, error));
  EXPECT_EQ(error.rfind("invalid Graph URL: ", 0), 0u) << error;
}

TEST(GraphPermission, NamedFromThePath) {
  EXPECT_EQ(required_permission("/v1.0/security/alerts_v2"), "SecurityAlert.Read.All");
  EXPECT_EQ(required_permission("/v1.0/security/incidents"), "SecurityIncident.Read.All");
  EXPECT_EQ(required_permission("/v1.0/security/alerts"), "SecurityEvents.Read.All");
  EXPECT_EQ(required_permission("/v1.0/security/secureScores"), "SecurityEvents.Read.All");
  EXPECT_EQ(required_permission("/v1.0/security/secureScoreControlProfiles"),
            "SecurityEvents.Read.All");
  EXPECT_EQ(required_permission("/v1.0/security/alertsX"), "");
  EXPECT_EQ(required_permission("/v1.0/users"), "");
}

TEST(GraphFailure, ForbiddenNamesTheMissingPermissionAndTheRequestIdButNotTheQuery) {
  const net::HttpRequest request = request_for(
      "https://graph.microsoft.com/v1.0/security/alerts_v2?$filter=lastUpdateDateTime%20ge%20x");
  const std::string line = describe_graph_failure(
      request,
      http_answer(403,
                  R"({"error":{"code":"Authorization_RequestDenied","message":"Insufficient )"
                  R"(privileges to complete the operation.","innerError":{"request-id":"r-9"}}})",
                  "1234"),
      1);
  EXPECT_EQ(line,
            "GET /v1.0/security/alerts_v2: 403 Forbidden: Authorization_RequestDenied: "
            "Insufficient privileges to complete the operation. (request-id 1234); the app "
            "registration needs the application permission SecurityAlert.Read.All with admin "
            "consent in this tenant");
}

TEST(GraphFailure, RequestIdFromTheBodyAndTheAttemptCount) {
  const net::HttpRequest request =
      request_for("https://graph.microsoft.us/v1.0/security/incidents");
  const std::string line = describe_graph_failure(
      request,
      http_answer(429, R"({"error":{"code":"TooManyRequests","message":"Too many requests.",)"
                       R"("innerError":{"request-id":"abc-1"}}})"),
      4);
  EXPECT_EQ(line,
            "GET /v1.0/security/incidents: 429 Too Many Requests: TooManyRequests: Too many "
            "requests. (request-id abc-1, after 4 attempts)");
}

TEST(GraphFailure, IncidentsForbiddenNeedsSecurityIncidentRead) {
  const std::string line = describe_graph_failure(
      request_for("https://graph.microsoft.com/v1.0/security/incidents?$top=50"),
      http_answer(403, ""), 1);
  EXPECT_EQ(line,
            "GET /v1.0/security/incidents: 403 Forbidden; the app registration needs the "
            "application permission SecurityIncident.Read.All with admin consent in this tenant");
}

TEST(GraphFailure, NonGraphBodyIsAShortSingleLineExcerpt) {
  const std::string line =
      describe_graph_failure(request_for("https://graph.microsoft.com/v1.0/security/alerts"),
                             http_answer(502, "<html>\nbad gateway\n</html>"), 1);
  EXPECT_EQ(line, "GET /v1.0/security/alerts: 502 Bad Gateway: <html> bad gateway </html>");
}

TEST(GraphFailure, TransportAndTokenFailures) {
  const net::HttpRequest request =
      request_for("https://graph.microsoft.com/v1.0/security/alerts_v2");
  net::HttpResult timeout;
  timeout.error = net::HttpError::timeout;
  timeout.error_message = "no answer within 30000 ms";
  EXPECT_EQ(
      describe_graph_failure(request, timeout, 5),
      "GET /v1.0/security/alerts_v2: " + std::string(net::to_string(net::HttpError::timeout)) +
          ": no answer within 30000 ms (after 5 attempts)");
  net::HttpResult token;
  token.error = net::HttpError::auth;
  token.error_message = "AADSTS7000215: Invalid client secret provided.";
  EXPECT_EQ(describe_graph_failure(request, token, 0),
            "GET /v1.0/security/alerts_v2: no access token: AADSTS7000215: Invalid client secret "
            "provided.");
}

TEST(GraphFailure, NeverShowsABearerToken) {
  const std::string line = describe_graph_failure(
      request_for("https://graph.microsoft.com/v1.0/security/alerts_v2"),
      http_answer(400, "echo: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"), 1);
  EXPECT_EQ(line.find("eyJ"), std::string::npos) << line;
}

TEST(GraphNextLink, AbsentNullPresentOrBroken) {
  rapidjson::Document doc;
  std::string_view link;
  std::string error;
  doc.Parse(R"({"value":[]})");
  EXPECT_TRUE(next_link(doc, link, error));
  EXPECT_EQ(link, "");
  doc.Parse(R"({"value":[],"@odata.nextLink":null})");
  EXPECT_TRUE(next_link(doc, link, error));
  EXPECT_EQ(link, "");
  doc.Parse(R"({"value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=1"})");
  EXPECT_TRUE(next_link(doc, link, error));
  EXPECT_EQ(link, "https://graph.microsoft.com/v1.0/x?$skiptoken=1");
  doc.Parse(R"({"value":[],"@odata.nextLink":7})");
  EXPECT_FALSE(next_link(doc, link, error));
  EXPECT_EQ(error, "@odata.nextLink: expected a non-empty string, got a number");
  doc.Parse(R"({"value":[],"@odata.nextLink":""})");
  EXPECT_FALSE(next_link(doc, link, error));
  EXPECT_EQ(error, "@odata.nextLink: expected a non-empty string, got an empty string");
  doc.Parse(R"([1])");
  EXPECT_FALSE(next_link(doc, link, error));
  EXPECT_EQ(error, "the list response is not a JSON object");
}

TEST(GraphNextLink, SameOriginGuard) {
  EXPECT_TRUE(same_origin("https://graph.microsoft.com/v1.0/a?$skiptoken=x",
                          "https://graph.microsoft.com"));
  EXPECT_TRUE(same_origin("https://127.0.0.1:8443/v1.0/a", "https://127.0.0.1:8443"));
  EXPECT_FALSE(same_origin("https://evil.example/v1.0/a", "https://graph.microsoft.com"));
  EXPECT_FALSE(same_origin("http://graph.microsoft.com/v1.0/a", "https://graph.microsoft.com"));
  EXPECT_FALSE(same_origin("https://127.0.0.1:9999/v1.0/a", "https://127.0.0.1:8443"));
  EXPECT_FALSE(same_origin("not a url", "https://graph.microsoft.com"));
}

TEST(GraphRetry, DefaultPolicyRetriesThrottlingHonouringRetryAfter) {
  const net::RetryPolicy policy = default_graph_retry_policy();
  net::HttpResult throttled = http_answer(429, "");
  throttled.headers.add("Retry-After", "7");
  const net::RetryDecision d = policy.decide(0, throttled, 0);
  EXPECT_EQ(d.action, net::RetryAction::retry);
  EXPECT_EQ(d.delay.count(), 7000);
  EXPECT_EQ(policy.decide(4, throttled, 0).action, net::RetryAction::give_up);
  EXPECT_EQ(policy.decide(0, http_answer(403, ""), 0).action, net::RetryAction::give_up);
  EXPECT_EQ(policy.decide(0, http_answer(401, ""), 0).action,
            net::RetryAction::refresh_token_then_retry);
}

// graph_get over real HTTPS (tests/unit/support/https_test_server.py on loopback).
class GraphGetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<test::ChildProcess>(std::vector<std::string>{
        "python3", SECFEED_SOURCE_DIR "/tests/unit/support/https_test_server.py"});
    if (!server_->started()) return;
    const auto line = server_->read_line(milliseconds(60'000));
    if (!line) return;
    rapidjson::Document doc;
    doc.Parse(line->c_str());
    if (!doc.IsObject()) return;
    ca_file_ = doc["ca"].GetString();
    port_ = doc["main"].GetInt();
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (port_ == 0) GTEST_SKIP() << "no test server";
    net::HttpClientOptions options;
    options.ca_file = ca_file_;
    options.proxy.use_environment = false;
    std::string error;
    http_ = net::HttpClient::create(io_.get_executor(), options, error);
    ASSERT_TRUE(http_) << error;
  }
  static std::string url(std::string_view path) {
    return "https://localhost:" + std::to_string(port_) + std::string(path);
  }
  GraphResponse get(const GraphTenant& tenant, std::string target) {
    net::RetryOptions fast;
    fast.max_attempts = 3;
    fast.base_delay = milliseconds(10);
    fast.max_retry_after = milliseconds(50);  // the server's Retry-After: 1 s, capped
    const net::RetryPolicy policy(fast);
    auto future = boost::asio::co_spawn(
        io_, graph_get(*http_, tenant, std::move(target), policy, milliseconds(10'000)),
        boost::asio::use_future);
    io_.run_for(std::chrono::seconds(30));
    EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    return future.get();
  }

  boost::asio::io_context io_;
  std::unique_ptr<net::HttpClient> http_;
  static inline std::unique_ptr<test::ChildProcess> server_;
  static inline std::string ca_file_;
  static inline int port_ = 0;
};

TEST_F(GraphGetTest, ThrottledRequestIsRetriedAndEveryAttemptTakesItsOwnPermit) {
  RequestBudget budget(io_.get_executor(), BudgetLimits{1, 100, milliseconds(3'600'000)});
  const GraphTenant tenant{nullptr, url(""), nullptr, &budget};
  const GraphResponse r = get(tenant, url("/throttle/graph-get-1"));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok after throttle");
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.attempt_statuses, (std::vector<int>{429, 200}));
  EXPECT_EQ(budget.in_flight(), 0u);
  EXPECT_EQ(budget.starts_in_window(), 2u) << "a retry counts against the budget";
}

TEST_F(GraphGetTest, OtherClientErrorsAreNotRetriedAndExplained) {
  const GraphTenant tenant{nullptr, url(""), nullptr, nullptr};
  const GraphResponse r = get(tenant, url("/v1.0/security/nothing?$top=1"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_FALSE(r.auth_failure);
  EXPECT_EQ(r.error, "GET /v1.0/security/nothing: 404 Not Found: not found");
}

TEST_F(GraphGetTest, ARefusedTokenIsAnAuthFailure) {
  const GraphTenant tenant{nullptr, url(""), nullptr, nullptr};
  const GraphResponse r = get(tenant, url("/protected"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.auth_failure);
  EXPECT_EQ(r.error,
            "GET /protected: 401 Unauthorized: InvalidAuthenticationToken: expired; Graph "
            "refused the token (wrong tenant, cloud or audience?)");
}

}  // namespace
}  // namespace secfeed::graph
