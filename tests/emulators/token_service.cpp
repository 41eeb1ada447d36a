#include "token_service.hpp"

#include "encoding.hpp"
#include "errors.hpp"
#include "json_util.hpp"
#include "jwt_verify.hpp"

namespace secfeed::emulator {
namespace {

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::size_t kMaxRememberedTokens = 10'000;

std::string form_value(const std::vector<std::pair<std::string, std::string>>& form,
                       std::string_view name) {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  return {};
}

std::string_view bearer_token(const Request& request) {
  const std::string_view value = request.header("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() || value.substr(0, kPrefix.size()) != kPrefix) return {};
  return value.substr(kPrefix.size());
}

}  // namespace

TokenService::TokenService(const EmulatorConfig& config, const Clock& clock)
    : config_(config), clock_(clock), lifetime_seconds_(config.token_lifetime_seconds) {}

const TenantConfig* TokenService::tenant(std::string_view id) const {
  for (const auto& tenant : config_.tenants) {
    if (tenant.id == id) return &tenant;
  }
  return nullptr;
}

void TokenService::handle_token_request(const Request& request, std::string_view tenant_id,
                                        Response& response) {
  const Ticks now = clock_.now();
  const auto fail = [&](int status, std::string_view error, int code, std::string_view text) {
    set_aad_error(response, status, error, code, text, request, now);
  };
  if (request.method != "POST") {
    return fail(405, "invalid_request", 900561,
                "The endpoint only accepts POST, OPTIONS requests. Received a GET request.");
  }
  const auto form = parse_form(request.body);
  const TenantConfig* tenant_config = tenant(tenant_id);
  if (tenant_config == nullptr) {
    return fail(400, "invalid_request", 90002,
                "Tenant '" + std::string(tenant_id) +
                    "' not found. Check to make sure you have the correct tenant ID and are "
                    "signing into the correct cloud.");
  }
  const std::string grant_type = form_value(form, "grant_type");
  if (grant_type.empty()) {
    return fail(400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'grant_type'.");
  }
  if (grant_type != "client_credentials") {
    return fail(400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type '" + grant_type + "'.");
  }
  const std::string client_id = form_value(form, "client_id");
  if (client_id.empty()) {
    return fail(400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'client_id'.");
  }
  if (client_id != tenant_config->client_id) {
    return fail(400, "unauthorized_client", 700016,
                "Application with identifier '" + client_id + "' was not found in the directory '" +
                    tenant_config->id + "'.");
  }
  const std::string scope = form_value(form, "scope");
  if (scope.empty()) {
    return fail(400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'scope'.");
  }
  constexpr std::string_view kDefault = "/.default";
  if (scope.size() <= kDefault.size() || scope.substr(scope.size() - kDefault.size()) != kDefault) {
    return fail(400, "invalid_scope", 1002012,
                "The provided value for scope " + scope +
                    " is not valid. Client credential flows must have a scope value with "
                    "/.default suffixed to the resource identifier (application ID URI).");
  }
  Audience audience;
  if (scope.find("monitor.azure") != std::string::npos) {
    audience = Audience::monitor;
  } else if (scope.find("graph") != std::string::npos) {
    audience = Audience::graph;
  } else {
    return fail(400, "invalid_resource", 500011,
                "The resource principal named " + scope.substr(0, scope.size() - kDefault.size()) +
                    " was not found in the tenant named " + tenant_config->id + ".");
  }
  const std::string secret = form_value(form, "client_secret");
  const std::string assertion = form_value(form, "client_assertion");
  if (!assertion.empty()) {
    if (form_value(form, "client_assertion_type") != kJwtBearer) {
      return fail(400, "invalid_request", 50027,
                  "Invalid client_assertion_type; expected '" + std::string(kJwtBearer) + "'.");
    }
    AssertionCheck check;
    check.client_id = client_id;
    check.now_seconds = now / kTicksPerSecond;
    check.certificate = tenant_config->certificate ? &*tenant_config->certificate : nullptr;
    for (const std::string_view host :
         {request.header("Host"), std::string_view("login.microsoftonline.com"),
          std::string_view("login.microsoftonline.us"),
          std::string_view("login.chinacloudapi.cn")}) {
      check.accepted_audiences.push_back("https://" + std::string(host) + request.path);
    }
    if (auto error = verify_client_assertion(assertion, check)) {
      return fail(401, "invalid_client", error->aadsts_code, error->description);
    }
  } else if (!secret.empty()) {
    if (tenant_config->client_secret.empty() || secret != tenant_config->client_secret) {
      return fail(401, "invalid_client", 7000215,
                  "Invalid client secret provided. Ensure the secret being sent in the request "
                  "is the client secret value, not the client secret ID, for a secret added to "
                  "app '" +
                      client_id + "'.");
    }
  } else {
    return fail(401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or "
                "'client_secret'.");
  }

  forget_expired();
  const std::string token = "emu." + base64url_encode(random_guid() + random_guid());
  tokens_[token] =
      IssuedToken{tenant_config->id, audience, now + Ticks{lifetime_seconds_} * kTicksPerSecond};
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_field(w, "token_type", "Bearer");
  json_field(w, "expires_in", lifetime_seconds_);
  json_field(w, "ext_expires_in", lifetime_seconds_);
  json_field(w, "access_token", token);
  w.EndObject();
  response.set_json(200, buffer.GetString());
  response.set_header("Cache-Control", "no-store, no-cache");
}

const IssuedToken* TokenService::find(const Request& request) const {
  const std::string_view token = bearer_token(request);
  if (token.empty()) return nullptr;
  const auto it = tokens_.find(std::string(token));
  return it == tokens_.end() ? nullptr : &it->second;
}

const IssuedToken* TokenService::authenticate(const Request& request, Audience audience,
                                              bool graph_style, Response& response) const {
  const IssuedToken* token = find(request);
  std::string_view message;
  if (bearer_token(request).empty()) {
    message = "Access token is empty.";
  } else if (token == nullptr) {
    message = "Access token validation failure. Invalid or unknown token.";
  } else if (token->expires <= clock_.now()) {
    message = "Lifetime validation failed, the token is expired.";
  } else if (token->audience != audience) {
    message = "Access token validation failure. Invalid audience.";
  } else {
    return token;
  }
  if (graph_style) {
    set_graph_error(response, 401, "InvalidAuthenticationToken", message, request, clock_.now());
  } else {
    set_azure_error(response, 401, "InvalidToken", message);
  }
  response.set_header("WWW-Authenticate", "Bearer");
  return nullptr;
}

void TokenService::forget_expired() {
  if (tokens_.size() < kMaxRememberedTokens) return;
  const Ticks now = clock_.now();
  std::erase_if(tokens_, [now](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace secfeed::emulator
