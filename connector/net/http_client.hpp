// HTTPS client for the Graph pollers, the Logs Ingestion sink and the token providers:
// coroutine API, TLS >= 1.2 with certificate + hostname verification, keep-alive pool,
// per-phase timeouts, body limit, gzip/deflate decoding, HTTP CONNECT proxies.
// Asio/Beast stay out of this header (pimpl) so callers compile fast.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/net/http_types.hpp"
#include "connector/net/proxy.hpp"

namespace secfeed::net {

struct HttpClientOptions {
  std::string ca_file;                // PEM bundle; empty: the system trust store
  bool insecure_skip_verify = false;  // explicit opt-out of certificate verification
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};   // default whole-request deadline
  std::size_t max_body_bytes = std::size_t{64} << 20;  // after decoding
  std::size_t max_connections_per_host = 4;
  std::size_t max_connections_total = 32;
  std::chrono::milliseconds idle_timeout{50'000};  // idle pooled connections older: closed
  ProxyOptions proxy;
  std::string user_agent = "secfeed";
};

struct HttpClientStats {
  std::size_t connections_opened = 0;  // TCP connections (direct or to the proxy)
  std::size_t requests = 0;
};

class HttpClient {
 public:
  // nullptr + error when the TLS context cannot be set up (e.g. unreadable CA file).
  static std::unique_ptr<HttpClient> create(boost::asio::any_io_executor executor,
                                            HttpClientOptions options, std::string& error);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Never throws for network or protocol failures: they come back in HttpResult::error.
  boost::asio::awaitable<HttpResult> request(HttpRequest request);

  HttpClientStats stats() const;
  boost::asio::any_io_executor executor() const;

  struct Impl;

 private:
  explicit HttpClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace secfeed::net
