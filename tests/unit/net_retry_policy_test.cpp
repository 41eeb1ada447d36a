#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connector/net/redact.hpp"
#include "connector/net/retry_policy.hpp"

namespace secfeed::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::int64_t kDate1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

HttpResult answer(int status, std::string retry_after = {}, std::string body = {}) {
  HttpResult result;
  result.status = status;
  if (!retry_after.empty()) result.headers.add("Retry-After", std::move(retry_after));
  result.body = std::move(body);
  return result;
}

HttpResult transport(HttpError error) {
  HttpResult result;
  result.error = error;
  result.error_message = "boom";
  return result;
}

// Returns the upper bound itself, so backoff() shows the ceiling min(cap, base * 2^n).
RetryPolicy max_jitter_policy(RetryOptions options = {}) {
  return RetryPolicy(options, [](std::uint64_t upper) { return upper; });
}

TEST(NetRetryAfter, ParsesDeltaSecondsAndAllHttpDateFormats) {
  EXPECT_EQ(parse_retry_after("120", 0), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 ", 0), seconds(0));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", 0), seconds(INT32_MAX));
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kDate1994);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kDate1994);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kDate1994);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kDate1994 - 30), seconds(30));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", kDate1994 - 5), seconds(5));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", kDate1994 - 7), seconds(7));
  // A date in the past means "now".
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kDate1994 + 100), seconds(0));
}

