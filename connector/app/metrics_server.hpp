// The operator endpoint: plain HTTP on `metrics.listen` (default 127.0.0.1:9464).
//
//   GET /metrics  Prometheus text 0.0.4 of metrics::Registry::global()
//   GET /healthz  200 "ok" while the process runs (liveness)
//   GET /readyz   200 when HealthRegistry::global().ready(), else 503; JSON detail
//   anything else 404 (405 for a method other than GET/HEAD)
//
// Deliberately small and bounded, because it listens on a socket next to secrets: no
// request bodies, 8 KiB of headers, a timeout on every read and write, and at most
// kMaxConnections at once (more are closed at once). Beast lives only in the .cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

namespace secfeed {

struct MetricsResponse {
  int status = 200;
  std::string content_type;
  std::string body;
};

// The routing, without sockets (tests): what the server answers to METHOD TARGET.
MetricsResponse handle_metrics_request(std::string_view method, std::string_view target);

class MetricsServer {
 public:
  static constexpr std::size_t kMaxConnections = 8;

  // Binds `listen` ("host:port", "[v6]:port"; port 0 picks a free port) and starts
  // accepting on `executor`. nullptr with `error` ("cannot listen on ...: reason").
  static std::unique_ptr<MetricsServer> start(boost::asio::any_io_executor executor,
                                              const std::string& listen, std::string& error);
  ~MetricsServer();  // closes the listener and every open connection
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The bound address, e.g. "http://127.0.0.1:9464" (the real port when 0 was asked).
  const std::string& url() const;

  struct Impl;

 private:
  explicit MetricsServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace secfeed
