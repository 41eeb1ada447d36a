// Plain data exchanged with HttpClient: no Asio/Beast types, so that pollers and sinks
// include only this and http_client.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connector/net/url.hpp"

namespace secfeed::net {

// Header list in wire order; lookup is case-insensitive.
class HttpHeaders {
 public:
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field called `name` with one.
  void set(std::string_view name, std::string value);
  // First field called `name`, or nullopt.
  std::optional<std::string_view> find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method = "GET";
  Url url;
  HttpHeaders headers;  // Host, Content-Length, Accept-Encoding and User-Agent are added
  std::string body;
  // Whole-request deadline (queueing, connect, TLS, send, receive); unset: the client's.
  std::optional<std::chrono::milliseconds> timeout;
};

enum class HttpError {
  none,
  dns,
  connect,
  proxy,  // the proxy refused the CONNECT (e.g. 407) or is unreachable
  tls,
  timeout,
  reset,  // connection reset or closed before the response was complete
  body_too_large,
  protocol,  // malformed HTTP, undecodable Content-Encoding, bad URL
  auth,      // no access token could be obtained (send_with_retry)
};

std::string_view to_string(HttpError error);

struct HttpResult {
  HttpError error = HttpError::none;
  std::string error_message;  // readable, never holds credentials
  int status = 0;             // valid when error == none
  HttpHeaders headers;        // Retry-After, request-id, client-request-id, Warning, ...
  std::string body;           // Content-Encoding already removed

  bool transport_ok() const { return error == HttpError::none; }
  bool success() const { return transport_ok() && status >= 200 && status < 300; }
};

}  // namespace secfeed::net
