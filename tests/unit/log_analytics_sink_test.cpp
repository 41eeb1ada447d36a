// The log_analytics sink against a scripted local HTTP server: routing by table, request
// shape (URL, headers, gzip, JSON array), splitting after 413, isolating 400 rows,
// Retry-After, 401 refresh, 403; plus the pure request helpers.
#include "sinks/log_analytics/log_analytics_sink.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <future>

#include <rapidjson/document.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "connector/core/metrics.hpp"
#include "connector/net/decompress.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/token_provider.hpp"
#include "sinks/dead_letter_output.hpp"
#include "sinks/log_analytics/ingestion_request.hpp"
#include "tests/unit/support/text_checks.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using std::chrono::milliseconds;

SinkMessage row(std::string id, EventKind kind, std::size_t padding = 0) {
  SinkMessage m;
  m.id = std::move(id);
  m.kind = kind;
  m.bytes = R"({"EventId":")" + m.id + R"(","Pad":")" + std::string(padding, 'p') + R"("})";
  return m;
}

// ---- Pure helpers.

TEST(IngestionRequest, UrlHasDcrStreamAndApiVersion) {
  EXPECT_EQ(ingestion_url("https://dce.westeurope-1.ingest.monitor.azure.com/", "dcr-0a1b",
                          "Custom-SecfeedAlerts_CL"),
            "https://dce.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-0a1b/"
            "streams/Custom-SecfeedAlerts_CL?api-version=2023-01-01");
}

TEST(IngestionRequest, ChunksStayWithinTheBodyLimit) {
  std::vector<SinkMessage> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(row("r" + std::to_string(i), EventKind::alert));
  const std::size_t one = rows[0].bytes.size();
  std::string body;
  append_body(body, rows);
  EXPECT_EQ(body.size(), body_size(rows));
  EXPECT_EQ(body.substr(0, one + 2), "[" + rows[0].bytes + ",");
  // Exactly two rows fit: "[" a "," b "]".
  EXPECT_EQ(chunk_end(rows, 0, rows.size(), 2 * one + 3), 2u);
  EXPECT_EQ(chunk_end(rows, 0, rows.size(), 2 * one + 2), 1u);
  EXPECT_EQ(chunk_end(rows, 3, rows.size(), 100 * one), 5u);
  EXPECT_EQ(chunk_end(rows, 1, 3, 100 * one), 3u) << "never past the limit";
  EXPECT_EQ(chunk_end(rows, 0, rows.size(), 1), 1u) << "at least one row";
}

TEST(IngestionRequest, AnswersAreClassifiedByTheApiContract) {
  net::HttpResult r;
  const auto with_status = [&](int status) {
    r.status = status;
    return classify_ingestion(r);
  };
  EXPECT_EQ(with_status(204), IngestionOutcome::accepted);
  EXPECT_EQ(with_status(200), IngestionOutcome::retry) << "only 204 means stored";
  EXPECT_EQ(with_status(413), IngestionOutcome::too_large);
  EXPECT_EQ(with_status(400), IngestionOutcome::rejected);
  EXPECT_EQ(with_status(401), IngestionOutcome::unauthorized);
  EXPECT_EQ(with_status(403), IngestionOutcome::forbidden);
  EXPECT_EQ(with_status(429), IngestionOutcome::retry);
  EXPECT_EQ(with_status(503), IngestionOutcome::retry);
  r.error = net::HttpError::reset;
  EXPECT_EQ(classify_ingestion(r), IngestionOutcome::retry);
}

TEST(IngestionRequest, RetryAfterIsHonouredAndCapped) {
  net::HttpResult r;
  r.status = 429;
  EXPECT_EQ(ingestion_retry_after(r, 0, milliseconds(60000)), std::nullopt);
  r.headers.add("Retry-After", "7");
  EXPECT_EQ(ingestion_retry_after(r, 0, milliseconds(60000)), milliseconds(7000));
  EXPECT_EQ(ingestion_retry_after(r, 0, milliseconds(2000)), milliseconds(2000));
}

