#include "emulator_app.hpp"

#include "encoding.hpp"
#include "errors.hpp"
#include "graph_api.hpp"

namespace secfeed::emulator {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const std::size_t slash = path.find('/');
    segments.push_back(url_decode(path.substr(0, slash), false));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return segments;
}

bool is_token_path(const std::vector<std::string>& s) {
  return s.size() == 4 && s[1] == "oauth2" && s[2] == "v2.0" && s[3] == "token";
}

bool is_ingestion_path(const std::vector<std::string>& s) {
  return s.size() == 4 && s[0] == "dataCollectionRules" && s[2] == "streams";
}

}  // namespace

EmulatorApp::EmulatorApp(EmulatorConfig config)
    : config_(std::move(config)),
      tokens_(config_, clock_),
      live_seed_(config_.seed ^ 0x5EC0FEEDULL) {
  if (config_.clock_start) clock_.start_at(*config_.clock_start);
  const Ticks now = clock_.now();
  std::uint64_t tenant_seed = config_.seed;
  tenants_.reserve(config_.tenants.size());
  for (const TenantConfig& tenant : config_.tenants) {
    tenant_seed = tenant_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    Tenant& state = tenants_.emplace_back(Tenant{TenantGraph(tenant.id, tenant_seed),
                                                 TenantSecureScore(tenant.id, tenant_seed, now)});
    state.graph.generate_history(tenant.alerts >= 0 ? tenant.alerts : config_.alerts_per_tenant,
                                 now, Ticks{config_.history_hours} * kTicksPerHour);
  }
}

std::optional<std::string> EmulatorApp::start() {
  if (!config_.streams_path.empty()) {
    if (auto error = ingestion_.load_streams(config_.streams_path)) return error;
  }
  if (!config_.ingested_path.empty()) {
    if (auto error = ingestion_.open_output(config_.ingested_path)) return error;
  }
  return std::nullopt;
}

void EmulatorApp::live_tick() {
  SeededRandom random(live_seed_++);
  const Ticks now = clock_.now();
  for (Tenant& tenant : tenants_) {
    const Ticks delay = random.between(0, 180) * kTicksPerSecond;
    tenant.graph.add_alerts(1, now, delay);
    tenant.graph.add_updates(1, now, delay);
  }
}

EmulatorApp::Tenant* EmulatorApp::find_tenant(std::string_view id) {
  for (Tenant& tenant : tenants_) {
    if (tenant.graph.tenant_id() == id) return &tenant;
  }
  return nullptr;
}

std::vector<EmulatorApp::Tenant*> EmulatorApp::selected_tenants(std::string_view id) {
  std::vector<Tenant*> out;
  for (Tenant& tenant : tenants_) {
    if (id.empty() || tenant.graph.tenant_id() == id) out.push_back(&tenant);
  }
  return out;
}

Response EmulatorApp::handle(Request& request) {
  request.request_id = random_guid();
  std::string_view client_id = request.header("client-request-id");
  if (client_id.empty()) client_id = request.header("x-ms-client-request-id");
  request.client_request_id = client_id.empty() ? request.request_id : std::string(client_id);

  Response response;
  route(request, response);
  response.set_header("request-id", request.request_id);
  response.set_header("client-request-id", request.client_request_id);
  response.set_header("x-ms-request-id", request.request_id);
  response.set_header("Date", format_http_date(clock_.now()));
  return response;
}

std::string EmulatorApp::fault_tenant(const Request& request) const {
  const auto segments = split_path(request.path);
  if (is_token_path(segments)) return segments[0];
  const IssuedToken* token = tokens_.find(request);
  return token != nullptr ? token->tenant : std::string();
}

