#include "http_types.hpp"

#include <strings.h>

namespace secfeed::emulator {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (same_name(key, name)) return value;
  }
  return {};
}

std::optional<std::string_view> Request::param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& header : headers) {
    if (same_name(header.first, name)) {
      header.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::set_json(int status_code, std::string json_body) {
  status = status_code;
  body = std::move(json_body);
  set_header("Content-Type", "application/json; charset=utf-8");
}

}  // namespace secfeed::emulator