// ---- The sink against a local server.

struct Received {
  std::string target;
  std::string content_type, content_encoding, request_id, authorization;
  std::vector<std::string> ids;  // EventId of each row, in order
};

struct Answer {
  int status = 204;
  std::string body;
  std::string retry_after;
};

// One connection at a time, keep-alive; answers each request with `script(received)`.
class ScriptedServer {
 public:
  explicit ScriptedServer(asio::io_context& io)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io, accept(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  std::function<Answer(const Received&)> script = [](const Received&) { return Answer{}; };
  std::vector<Received> requests;

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, asio::use_awaitable);
      Received received;
      received.target = std::string(request.target());
      received.content_type = std::string(request[http::field::content_type]);
      received.content_encoding = std::string(request[http::field::content_encoding]);
      received.request_id = std::string(request["x-ms-client-request-id"]);
      received.authorization = std::string(request[http::field::authorization]);
      std::string body;
      net::decode_content(received.content_encoding, request.body(), 8 << 20, body);
      rapidjson::Document doc;
      doc.Parse(body.c_str());
      if (doc.IsArray()) {
        for (const auto& item : doc.GetArray()) received.ids.push_back(item["EventId"].GetString());
      }
      requests.push_back(received);
      const Answer answer = script(received);
      http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
      if (!answer.retry_after.empty()) response.set(http::field::retry_after, answer.retry_after);
      response.body() = answer.body;
      response.prepare_payload();
      co_await http::async_write(socket, response, asio::use_awaitable);
    }
  }
  tcp::acceptor acceptor_;
};

class FixedToken : public net::TokenProvider {
 public:
  asio::awaitable<net::TokenResult> token() override {
    net::TokenResult result;
    result.access_token = "token-" + std::to_string(generation);
    co_return result;
  }
  void invalidate(std::string_view stale) override {
    if (stale == "token-" + std::to_string(generation)) ++generation;
  }
  int generation = 1;
};

class TestableSink : public LogAnalyticsSink {
 public:
  using LogAnalyticsSink::deliver;
  using LogAnalyticsSink::LogAnalyticsSink;
};

class LogAnalyticsSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-la-XXXXXX";
    dir_ = mkdtemp(dir_template);
    dead_letters_ = std::make_unique<DeadLetterOutput>(dir_ + "/dead.ndjson");
    std::string error;
    http_ = net::HttpClient::create(io_.get_executor(), {}, error);
    ASSERT_TRUE(http_) << error;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<TestableSink> make(std::size_t max_batch_bytes = 1'000'000, bool gzip = true) {
    SinkOptions base;
    base.name = "sentinel-" + std::to_string(++sinks_made_);
    base.format = OutputFormat::sentinel;
    LogAnalyticsSinkOptions options;
    options.endpoint = "http://127.0.0.1:" + std::to_string(server_.port());
    options.dcr_immutable_id = "dcr-00112233445566778899aabbccddeeff";
    options.stream_alerts = "Custom-SecfeedAlerts_CL";
    options.stream_posture = "Custom-SecfeedPosture_CL";
    options.max_batch_bytes = max_batch_bytes;
    options.gzip = gzip;
    return std::make_unique<TestableSink>(io_.get_executor(), base, options, *http_, &tokens_,
                                          dead_letters_.get());
  }

  DeliveryResult deliver(TestableSink& sink, std::vector<SinkMessage>& batch) {
    auto future = asio::co_spawn(io_, sink.deliver(batch), asio::use_future);
    // The server keeps the io_context busy forever: run until the result is there.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(milliseconds(50));
    }
    return future.get();
  }

  static std::vector<std::string> ids(const std::vector<SinkMessage>& batch) {
    std::vector<std::string> out;
    for (const SinkMessage& m : batch) out.push_back(m.id);
    return out;
  }

  std::string dir_;
  asio::io_context io_;
  ScriptedServer server_{io_};
  FixedToken tokens_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<DeadLetterOutput> dead_letters_;
  int sinks_made_ = 0;
};

