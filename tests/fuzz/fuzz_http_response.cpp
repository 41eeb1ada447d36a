// libFuzzer entry: an HTTP response as the client receives it. The bytes go through the
// Beast parser configured as HttpClient configures it (header and body limits, chunked
// framing) and Content-Encoding decoding, then through everything our code does with a
// response: Retry-After and the retry decision, Graph's error body, the failure line that
// is logged, the Entra token response, and a Graph list page (value array, nextLink).
// Must never crash, and the invariants below (limits, no secret in any message) hold.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "connector/core/json_reader.hpp"
#include "connector/net/http_response.hpp"
#include "connector/net/redact.hpp"
#include "connector/net/retry_policy.hpp"
#include "connector/net/token_provider.hpp"
#include "connector/net/url.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "connector/sources/graph/graph_client.hpp"

namespace {

namespace http = boost::beast::http;
using namespace secfeed;

// Smaller than the client's 64 MiB default so that decompression bombs reach the limit
// quickly; the code paths are the same.
constexpr std::size_t kMaxBody = 1 << 20;
constexpr std::int64_t kNow = 1'700'000'000;  // fixed clock: runs are reproducible
constexpr std::string_view kGraphBase = "https://graph.microsoft.com";
// A FAKE secret; the seed corpus has token error bodies that echo it.
constexpr std::string_view kClientSecret = "FAKE-fuzz-client-secret~0123456789";

// Parses `wire` as one response the way http::async_read does: until the message is
// complete, then end of stream (a response delimited by closing the connection).
bool parse_response(std::string_view wire, net::ResponseParser& parser) {
  net::configure_response_parser(parser, kMaxBody, false);
  parser.eager(true);
  boost::system::error_code ec;
  boost::asio::const_buffer buffer(wire.data(), wire.size());
  while (!parser.is_done()) {
    const std::size_t used = parser.put(buffer, ec);
    buffer += used;
    if (ec == http::error::need_more) {
      if (buffer.size() != 0 && used != 0) continue;
      ec = {};
      parser.put_eof(ec);
      break;
    }
    if (ec) return false;
    if (used == 0 && buffer.size() == 0 && !parser.is_done()) {
      parser.put_eof(ec);
      break;
    }
  }
  return !ec && parser.is_done();
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

void check_retry(const net::HttpResult& result) {
  if (const auto header = result.headers.find("Retry-After")) {
    const auto wait = net::parse_retry_after(*header, kNow);
    if (wait && wait->count() < 0) __builtin_trap();
  }
  if (const auto date = result.headers.find("Date")) (void)net::parse_http_date(*date);
  net::RetryOptions options;
  options.max_attempts = 3;
  const net::RetryPolicy policy(options, [](std::uint64_t upper) { return upper; });
  for (int attempt = 0; attempt <= options.max_attempts; ++attempt) {
    const auto decision = policy.decide(attempt, result, kNow);
    // A wait is never negative and never longer than the caps, whatever Retry-After says.
    const auto cap = std::max(options.max_backoff, options.max_retry_after);
    if (decision.delay.count() < 0 || decision.delay > cap) __builtin_trap();
    if (attempt == options.max_attempts && result.status != 401 &&
        decision.action != net::RetryAction::give_up) {
      __builtin_trap();
    }
  }
}

void check_failure_lines(const net::HttpResult& result) {
  (void)net::parse_graph_error(result.body);
  net::HttpRequest request;
  std::string error;
  if (!graph::build_graph_request(std::string(kGraphBase) + "/v1.0/security/alerts_v2?$top=10",
                                  "client-request-id", std::chrono::seconds(30), request, error)) {
    __builtin_trap();
  }
  const std::string logged = net::format_failure(request, result);
  const std::string described = graph::describe_graph_failure(request, result, 2);
  // The failure lines are redacted: a bearer token in the body never reaches a log.
  for (const std::string* line : {&logged, &described}) {
    if (contains(*line, "Bearer FAKE-bearer-token")) __builtin_trap();
  }
}

void check_token_response(const net::HttpResult& result) {
  net::ClientCredentials credentials;
  credentials.tenant_id = "00000000-0000-0000-0000-000000000001";
  credentials.client_id = "00000000-0000-0000-0000-000000000002";
  credentials.client_secret = std::string(kClientSecret);
  const net::TokenResponse token =
      net::parse_token_response(result.status, result.body, credentials);
  if (contains(token.error, kClientSecret)) __builtin_trap();
  if (token.error.empty()) {
    // Accepted: a usable token with a positive lifetime, only ever from a 200.
    if (token.access_token.empty() || token.expires_in.count() <= 0 || result.status != 200)
      __builtin_trap();
  } else if (!token.access_token.empty()) {
    __builtin_trap();
  }
}

void check_graph_page(const net::HttpResult& result) {
  PayloadReader reader;
  std::size_t items = 0;
  bool bad = false;
  reader.read(
      result.body, [&](const PayloadItem&) { ++items; }, [&](const PayloadError&) { bad = true; });
  const rapidjson::Value& root = reader.root();
  const rapidjson::Value* value = root.IsObject() ? find_member(root, "value") : nullptr;
  if (bad || value == nullptr || !value->IsArray()) return;  // not a list: page retried
  std::string_view link;
  std::string link_error;
  if (!graph::next_link(root, link, link_error)) {
    if (link_error.empty()) __builtin_trap();
    return;
  }
  if (!link.empty()) (void)graph::same_origin(link, kGraphBase);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  net::ResponseParser parser;
  if (!parse_response(wire, parser)) return 0;  // the client reports a protocol error
  const net::HttpResult result = net::to_http_result(parser.get(), kMaxBody);
  if (!result.transport_ok()) {
    if (result.error_message.empty()) __builtin_trap();
    return 0;
  }
  if (result.body.size() > kMaxBody) __builtin_trap();
  check_retry(result);
  check_failure_lines(result);
  check_token_response(result);
  check_graph_page(result);
  return 0;
}
