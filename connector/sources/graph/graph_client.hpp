// Graph access shared by every Graph poller (alerts_v2, incidents, legacy alerts,
// Secure Score): one GET with the headers Graph wants, the tenant's bearer token, its
// request budget, retries per RetryPolicy, and failures turned into one readable line.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <boost/asio/awaitable.hpp>

#include "connector/core/config.hpp"
#include "connector/net/http_types.hpp"
#include "connector/net/retry_policy.hpp"

namespace secfeed::net {
class HttpClient;
class TokenProvider;
}  // namespace secfeed::net

namespace secfeed::graph {

class RequestBudget;

// One tenant as a Graph poller sees it. Pointers are owned elsewhere (config, the
// daemon's token providers, the budget registry) and outlive the pollers.
struct GraphTenant {
  const TenantConfig* config = nullptr;
  std::string graph_url;  // base, no trailing slash: https://graph.microsoft.com
  net::TokenProvider* tokens = nullptr;
  RequestBudget* budget = nullptr;  // null: unbounded
  net::HttpClient* http = nullptr;  // the tenant's own client (its ca_file); null: the shared one
};

struct GraphResponse {
  bool ok = false;  // 2xx (206 included: see `warning`)
  int status = 0;   // 0: no HTTP answer (transport or token failure)
  std::string body;
  std::string request_id;  // Graph's request-id header (or the error body's)
  int attempts = 0;        // requests sent, retries included
  // HTTP status of every attempt in order, 0 for a transport failure: request metrics.
  std::vector<int> attempt_statuses;
  // No token could be obtained, or Graph refused it (401 after a refresh, 403).
  bool auth_failure = false;
  std::string warning;  // Warning header of a 206 (legacy alerts: a provider failed)
  // One line, no secrets, e.g. "GET /v1.0/security/alerts_v2: 403 Forbidden:
  // Authorization_RequestDenied: Insufficient privileges (request-id 1234); the app needs
  // the application permission SecurityAlert.Read.All with admin consent".
  std::string error;
};

// Retries for Graph reads: 429/503/504 honour Retry-After, other 5xx and transient
// network errors back off exponentially, 401 refreshes the token once (the SDK's
// policy, with one retry more).
net::RetryPolicy default_graph_retry_policy();

// GETs an absolute URL (a first page, or an @odata.nextLink followed as is) with
// `Accept: application/json`, `Prefer: include-unknown-enum-members`, a fresh
// `client-request-id` and the tenant's bearer token, holding a permit of the tenant's
// budget for each attempt (not while waiting to retry). Sent through `tenant.http` when
// the tenant has a client of its own, else `http`. Never throws.
boost::asio::awaitable<GraphResponse> graph_get(net::HttpClient& http, const GraphTenant& tenant,
                                                std::string url, const net::RetryPolicy& policy,
                                                std::chrono::milliseconds timeout);

// ---- Pure pieces (tested on their own).

// The request graph_get sends (without the Authorization header, added per attempt).
// False with `error` when `url` is not an absolute http(s) URL.
bool build_graph_request(std::string_view url, std::string client_request_id,
                         std::chrono::milliseconds timeout, net::HttpRequest& out,
                         std::string& error);

// The application permission an endpoint needs, from the URL's path ("" if unknown):
// alerts_v2 -> SecurityAlert.Read.All, incidents -> SecurityIncident.Read.All,
// legacy alerts and Secure Score -> SecurityEvents.Read.All.
std::string_view required_permission(std::string_view path);

// The GraphResponse::error line for a failed call.
std::string describe_graph_failure(const net::HttpRequest& request, const net::HttpResult& result,
                                   int attempts);

// "Forbidden" for 403 etc.; "" for codes without a common phrase.
std::string_view http_reason_phrase(int status);

// @odata.nextLink of a parsed list response: true with `link` empty on the last page;
// false with `error` when the member is there but not a non-empty string (treating that
// as the last page would skip the rest of the window).
bool next_link(const rapidjson::Value& list, std::string_view& link, std::string& error);

// True when `link` points at the same scheme, host and port as `base` (a nextLink must
// never carry the tenant's token elsewhere).
bool same_origin(std::string_view link, std::string_view base);

}  // namespace secfeed::graph