TEST(NetRetryAfter, RejectsGarbage) {
  for (const char* text : {"", "  ", "-5", "1.5", "soon", "Sun, 06 Nov 1994 08:49 GMT",
                           "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET",
                           "Sun Nov  6 08:49:37 94", "06 Nov 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(parse_retry_after(text, 0)) << text;
  }
}

TEST(NetRetryPolicy, BackoffIsFullJitterUnderExponentialCeiling) {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.max_backoff = milliseconds(1000);
  const auto policy = max_jitter_policy(options);
  EXPECT_EQ(policy.backoff(0), milliseconds(100));
  EXPECT_EQ(policy.backoff(1), milliseconds(200));
  EXPECT_EQ(policy.backoff(3), milliseconds(800));
  EXPECT_EQ(policy.backoff(4), milliseconds(1000));
  EXPECT_EQ(policy.backoff(200), milliseconds(1000));  // no overflow

  std::vector<std::uint64_t> uppers;
  RetryPolicy recording(options, [&](std::uint64_t upper) {
    uppers.push_back(upper);
    return std::uint64_t{37};
  });
  EXPECT_EQ(recording.backoff(2), milliseconds(37));
  EXPECT_EQ(uppers, std::vector<std::uint64_t>{400});
  // A misbehaving RNG cannot exceed the ceiling.
  RetryPolicy wild(options, [](std::uint64_t) { return std::uint64_t{1} << 40; });
  EXPECT_EQ(wild.backoff(0), milliseconds(100));
}

TEST(NetRetryPolicy, ThrottlingHonoursRetryAfterCapped) {
  const auto policy = max_jitter_policy();
  for (int status : {429, 503, 504}) {
    auto decision = policy.decide(0, answer(status, "7"), 0);
    EXPECT_EQ(decision.action, RetryAction::retry) << status;
    EXPECT_EQ(decision.delay, milliseconds(7000)) << status;
    decision = policy.decide(0, answer(status, "3600"), 0);
    EXPECT_EQ(decision.delay, milliseconds(180'000)) << status;
    decision = policy.decide(0, answer(status, "Sun, 06 Nov 1994 08:49:37 GMT"), kDate1994 - 2);
    EXPECT_EQ(decision.delay, milliseconds(2000)) << status;
    // No (or an unusable) Retry-After: exponential backoff.
    decision = policy.decide(2, answer(status), 0);
    EXPECT_EQ(decision.action, RetryAction::retry);
    EXPECT_EQ(decision.delay, milliseconds(4000));
    decision = policy.decide(1, answer(status, "later"), 0);
    EXPECT_EQ(decision.delay, milliseconds(2000));
  }
}

TEST(NetRetryPolicy, ServerAndConnectionErrorsBackOff) {
  const auto policy = max_jitter_policy();
  for (int status : {500, 502, 408}) {
    const auto decision = policy.decide(1, answer(status), 0);
    EXPECT_EQ(decision.action, RetryAction::retry) << status;
    EXPECT_EQ(decision.delay, milliseconds(2000)) << status;
  }
  for (HttpError error : {HttpError::dns, HttpError::connect, HttpError::proxy, HttpError::timeout,
                          HttpError::reset}) {
    const auto decision = policy.decide(0, transport(error), 0);
    EXPECT_EQ(decision.action, RetryAction::retry) << to_string(error);
    EXPECT_EQ(decision.delay, milliseconds(1000));
  }
  for (HttpError error :
       {HttpError::tls, HttpError::body_too_large, HttpError::protocol, HttpError::auth}) {
    EXPECT_EQ(policy.decide(0, transport(error), 0).action, RetryAction::give_up)
        << to_string(error);
  }
}

TEST(NetRetryPolicy, UnauthorizedRefreshesTokenOnce) {
  const auto policy = max_jitter_policy();
  auto decision = policy.decide(0, answer(401), 0, /*token_refreshed=*/false);
  EXPECT_EQ(decision.action, RetryAction::refresh_token_then_retry);
  EXPECT_EQ(decision.delay, milliseconds(0));
  EXPECT_EQ(policy.decide(0, answer(401), 0, true).action, RetryAction::give_up);
}

TEST(NetRetryPolicy, OtherClientErrorsAndAttemptLimitGiveUp) {
  RetryOptions options;
  options.max_attempts = 3;
  const auto policy = max_jitter_policy(options);
  for (int status : {400, 403, 404, 413}) {
    EXPECT_EQ(policy.decide(0, answer(status), 0).action, RetryAction::give_up) << status;
  }
  EXPECT_EQ(policy.decide(2, answer(503), 0).action, RetryAction::retry);
  EXPECT_EQ(policy.decide(3, answer(503), 0).action, RetryAction::give_up);
  EXPECT_EQ(policy.decide(3, transport(HttpError::reset), 0).action, RetryAction::give_up);
  // Unlimited by default.
  EXPECT_EQ(max_jitter_policy().decide(10'000, answer(503), 0).action, RetryAction::retry);
}

constexpr const char* kGraphError = R"({"error":{"code":"Authorization_RequestDenied",
  "message":"Insufficient privileges to complete the operation.",
  "innerError":{"date":"2024-01-02T03:04:05","request-id":"rid-1","client-request-id":"crid-1"}}})";

TEST(NetGraphError, ParsesCodeMessageAndIds) {
  const auto error = parse_graph_error(kGraphError);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "Authorization_RequestDenied");
  EXPECT_EQ(error->message, "Insufficient privileges to complete the operation.");
  EXPECT_EQ(error->request_id, "rid-1");
  EXPECT_EQ(error->client_request_id, "crid-1");
  EXPECT_EQ(error->date, "2024-01-02T03:04:05");
  EXPECT_FALSE(parse_graph_error("not json"));
  EXPECT_FALSE(parse_graph_error(R"({"error":"x"})"));
  EXPECT_FALSE(parse_graph_error(R"({"error":{}})"));
  EXPECT_FALSE(parse_graph_error("[]"));
}

HttpRequest graph_request() {
  HttpRequest request;
  request.url = *parse_url("https://graph.microsoft.com/v1.0/security/alerts_v2?$top=5");
  request.headers.add("Authorization",
                      "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln");
  request.body = "client_secret=SuperSecret";
  return request;
}

TEST(NetFormatFailure, GraphErrorWithRequestIds) {
  auto result = answer(403, {}, kGraphError);
  result.headers.add("request-id", "hdr-rid");
  EXPECT_EQ(format_failure(graph_request(), result),
            "GET https://graph.microsoft.com:443/v1.0/security/alerts_v2?$top=5 -> HTTP 403: "
            "Authorization_RequestDenied: Insufficient privileges to complete the operation. "
            "(request-id=hdr-rid, client-request-id=crid-1)");
}

TEST(NetFormatFailure, TransportErrorAndPlainBodyAndWarning) {
  EXPECT_EQ(format_failure(graph_request(), transport(HttpError::timeout)),
            "GET https://graph.microsoft.com:443/v1.0/security/alerts_v2?$top=5 -> timeout error: "
            "boom");
  auto result = answer(206, {}, "line1\nline2 " + std::string(300, 'x'));
  result.headers.add("Warning", "199 - \"provider failed\"");
  const auto line = format_failure(graph_request(), result);
  EXPECT_EQ(line,
            "GET https://graph.microsoft.com:443/v1.0/security/alerts_v2?$top=5 -> HTTP 206: "
            "line1 line2 " +
                std::string(188, 'x') + "... (Warning: 199 - \"provider failed\")");
}

TEST(NetFormatFailure, NeverContainsTokensEvenWhenTheServerEchoesThem) {
  const std::string jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln";
  auto result = answer(
      400, {}, R"({"error":{"code":"BadRequest","message":"bad header Bearer )" + jwt + R"("}})");
  const auto line = format_failure(graph_request(), result);
  EXPECT_EQ(line.find(jwt), std::string::npos) << line;
  EXPECT_EQ(line.find("eyJ"), std::string::npos) << line;
  EXPECT_NE(line.find("bad header Bearer [REDACTED]"), std::string::npos) << line;
}

TEST(NetRedact, RemovesSecretsMarkersAndJwts) {
  EXPECT_EQ(redact("secret=abc123 and abc123 again", {"abc123", ""}),
            "secret=[REDACTED] and [REDACTED] again");
  EXPECT_EQ(redact("Authorization: Bearer tok.en-value_1 rest"),
            "Authorization: Bearer [REDACTED] rest");
  EXPECT_EQ(redact("Proxy-Authorization: Basic dXNlcjpwYXNz"),
            "Proxy-Authorization: Basic [REDACTED]");
  EXPECT_EQ(redact("grant_type=client_credentials&client_secret=s%2Fx&scope=a"),
            "grant_type=client_credentials&client_secret=[REDACTED]&scope=a");
  EXPECT_EQ(redact(R"({"access_token":"abc.def","expires_in":1})"),
            R"({"access_token":"[REDACTED]","expires_in":1})");
  EXPECT_EQ(redact("token eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJ4In0.sig!"), "token [REDACTED]!");
  EXPECT_EQ(redact("no secrets here: keyJunk"), "no secrets here: keyJunk");
}

}  // namespace
}  // namespace secfeed::net
