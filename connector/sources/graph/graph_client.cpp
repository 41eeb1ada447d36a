#include "connector/sources/graph/graph_client.hpp"

#include <algorithm>

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/jwt_assertion.hpp"
#include "connector/net/redact.hpp"
#include "connector/net/retrying_request.hpp"
#include "connector/net/url.hpp"
#include "connector/sources/graph/request_budget.hpp"

namespace secfeed::graph {

namespace asio = boost::asio;

namespace {

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// A short, single-line, valid UTF-8 excerpt of a body that is not Graph's error shape.
std::string body_excerpt(std::string_view body) {
  constexpr std::size_t kExcerpt = 200;
  const std::size_t cut = utf8_truncation_point(body, kExcerpt);
  std::string excerpt;
  append_utf8_sanitized(excerpt, body.substr(0, cut));
  std::replace_if(
      excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (cut < body.size()) excerpt += "...";
  return excerpt;
}

}  // namespace

net::RetryPolicy default_graph_retry_policy() {
  net::RetryOptions options;
  options.max_attempts = 4;
  options.base_delay = std::chrono::milliseconds(1000);
  options.max_backoff = std::chrono::milliseconds(60'000);
  options.max_retry_after = std::chrono::milliseconds(180'000);
  return net::RetryPolicy(options);
}

bool build_graph_request(std::string_view url, std::string client_request_id,
                         std::chrono::milliseconds timeout, net::HttpRequest& out,
                         std::string& error) {
  std::string url_error;
  std::optional<net::Url> parsed = net::parse_url(url, &url_error);
  if (!parsed) {
    error = "invalid Graph URL: " + url_error;
    return false;
  }
  out = net::HttpRequest{};
  out.method = "GET";
  out.url = std::move(*parsed);
  out.headers.add("Accept", "application/json");
  // Without it, enum members newer than unknownFutureValue read "unknownFutureValue".
  out.headers.add("Prefer", "include-unknown-enum-members");
  // Echoed by Graph and logged with failures, so one request can be traced on both sides.
  out.headers.add("client-request-id", std::move(client_request_id));
  out.timeout = timeout;
  return true;
}

std::string_view required_permission(std::string_view path) {
  const auto has = [&](std::string_view part) {
    const auto at = path.find(part);
    if (at == std::string_view::npos) return false;
    const std::size_t end = at + part.size();
    return end == path.size() || path[end] == '/' || path[end] == '?' || path[end] == '(';
  };
  if (has("/security/alerts_v2")) return "SecurityAlert.Read.All";
  if (has("/security/incidents")) return "SecurityIncident.Read.All";
  if (has("/security/alerts") || has("/security/secureScores") ||
      has("/security/secureScoreControlProfiles")) {
    return "SecurityEvents.Read.All";
  }
  return "";
}

std::string_view http_reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string describe_graph_failure(const net::HttpRequest& request, const net::HttpResult& result,
                                   int attempts) {
  const std::string_view path = path_of(request.url.target);
  std::string line = request.method;
  line.append(" ").append(path).append(": ");
  std::string request_id;
  if (!result.transport_ok()) {
    line += result.error == net::HttpError::auth ? std::string("no access token")
                                                 : std::string(net::to_string(result.error));
    if (!result.error_message.empty()) line += ": " + result.error_message;
  } else {
    line += std::to_string(result.status);
    if (const std::string_view phrase = http_reason_phrase(result.status); !phrase.empty()) {
      line.append(" ").append(phrase);
    }
    request_id = std::string(result.headers.find("request-id").value_or(""));
    if (const auto graph = net::parse_graph_error(result.body)) {
      if (!graph->code.empty()) line += ": " + graph->code;
      if (!graph->message.empty()) line += ": " + graph->message;
      if (request_id.empty()) request_id = graph->request_id;
    } else if (!result.body.empty()) {
      line += ": " + body_excerpt(result.body);
    }
  }
  std::string notes;
  if (!request_id.empty()) notes = "request-id " + request_id;
  if (attempts > 1) {
    if (!notes.empty()) notes += ", ";
    notes += "after " + std::to_string(attempts) + " attempts";
  }
  if (!notes.empty()) line += " (" + notes + ")";
  if (result.transport_ok() && result.status == 403) {
    const std::string_view permission = required_permission(path);
    if (!permission.empty()) {
      line.append("; the app registration needs the application permission ")
          .append(permission)
          .append(" with admin consent in this tenant");
    }
  } else if (result.transport_ok() && result.status == 401) {
    line += "; Graph refused the token (wrong tenant, cloud or audience?)";
  }
  return net::redact(line);
}

bool next_link(const rapidjson::Value& list, std::string_view& link, std::string& error) {
  link = {};
  if (!list.IsObject()) {
    error = "the list response is not a JSON object";
    return false;
  }
  const rapidjson::Value* member = find_member(list, "@odata.nextLink");
  if (member == nullptr || member->IsNull()) return true;
  if (!member->IsString() || member->GetStringLength() == 0) {
    error = "@odata.nextLink: expected a non-empty string, got " +
            std::string(member->IsString() ? "an empty string" : json_type_name(*member));
    return false;
  }
  link = json_string(*member);
  return true;
}

bool same_origin(std::string_view link, std::string_view base) {
  const std::optional<net::Url> a = net::parse_url(link);
  const std::optional<net::Url> b = net::parse_url(base);
  return a && b && a->scheme == b->scheme && a->host == b->host && a->port == b->port;
}

asio::awaitable<GraphResponse> graph_get(net::HttpClient& http, const GraphTenant& tenant,
                                         std::string url, const net::RetryPolicy& policy,
                                         std::chrono::milliseconds timeout) {
  GraphResponse out;
  net::HttpRequest request;
  if (!build_graph_request(url, net::random_guid(), timeout, request, out.error)) {
    co_return out;
  }
  net::AttemptHooks hooks;
  if (tenant.budget != nullptr) {
    // A permit per attempt: retries count against the budget (Graph counts them), and
    // a Retry-After wait holds no slot.
    hooks.before = [budget = tenant.budget]() -> asio::awaitable<std::shared_ptr<void>> {
      RequestBudget::Permit permit = co_await budget->acquire();
      co_return std::make_shared<RequestBudget::Permit>(std::move(permit));
    };
  }
  hooks.after = [&out](const net::HttpResult& attempt) {
    out.attempt_statuses.push_back(attempt.transport_ok() ? attempt.status : 0);
  };
  net::RetryingResult sent =
      co_await net::send_with_retry(tenant.http != nullptr ? *tenant.http : http, request, policy,
                                    tenant.tokens, std::move(hooks));

  net::HttpResult& result = sent.result;
  out.attempts = sent.attempts;
  out.status = result.transport_ok() ? result.status : 0;
  out.request_id = std::string(result.headers.find("request-id").value_or(""));
  out.ok = result.success();
  if (out.ok) {
    if (result.status == 206)
      out.warning = std::string(result.headers.find("Warning").value_or(""));
    out.body = std::move(result.body);
    co_return out;
  }
  out.auth_failure = result.error == net::HttpError::auth ||
                     (result.transport_ok() && (result.status == 401 || result.status == 403));
  out.error = describe_graph_failure(request, result, sent.attempts);
  if (out.request_id.empty()) {
    if (const auto graph = net::parse_graph_error(result.body)) out.request_id = graph->request_id;
  }
  co_return out;
}

}  // namespace secfeed::graph