const std::string kAlertsTarget =
    "/dataCollectionRules/dcr-00112233445566778899aabbccddeeff/streams/"
    "Custom-SecfeedAlerts_CL?api-version=2023-01-01";
const std::string kPostureTarget =
    "/dataCollectionRules/dcr-00112233445566778899aabbccddeeff/streams/"
    "Custom-SecfeedPosture_CL?api-version=2023-01-01";

TEST_F(LogAnalyticsSinkTest, RoutesRowsToTheirTableStreamsInGzippedJsonArrays) {
  auto sink = make();
  std::vector<SinkMessage> batch;
  batch.push_back(row("a1", EventKind::alert));
  batch.push_back(row("s1", EventKind::secure_score));
  batch.push_back(row("i1", EventKind::incident));
  batch.push_back(row("f1", EventKind::finding));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 4u);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(ids(batch), (std::vector<std::string>{"a1", "i1", "s1", "f1"}))
      << "grouped by table, each table in its order";
  ASSERT_EQ(server_.requests.size(), 2u);
  const Received& alerts = server_.requests[0];
  EXPECT_EQ(alerts.target, kAlertsTarget);
  EXPECT_EQ(alerts.ids, (std::vector<std::string>{"a1", "i1"}));
  EXPECT_EQ(alerts.content_type, "application/json");
  EXPECT_EQ(alerts.content_encoding, "gzip");
  EXPECT_EQ(alerts.authorization, "Bearer token-1");
  EXPECT_TRUE(test::is_v4_guid(alerts.request_id)) << alerts.request_id;
  EXPECT_EQ(server_.requests[1].target, kPostureTarget);
  EXPECT_EQ(server_.requests[1].ids, (std::vector<std::string>{"s1", "f1"}));
  EXPECT_NE(server_.requests[0].request_id, server_.requests[1].request_id);
  const metrics::Registry& registry = metrics::Registry::global();
  EXPECT_EQ(registry.value("secfeed_sink_http_requests_total",
                           {{"sink", sink->name()}, {"status", "204"}}),
            2);
  EXPECT_EQ(registry.value("secfeed_log_analytics_rows_total",
                           {{"sink", sink->name()}, {"stream", "Custom-SecfeedPosture_CL"}}),
            2);
}

TEST_F(LogAnalyticsSinkTest, BodiesStayUnderMaxBatchBytesUncompressed) {
  auto sink = make(1000, /*gzip=*/false);
  std::vector<SinkMessage> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(row("a" + std::to_string(i), EventKind::alert, 200));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 10u);
  ASSERT_EQ(server_.requests.size(), 3u);  // 4 + 4 + 2 rows of ~230 bytes
  EXPECT_EQ(server_.requests[0].ids.size(), 4u);
  EXPECT_EQ(server_.requests[0].content_encoding, "");
}

TEST_F(LogAnalyticsSinkTest, A413SplitsTheRequestInHalvesUntilItFits) {
  auto sink = make();
  server_.script = [](const Received& r) {
    return r.ids.size() > 2 ? Answer{413, R"({"error":{"code":"ContentLengthLimitExceeded"}})", ""}
                            : Answer{};
  };
  std::vector<SinkMessage> batch;
  for (int i = 0; i < 7; ++i) batch.push_back(row("a" + std::to_string(i), EventKind::alert));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 7u);
  EXPECT_EQ(result.rejected, 0u);
  std::vector<std::string> stored;
  for (const Received& r : server_.requests) {
    if (r.ids.size() <= 2) stored.insert(stored.end(), r.ids.begin(), r.ids.end());
  }
  EXPECT_EQ(stored, ids(batch)) << "every row stored once, in order";
  // 7 -> (3 -> 1 + 2) + (4 -> 2 + 2): 3 refused requests, 4 accepted.
  EXPECT_EQ(server_.requests.size(), 7u);
}

