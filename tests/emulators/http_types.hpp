// Transport-neutral request/response used by every handler, so that only server.cpp
// instantiates Beast templates (compile time) and handlers stay unit-testable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secfeed::emulator {

using Header = std::pair<std::string, std::string>;

struct Request {
  std::string method;
  std::string target;         // as sent: path + '?' + query
  std::string path;           // percent-encoded path, no query
  std::vector<Header> query;  // decoded query parameters, in order
  std::vector<Header> headers;
  std::string body;
  std::string request_id;  // assigned by the router, echoed in errors
  std::string client_request_id;

  std::string_view header(std::string_view name) const;  // case-insensitive; "" if absent
  std::optional<std::string_view> param(std::string_view name) const;
};

// How the server puts the response on the wire; anything but `normal` is a fault.
enum class Delivery { normal, reset, truncate };

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  Delivery delivery = Delivery::normal;
  int delay_ms = 0;

  void set_header(std::string name, std::string value);
  void set_json(int status_code, std::string json_body);
};

}  // namespace secfeed::emulator