void EmulatorApp::apply_fault(const Fault& fault, const Request& request,
                              Response& response) const {
  const auto segments = split_path(request.path);
  const std::string retry_after = std::to_string(fault.retry_after);
  if (is_token_path(segments)) {
    set_aad_error(response, fault.status,
                  fault.status == 429 ? "temporarily_unavailable" : "server_error",
                  fault.status == 429 ? 50196 : 90033,
                  fault.status == 429 ? "The server terminated an operation because it encountered "
                                        "a client request loop."
                                      : "A transient error has occurred. Please try again.",
                  request, clock_.now());
  } else if (is_ingestion_path(segments)) {
    set_azure_error(response, fault.status,
                    fault.status == 429   ? "TooManyRequests"
                    : fault.status == 403 ? "Forbidden"
                                          : std::string(graph_code_for_status(fault.status)),
                    fault.status == 403
                        ? "The authentication token provided does not have access to ingest data "
                          "for the data collection rule."
                        : "Injected fault: HTTP " + std::to_string(fault.status) + ".");
  } else {
    set_graph_error(response, fault.status, graph_code_for_status(fault.status),
                    fault.status == 429
                        ? "Too many requests. Please retry after the time in the "
                          "Retry-After header."
                        : "Injected fault: HTTP " + std::to_string(fault.status) + ".",
                    request, clock_.now());
  }
  if (fault.retry_after >= 0) response.set_header("Retry-After", retry_after);
}

void EmulatorApp::route(const Request& request, Response& response) {
  const Ticks now = clock_.now();
  if (request.path.rfind("/_emulator/", 0) == 0) return handle_control(request, response);

  bool malformed_item = false;
  bool partial = false;
  if (auto fault = faults_.take(request.path, fault_tenant(request))) {
    response.delay_ms = fault->delay_ms;
    if (fault->action == Fault::Action::reset) {
      response.delivery = Delivery::reset;
      return;
    }
    if (fault->status != 0 && fault->status != 206) return apply_fault(*fault, request, response);
    if (fault->action == Fault::Action::truncate) response.delivery = Delivery::truncate;
    malformed_item = fault->action == Fault::Action::malformed_item;
    partial = fault->status == 206;
  }

  const auto segments = split_path(request.path);
  if (is_token_path(segments)) return tokens_.handle_token_request(request, segments[0], response);
  if (is_ingestion_path(segments)) {
    if (tokens_.authenticate(request, Audience::monitor, false, response) == nullptr) return;
    return ingestion_.handle(request, segments[1], segments[3], response);
  }
  if (segments.size() == 3 && segments[0] == "v1.0" && segments[1] == "security") {
    const std::string& name = segments[2];
    const bool known = name == "alerts_v2" || name == "alerts" || name == "incidents" ||
                       name == "secureScores" || name == "secureScoreControlProfiles";
    if (known) {
      if (request.method != "GET") {
        return set_graph_error(response, 405, "Request_BadRequest",
                               "The HTTP method '" + request.method + "' is not allowed.", request,
                               now);
      }
      const IssuedToken* token = tokens_.authenticate(request, Audience::graph, true, response);
      if (token == nullptr) return;
      Tenant* tenant = find_tenant(token->tenant);
      if (tenant == nullptr) {
        return set_graph_error(response, 403, "Forbidden", "Unknown tenant.", request, now);
      }
      if (name == "secureScores") return tenant->score.serve_scores(request, now, response);
      if (name == "secureScoreControlProfiles")
        return tenant->score.serve_profiles(request, response);
      const Collection collection = name == "alerts_v2" ? Collection::alerts_v2
                                    : name == "alerts"  ? Collection::legacy_alerts
                                                        : Collection::incidents;
      serve_collection(collection, tenant->graph, request, now, malformed_item, response);
      if (partial && response.status == 200) {
        // The legacy API is federated: a failing provider turns 200 into 206 + Warning.
        response.status = 206;
        response.set_header("Warning",
                            "199 - \"Microsoft Defender for Cloud Apps provider "
                            "failed to respond; results may be incomplete.\"");
      }
      return;
    }
  }
  const bool graph_path = !segments.empty() && segments[0] == "v1.0";
  set_graph_error(response, graph_path ? 400 : 404, graph_path ? "BadRequest" : "NotFound",
                  "Resource not found for the segment '" +
                      (segments.empty() ? std::string("/") : segments.back()) + "'.",
                  request, now);
}

}  // namespace secfeed::emulator
