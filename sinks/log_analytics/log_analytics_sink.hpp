// `log_analytics` sink: Microsoft Sentinel / Azure Monitor Logs Ingestion API. Rows
// (the `sentinel` format) go to the DCR stream of their table: alerts and incidents to
// stream_alerts, every posture kind to stream_posture. A batch becomes JSON-array
// requests of at most max_batch_bytes (uncompressed), gzipped, sent with a bearer token.
//
// Answers (shared/specs/sentinel-logs-ingestion.md):
//   204      the rows are stored: acked;
//   413      the request is split in halves (recursively); a single row still too large
//            is dead-lettered with the reason;
//   400      split the same way to find the offending rows, which are dead-lettered with
//            the API's message; the others are delivered;
//   401      the token is refreshed once, then it counts as a transient failure;
//   403      the app lacks "Monitoring Metrics Publisher" on the DCR: a clear error
//            (rate-limited), then retried with backoff (the role may still propagate);
//   429/5xx  and transport errors: retried, after Retry-After when the answer has one.
// A retried request may have been stored before its answer was lost: at-least-once.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connector/core/metrics.hpp"
#include "connector/net/http_types.hpp"
#include "sinks/sink.hpp"

namespace secfeed {

namespace net {
class HttpClient;
class TokenProvider;
}  // namespace net

struct LogAnalyticsSinkOptions {
  std::string endpoint;  // https://<dce>.<region>-1.ingest.monitor.azure.com
  std::string dcr_immutable_id;
  std::string stream_alerts;   // Custom-...; empty: no stream for alerts/incidents
  std::string stream_posture;  // Custom-...; empty: no stream for the posture kinds
  std::size_t max_batch_bytes = 1'000'000;
  bool gzip = true;
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds max_retry_after{600'000};  // cap on an honoured Retry-After
  std::chrono::milliseconds forbidden_log_interval{60'000};
};

class LogAnalyticsSink : public Sink {
 public:
  // `tokens` may be null (no Authorization header: tests). An invalid endpoint URL is
  // reported by error() after construction.
  LogAnalyticsSink(Executor executor, SinkOptions options, LogAnalyticsSinkOptions la_options,
                   net::HttpClient& http, net::TokenProvider* tokens,
                   DeadLetterOutput* dead_letters);
  ~LogAnalyticsSink() override;

  const std::string& error() const { return create_error_; }

 protected:
  boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) override;

 private:
  struct Stream {
    std::string name;
    net::Url url;
    metrics::Counter* rows = nullptr;
    metrics::Counter* bytes = nullptr;
  };
  struct Range {
    std::size_t begin, end;
  };

  const Stream* stream_for(EventKind kind) const;
  boost::asio::awaitable<net::HttpResult> post(const Stream& stream,
                                               std::span<const SinkMessage> rows);
  void count_request(const net::HttpResult& result);
  void report_failure(const net::HttpResult& result, const std::string& message);
  void report_forbidden();
  void report_delivered();

  LogAnalyticsSinkOptions la_options_;
  net::HttpClient& http_;
  net::TokenProvider* tokens_;
  std::string create_error_;
  Stream alerts_, posture_;
  std::string body_;           // reused request body (uncompressed)
  std::vector<Range> ranges_;  // reused: the halves still to send after a 413/400
  std::string last_token_;     // to invalidate after a 401
  std::string last_error_;     // status of the last failure: logs each new one once, and recovery
  std::chrono::steady_clock::time_point last_forbidden_log_{};
  std::map<std::string, metrics::Counter*> requests_by_status_;
  metrics::Counter* sent_bytes_ = nullptr;
};

}  // namespace secfeed
