#include "connector/net/http_types.hpp"

#include "connector/core/text.hpp"

namespace secfeed::net {

void HttpHeaders::set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const auto& field) { return iequals(field.first, name); });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> HttpHeaders::find(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view to_string(HttpError error) {
  switch (error) {
    case HttpError::none:
      return "none";
    case HttpError::dns:
      return "dns";
    case HttpError::connect:
      return "connect";
    case HttpError::proxy:
      return "proxy";
    case HttpError::tls:
      return "tls";
    case HttpError::timeout:
      return "timeout";
    case HttpError::reset:
      return "reset";
    case HttpError::body_too_large:
      return "body_too_large";
    case HttpError::protocol:
      return "protocol";
    case HttpError::auth:
      return "auth";
  }
  return "unknown";
}

}  // namespace secfeed::net
