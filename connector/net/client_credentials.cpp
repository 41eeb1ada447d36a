// Client-credentials grant against Microsoft Entra ID (client secret or certificate).
#include <chrono>
#include <cstdlib>
#include <optional>

#include <rapidjson/document.h>

#include "connector/core/json_reader.hpp"
#include "connector/net/http_client.hpp"
#include "connector/net/jwt_assertion.hpp"
#include "connector/net/redact.hpp"
#include "connector/net/token_provider.hpp"
#include "connector/net/url.hpp"

namespace secfeed::net {
namespace {

struct EntraHint {
  std::string_view code;
  std::string_view hint;
};

constexpr EntraHint kHints[] = {
    {"AADSTS7000215",
     "the client secret is wrong: configure the secret's VALUE (not its ID) of this app"},
    {"AADSTS7000222", "the client secret has expired: create a new one for the app registration"},
    {"AADSTS700016",
     "the application (client_id) is not known in this tenant: check client_id and tenant_id, "
     "and that an administrator of the tenant consented to the app"},
    {"AADSTS90002", "the tenant was not found: check tenant_id and the cloud setting"},
    {"AADSTS900023", "the tenant id is malformed: use the directory (tenant) GUID or domain"},
    {"AADSTS700027",
     "the client assertion was rejected: upload this certificate (public part) to the app "
     "registration and check the system clock"},
    {"AADSTS1002012", "the scope is invalid: it must end in /.default"},
    {"AADSTS70011", "the scope is invalid: it must end in /.default"},
};

std::string string_member(const rapidjson::Value& object, std::string_view key) {
  const auto* value = find_member(object, key);
  return (value && value->IsString()) ? std::string(json_string(*value)) : std::string();
}

std::string first_line(std::string_view text) {
  const auto end = text.find_first_of("\r\n");
  return std::string(text.substr(0, end));
}

std::string describe_entra_error(int status, const rapidjson::Value& body) {
  std::string message = "HTTP " + std::to_string(status);
  const std::string error = string_member(body, "error");
  const std::string description = first_line(string_member(body, "error_description"));
  if (!error.empty()) message += " " + error;
  if (!description.empty()) message += ": " + description;
  std::string details;
  if (const auto* codes = find_member(body, "error_codes"); codes && codes->IsArray()) {
    details += "error_codes=[";
    bool first = true;
    for (const auto& code : codes->GetArray()) {
      if (!code.IsInt64()) continue;
      if (!first) details += ",";
      details += std::to_string(code.GetInt64());
      first = false;
    }
    details += "]";
  }
  for (std::string_view key : {"trace_id", "correlation_id"}) {
    const std::string value = string_member(body, key);
    if (value.empty()) continue;
    if (!details.empty()) details += ", ";
    details += std::string(key) + "=" + value;
  }
  if (!details.empty()) message += " (" + details + ")";
  for (const auto& [code, hint] : kHints) {
    if (description.find(code) != std::string::npos) {
      message += ". Hint: " + std::string(hint);
      break;
    }
  }
  return message;
}

class ClientCredentialsProvider final : public TokenProvider {
 public:
  ClientCredentialsProvider(HttpClient& http, ClientCredentials credentials, std::string scope,
                            std::optional<SigningCertificate> certificate)
      : http_(http),
        credentials_(std::move(credentials)),
        scope_(std::move(scope)),
        endpoint_(token_endpoint(credentials_)),
        certificate_(std::move(certificate)),
        cache_(http.executor(), [this] { return fetch(); }) {}

  boost::asio::awaitable<TokenResult> token() override { return cache_.get(); }
  void invalidate(std::string_view stale_token) override { cache_.invalidate(stale_token); }

 private:
  boost::asio::awaitable<TokenResponse> fetch() {
    std::string assertion;
    if (certificate_) {
      std::string error;
      auto built = build_client_assertion(*certificate_, credentials_.certificate.algorithm,
                                          {endpoint_, credentials_.client_id, random_guid(),
                                           std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count(),
                                           600},
                                          error);
      if (!built) co_return TokenResponse{{}, {}, context() + error};
      assertion = std::move(*built);
    }
    HttpRequest request;
    request.method = "POST";
    std::string url_error;
    auto url = parse_url(endpoint_, &url_error);
    if (!url) co_return TokenResponse{{}, {}, context() + "invalid token endpoint: " + url_error};
    request.url = std::move(*url);
    request.headers.add("Content-Type", "application/x-www-form-urlencoded");
    request.headers.add("Accept", "application/json");
    request.body = build_token_request_form(credentials_, scope_, assertion);
    HttpResult result = co_await http_.request(std::move(request));
    if (!result.transport_ok()) {
      co_return TokenResponse{{},
                              {},
                              redact(context() + std::string(to_string(result.error)) +
                                         " error: " + result.error_message,
                                     {credentials_.client_secret, assertion})};
    }
    TokenResponse response = parse_token_response(result.status, result.body, credentials_);
    if (!response.error.empty()) {
      response.error = redact(context() + response.error, {credentials_.client_secret, assertion});
    }
    co_return response;
  }

