#include "sinks/log_analytics/log_analytics_sink.hpp"

#include <algorithm>

#include "connector/core/health.hpp"
#include "connector/core/log.hpp"
#include "connector/net/decompress.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/jwt_assertion.hpp"
#include "connector/net/redact.hpp"
#include "connector/net/retry_policy.hpp"
#include "connector/net/token_provider.hpp"
#include "sinks/log_analytics/ingestion_request.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
constexpr std::string_view kComponent = "log_analytics";

std::int64_t now_epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string status_label(const net::HttpResult& result) {
  return result.transport_ok() ? std::to_string(result.status)
                               : std::string(net::to_string(result.error));
}

}  // namespace

LogAnalyticsSink::LogAnalyticsSink(Executor executor, SinkOptions options,
                                   LogAnalyticsSinkOptions la_options, net::HttpClient& http,
                                   net::TokenProvider* tokens, DeadLetterOutput* dead_letters)
    : Sink(executor, std::move(options), dead_letters),
      la_options_(std::move(la_options)),
      http_(http),
      tokens_(tokens) {
  metrics::Registry& registry = metrics::Registry::global();
  sent_bytes_ = &registry.counter("secfeed_log_analytics_sent_bytes_total",
                                  "Request body bytes sent to the Logs Ingestion API "
                                  "(after compression)",
                                  {{"sink", name()}});
  for (auto [stream, stream_name] : {std::pair{&alerts_, &la_options_.stream_alerts},
                                     std::pair{&posture_, &la_options_.stream_posture}}) {
    if (stream_name->empty()) continue;
    stream->name = *stream_name;
    std::string error;
    const std::string url =
        ingestion_url(la_options_.endpoint, la_options_.dcr_immutable_id, stream->name);
    if (auto parsed = net::parse_url(url, &error)) {
      stream->url = std::move(*parsed);
    } else {
      create_error_ = name() + ": invalid endpoint " + la_options_.endpoint + ": " + error;
    }
    const metrics::Labels labels = {{"sink", name()}, {"stream", stream->name}};
    stream->rows = &registry.counter("secfeed_log_analytics_rows_total",
                                     "Rows the Logs Ingestion API accepted (HTTP 204)", labels);
    stream->bytes = &registry.counter("secfeed_log_analytics_bytes_total",
                                      "Uncompressed JSON bytes of the accepted requests", labels);
  }
  HealthRegistry::global().set("sink", name(), "", true, "no request sent yet");
}

LogAnalyticsSink::~LogAnalyticsSink() = default;

const LogAnalyticsSink::Stream* LogAnalyticsSink::stream_for(EventKind kind) const {
  const Stream& stream = sentinel_table(kind) == SentinelTable::alerts ? alerts_ : posture_;
  return stream.name.empty() ? nullptr : &stream;
}

void LogAnalyticsSink::count_request(const net::HttpResult& result) {
  const std::string status = status_label(result);
  auto it = requests_by_status_.find(status);
  if (it == requests_by_status_.end()) {
    metrics::Counter& counter = metrics::Registry::global().counter(
        "secfeed_sink_http_requests_total", "HTTP requests of a sink by answer status",
        {{"sink", name()}, {"status", status}});
    it = requests_by_status_.emplace(status, &counter).first;
  }
  it->second->inc();
}

asio::awaitable<net::HttpResult> LogAnalyticsSink::post(const Stream& stream,
                                                        std::span<const SinkMessage> rows) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = stream.url;
  request.timeout = la_options_.timeout;
  if (tokens_ != nullptr) {
    net::TokenResult token = co_await tokens_->token();
    if (!token.ok()) {
      net::HttpResult failed;
      failed.error = net::HttpError::auth;
      failed.error_message = "no access token for the Logs Ingestion API: " + token.error;
      co_return failed;
    }
    last_token_ = std::move(token.access_token);
    request.headers.add("Authorization", "Bearer " + last_token_);
  }
  request.headers.add("Content-Type", "application/json");
  // Correlates this request with Azure Monitor's own logs (support cases).
  request.headers.add("x-ms-client-request-id", net::random_guid());
  body_.clear();
  append_body(body_, rows);
  if (la_options_.gzip) {
    request.body = net::gzip_compress(body_);
    if (!request.body.empty()) request.headers.add("Content-Encoding", "gzip");
  }
  if (request.body.empty()) request.body = body_;  // no gzip, or compression failed
  sent_bytes_->inc(request.body.size());
  net::HttpResult result = co_await http_.request(std::move(request));
  count_request(result);
  if (result.transport_ok() && result.status == 204) {
    stream.rows->inc(rows.size());
    stream.bytes->inc(body_.size());
  }
  co_return result;
}

void LogAnalyticsSink::report_failure(const net::HttpResult& result, const std::string& message) {
  // Each new kind of failure once, not every retry (messages differ by request id).
  const std::string key = status_label(result);
  if (key == last_error_) return;
  log_warn(kComponent, name() + ": " + message + " (retrying)");
  HealthRegistry::global().set("sink", name(), "", false, message);
  last_error_ = key;
}

