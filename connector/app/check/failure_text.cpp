#include "connector/app/check/failure_text.hpp"

#include <cctype>

#include "connector/core/text.hpp"
#include "connector/net/retry_policy.hpp"

namespace secfeed::check {
namespace {

constexpr net::HttpError kTransportErrors[] = {
    net::HttpError::dns,      net::HttpError::connect,        net::HttpError::proxy,
    net::HttpError::tls,      net::HttpError::timeout,        net::HttpError::reset,
    net::HttpError::protocol, net::HttpError::body_too_large, net::HttpError::auth};

std::string_view label(net::HttpError error) {
  switch (error) {
    case net::HttpError::none:
      return "error";
    case net::HttpError::dns:
      return "DNS error";
    case net::HttpError::connect:
      return "connect error";
    case net::HttpError::proxy:
      return "proxy error";
    case net::HttpError::tls:
      return "TLS error";
    case net::HttpError::timeout:
      return "timeout";
    case net::HttpError::reset:
      return "connection reset";
    case net::HttpError::body_too_large:
      return "response too large";
    case net::HttpError::protocol:
      return "protocol error";
    case net::HttpError::auth:
      return "auth error";
  }
  return "error";
}

// "AADSTS7000215" at `text`'s first AADSTS code, or empty.
std::string_view aadsts_code(std::string_view text) {
  const auto start = text.find("AADSTS");
  if (start == std::string_view::npos) return {};
  auto end = start + 6;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  return end > start + 6 ? text.substr(start, end - start) : std::string_view();
}

// One line, at most `limit` bytes, cut at a UTF-8 boundary.
std::string excerpt(std::string_view text, std::size_t limit) {
  text = text.substr(0, text.find_first_of("\r\n"));
  return std::string(text.substr(0, utf8_truncation_point(text, limit)));
}

}  // namespace

std::string describe_transport_failure(const net::HttpResult& result) {
  return std::string(label(result.error)) + ": " + result.error_message;
}

std::string describe_token_failure(std::string_view error) {
  // The providers prefix every error with "token request (tenant, client, scope) failed:
  // "; the table's component and target columns already say which tenant it is.
  if (const auto cut = error.find(") failed: "); cut != std::string_view::npos) {
    error.remove_prefix(cut + 10);
  }
  if (const std::string_view code = aadsts_code(error); !code.empty()) {
    constexpr std::string_view kHint = ". Hint: ";
    if (const auto hint = error.find(kHint); hint != std::string_view::npos) {
      return std::string(code) + ": " + std::string(error.substr(hint + kHint.size()));
    }
    // No known hint: Entra's own first sentence ("AADSTS...: <sentence>. Trace ID...").
    std::string_view description = error.substr(error.find(code) + code.size());
    if (description.starts_with(": ")) description.remove_prefix(2);
    description = description.substr(0, description.find(". "));
    description = description.substr(0, description.find(" (error_codes"));
    return std::string(code) + ": " + excerpt(description, 300);
  }
  for (net::HttpError kind : kTransportErrors) {
    const std::string prefix = std::string(net::to_string(kind)) + " error: ";
    if (error.starts_with(prefix)) {
      return std::string(label(kind)) + ": " + std::string(error.substr(prefix.size()));
    }
  }
  return excerpt(error, 400);
}

std::string describe_http_status(const net::HttpResult& result) {
  std::string text = "HTTP " + std::to_string(result.status);
  if (const auto error = net::parse_graph_error(result.body)) {
    if (!error->code.empty()) text += " " + error->code;
    if (!error->message.empty()) text += ": " + excerpt(error->message, 300);
  } else if (!result.body.empty()) {
    text += ": " + excerpt(result.body, 200);
  }
  return text;
}

}  // namespace secfeed::check