  std::string context() const {
    return "token request (tenant " + credentials_.tenant_id + ", client " +
           credentials_.client_id + ", scope " + scope_ + ") failed: ";
  }

  HttpClient& http_;
  ClientCredentials credentials_;
  std::string scope_;
  std::string endpoint_;
  std::optional<SigningCertificate> certificate_;
  TokenCache cache_;
};

}  // namespace

std::string token_endpoint(const ClientCredentials& credentials) {
  std::string authority = credentials.authority_override;
  if (authority.empty()) {
    authority = "https://" + std::string(cloud_endpoints(credentials.cloud).login_host);
  }
  while (!authority.empty() && authority.back() == '/') authority.pop_back();
  return authority + "/" + credentials.tenant_id + "/oauth2/v2.0/token";
}

std::string build_token_request_form(const ClientCredentials& credentials, std::string_view scope,
                                     std::string_view client_assertion) {
  std::string form = "grant_type=client_credentials&client_id=";
  append_form_encoded(form, credentials.client_id);
  form += "&scope=";
  append_form_encoded(form, scope);
  if (!client_assertion.empty()) {
    form += "&client_assertion_type=";
    append_form_encoded(form, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form += "&client_assertion=";
    append_form_encoded(form, client_assertion);
  } else {
    form += "&client_secret=";
    append_form_encoded(form, credentials.client_secret);
  }
  return form;
}

TokenResponse parse_token_response(int status, std::string_view body,
                                   const ClientCredentials& credentials) {
  TokenResponse response;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  const bool json_object = !doc.HasParseError() && doc.IsObject();
  if (status != 200) {
    response.error = json_object ? describe_entra_error(status, doc)
                                 : "HTTP " + std::to_string(status) + " (no JSON error body)";
  } else if (!json_object) {
    response.error = "HTTP 200 with a body that is not a JSON object";
  } else {
    response.access_token = string_member(doc, "access_token");
    const auto* expires = find_member(doc, "expires_in");
    // Entra sends a number; some proxies and older endpoints send a string.
    if (expires && expires->IsInt64()) {
      response.expires_in = std::chrono::seconds(expires->GetInt64());
    } else if (expires && expires->IsString()) {
      response.expires_in = std::chrono::seconds(std::atoll(expires->GetString()));
    }
    if (response.access_token.empty()) {
      response.error = "HTTP 200 without access_token";
    } else if (response.expires_in.count() <= 0) {
      response.access_token.clear();
      response.error = "HTTP 200 without a positive expires_in";
    }
  }
  if (!response.error.empty()) {
    response.error = redact(response.error, {credentials.client_secret});
  }
  return response;
}

std::unique_ptr<TokenProvider> make_client_credentials_provider(HttpClient& http,
                                                                ClientCredentials credentials,
                                                                std::string scope,
                                                                std::string& error) {
  if (credentials.tenant_id.empty() || credentials.client_id.empty()) {
    error = "client credentials need tenant_id and client_id";
    return nullptr;
  }
  if (scope.empty()) {
    error = "client credentials need a scope";
    return nullptr;
  }
  std::optional<SigningCertificate> certificate;
  const bool has_certificate =
      !credentials.certificate.cert_file.empty() || !credentials.certificate.pkcs12_file.empty();
  if (has_certificate) {
    certificate = SigningCertificate::load(credentials.certificate, error);
    if (!certificate) {
      error = redact("client certificate: " + error, {credentials.certificate.password});
      return nullptr;
    }
  } else if (credentials.client_secret.empty()) {
    error = "client credentials need a client_secret or a certificate";
    return nullptr;
  }
  return std::make_unique<ClientCredentialsProvider>(http, std::move(credentials), std::move(scope),
                                                     std::move(certificate));
}

}  // namespace secfeed::net