void LogAnalyticsSink::report_forbidden() {
  const std::string key = "403";
  const std::string message =
      "HTTP 403 Forbidden from the Logs Ingestion API: grant the app 'Monitoring Metrics "
      "Publisher' on the DCR " +
      la_options_.dcr_immutable_id +
      " (a new role assignment takes up to 30 minutes to apply); retrying with backoff";
  const auto now = std::chrono::steady_clock::now();
  if (last_error_ != key || now - last_forbidden_log_ >= la_options_.forbidden_log_interval) {
    log_error(kComponent, name() + ": " + message);
    last_forbidden_log_ = now;
  }
  HealthRegistry::global().set("sink", name(), "", false, message);
  last_error_ = key;
}

void LogAnalyticsSink::report_delivered() {
  if (last_error_.empty()) return;
  log_info(kComponent, name() + ": the Logs Ingestion API accepts rows again");
  HealthRegistry::global().set("sink", name(), "", true, "delivering");
  last_error_.clear();
}

asio::awaitable<DeliveryResult> LogAnalyticsSink::deliver(std::span<SinkMessage> batch) {
  // One stream per request: group the batch by table (stable, so each table keeps its
  // order). The base reads the result against the order left here.
  const auto is_alert_row = [](const SinkMessage& message) {
    return sentinel_table(message.kind) == SentinelTable::alerts;
  };
  if (!std::is_partitioned(batch.begin(), batch.end(), is_alert_row)) {
    std::stable_partition(batch.begin(), batch.end(), is_alert_row);
  }

  DeliveryResult result;
  const std::size_t max_body = la_options_.max_batch_bytes;
  bool token_refreshed = false;
  std::size_t pos = 0;
  while (pos < batch.size()) {
    const Stream* stream = stream_for(batch[pos].kind);
    if (stream == nullptr) {
      // The config requires a stream for every kind the filter lets through; never drop.
      result.delivered = pos;
      result.rejected = 1;
      result.error = "no DCR stream configured for " + std::string(to_string(batch[pos].kind)) +
                     " events (set stream_alerts / stream_posture)";
      result.retry_after = std::chrono::milliseconds(0);
      co_return result;
    }
    if (batch[pos].bytes.size() + 2 > max_body) {
      result.delivered = pos;
      result.rejected = 1;
      result.error = "row of " + std::to_string(batch[pos].bytes.size()) +
                     " bytes does not fit in one request of max_batch_bytes (" +
                     std::to_string(max_body) + ")";
      result.retry_after = std::chrono::milliseconds(0);  // go on with the rest at once
      co_return result;
    }
    // The run of rows of this stream.
    std::size_t stream_end = pos + 1;
    while (stream_end < batch.size() && stream_for(batch[stream_end].kind) == stream) {
      ++stream_end;
    }
    ranges_.clear();
    ranges_.push_back({pos, chunk_end(batch, pos, stream_end, max_body)});
    while (!ranges_.empty()) {
      const Range range = ranges_.back();
      ranges_.pop_back();
      const std::span<const SinkMessage> rows = batch.subspan(range.begin, range.end - range.begin);
      const net::HttpResult answer = co_await post(*stream, rows);
      net::HttpRequest sent;  // method and URL, for the messages
      sent.method = "POST";
      sent.url = stream->url;
      const IngestionOutcome outcome = classify_ingestion(answer);
      if (outcome == IngestionOutcome::accepted) {
        pos = range.end;
        report_delivered();
        continue;
      }
      if (outcome == IngestionOutcome::too_large || outcome == IngestionOutcome::rejected) {
        if (rows.size() > 1) {
          // Rows are never resent unchanged after a 413; after a 400 the halves find the
          // rows the DCR refuses, so the others still get through.
          log_info(kComponent, name() + ": request of " + std::to_string(rows.size()) +
                                   " rows refused with HTTP " + std::to_string(answer.status) +
                                   "; splitting it in halves");
          const std::size_t middle = range.begin + rows.size() / 2;
          ranges_.push_back({middle, range.end});
          ranges_.push_back({range.begin, middle});
          continue;
        }
        result.delivered = range.begin;
        result.rejected = 1;
        result.error = net::format_failure(sent, answer);
        result.retry_after = std::chrono::milliseconds(0);
        log_warn(kComponent, name() + ": row dead-lettered: " + result.error);
        co_return result;
      }
      if (outcome == IngestionOutcome::unauthorized && !token_refreshed) {
        // One fresh token per attempt, at once; a second 401 is a failure like a 5xx.
        token_refreshed = true;
        if (tokens_ != nullptr && !last_token_.empty()) tokens_->invalidate(last_token_);
        ranges_.push_back(range);
        continue;
      }
      result.delivered = range.begin;
      result.error = net::format_failure(sent, answer);
      if (outcome == IngestionOutcome::forbidden) {
        report_forbidden();  // backoff: an immediate retry will not help
      } else {
        result.retry_after =
            ingestion_retry_after(answer, now_epoch_seconds(), la_options_.max_retry_after);
        report_failure(answer, result.error);
      }
      co_return result;
    }
  }
  result.delivered = batch.size();
  co_return result;
}

}  // namespace secfeed