TEST_F(LogAnalyticsSinkTest, ASingleRowOverTheLimitIsRejectedWithTheReason) {
  auto sink = make(300);
  std::vector<SinkMessage> batch;
  batch.push_back(row("a0", EventKind::alert));
  batch.push_back(row("big", EventKind::alert, 400));
  batch.push_back(row("a2", EventKind::alert));
  DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 1u);
  EXPECT_EQ(result.rejected, 1u);
  EXPECT_EQ(result.error, "row of " + std::to_string(batch[1].bytes.size()) +
                              " bytes does not fit in one request of max_batch_bytes (300)");
  EXPECT_EQ(result.retry_after, milliseconds(0)) << "the rest goes on at once";
}

TEST_F(LogAnalyticsSinkTest, A400IsNarrowedDownToTheRowsTheDcrRefuses) {
  auto sink = make();
  server_.script = [](const Received& r) {
    for (const std::string& id : r.ids) {
      if (id == "bad") {
        return Answer{400,
                      R"({"error":{"code":"InvalidColumn","message":"Row 0: column 'X' is )"
                      R"(not declared in stream 'Custom-SecfeedAlerts_CL'."}})",
                      ""};
      }
    }
    return Answer{};
  };
  std::vector<SinkMessage> batch;
  for (const char* id : {"a0", "a1", "bad", "a3"}) batch.push_back(row(id, EventKind::alert));
  DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 2u);
  EXPECT_EQ(result.rejected, 1u);
  EXPECT_EQ(result.error,
            "POST http://127.0.0.1:" + std::to_string(server_.port()) + kAlertsTarget +
                " -> HTTP 400: InvalidColumn: Row 0: column 'X' is not declared in stream "
                "'Custom-SecfeedAlerts_CL'.");
  std::vector<SinkMessage> rest(std::make_move_iterator(batch.begin() + 3),
                                std::make_move_iterator(batch.end()));
  result = deliver(*sink, rest);
  EXPECT_EQ(result.delivered, 1u);
}

TEST_F(LogAnalyticsSinkTest, ThrottlingHonoursRetryAfter) {
  auto sink = make();
  server_.script = [](const Received&) { return Answer{429, "", "3"}; };
  std::vector<SinkMessage> batch;
  batch.push_back(row("a0", EventKind::alert));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 0u);
  EXPECT_EQ(result.rejected, 0u);
  EXPECT_EQ(result.retry_after, milliseconds(3000));
  EXPECT_NE(result.error.find(" -> HTTP 429"), std::string::npos) << result.error;
}

TEST_F(LogAnalyticsSinkTest, A401GetsOneFreshTokenThenSucceeds) {
  auto sink = make();
  server_.script = [](const Received& r) {
    return r.authorization == "Bearer token-1" ? Answer{401, "", ""} : Answer{};
  };
  std::vector<SinkMessage> batch;
  batch.push_back(row("a0", EventKind::alert));
  batch.push_back(row("p0", EventKind::compliance));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 2u);
  ASSERT_EQ(server_.requests.size(), 3u);
  EXPECT_EQ(server_.requests[1].authorization, "Bearer token-2");
  EXPECT_EQ(server_.requests[2].authorization, "Bearer token-2") << "refreshed once, then kept";
  EXPECT_EQ(tokens_.generation, 2);
}

TEST_F(LogAnalyticsSinkTest, A403IsRetriedWithBackoffNotDeadLettered) {
  auto sink = make();
  server_.script = [](const Received&) { return Answer{403, "", ""}; };
  std::vector<SinkMessage> batch;
  batch.push_back(row("s0", EventKind::control_profile));
  const DeliveryResult result = deliver(*sink, batch);
  EXPECT_EQ(result.delivered, 0u);
  EXPECT_EQ(result.rejected, 0u);
  EXPECT_EQ(result.retry_after, std::nullopt) << "backoff, not an immediate retry";
  EXPECT_EQ(dead_letters_->written(), 0u);
}

}  // namespace
}  // namespace secfeed
