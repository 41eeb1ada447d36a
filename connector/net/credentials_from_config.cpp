#include "connector/net/credentials_from_config.hpp"

#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace secfeed::net {

HttpClientOptions http_client_options(const Config& config) {
  HttpClientOptions options;
  options.ca_file = config.tls.ca_file;
  options.max_connections_per_host = config.http.max_connections_per_host;
  options.max_connections_total = config.http.max_connections_total;
  options.proxy.url = config.proxy.url;
  options.proxy.username = config.proxy.username;
  options.proxy.password = config.proxy.password.reveal();
  for (const std::string& host : config.proxy.no_proxy) {
    if (!options.proxy.no_proxy.empty()) options.proxy.no_proxy += ',';
    options.proxy.no_proxy += host;
  }
  return options;
}

ClientCredentials client_credentials(const TenantConfig& tenant) {
  ClientCredentials credentials;
  credentials.cloud = tenant.cloud;
  credentials.authority_override = tenant.login_url;
  credentials.tenant_id = tenant.id;
  credentials.client_id = tenant.client_id;
  if (tenant.credential == CredentialKind::client_secret) {
    credentials.client_secret = tenant.client_secret.reveal();
  } else {
    const secfeed::CertificateCredential& cert = tenant.certificate;
    credentials.certificate.cert_file = cert.cert_file;
    credentials.certificate.key_file = cert.key_file;
    credentials.certificate.pkcs12_file = cert.pfx_file;
    credentials.certificate.password =
        cert.pfx_file.empty() ? cert.key_password.reveal() : cert.pfx_password.reveal();
    credentials.certificate.algorithm =
        cert.algorithm == secfeed::JwtAlgorithm::rs256 ? JwtAlgorithm::rs256 : JwtAlgorithm::ps256;
  }
  return credentials;
}

TokenProvider* TokenProviders::get(const TenantConfig& tenant, const std::string& scope,
                                   std::string& error) {
  auto key = std::make_pair(tenant.id, scope);
  auto it = providers_.find(key);
  if (it != providers_.end()) return it->second.get();
  HttpClient* http = client_for(tenant, error);
  if (http == nullptr) return nullptr;
  std::unique_ptr<TokenProvider> provider =
      make_client_credentials_provider(*http, client_credentials(tenant), scope, error);
  if (!provider) return nullptr;
  return providers_.emplace(std::move(key), std::move(provider)).first->second.get();
}

HttpClient* TokenProviders::client_for(const TenantConfig& tenant, std::string& error) {
  if (tenant.ca_file.empty() || tenant.ca_file == options_.ca_file) return &http_;
  auto it = by_ca_file_.find(tenant.ca_file);
  if (it != by_ca_file_.end()) return it->second.get();
  HttpClientOptions options = options_;
  options.ca_file = tenant.ca_file;
  std::unique_ptr<HttpClient> client = HttpClient::create(http_.executor(), options, error);
  if (!client) return nullptr;
  return by_ca_file_.emplace(tenant.ca_file, std::move(client)).first->second.get();
}

std::function<TokenResult()> blocking_token_function(boost::asio::any_io_executor executor,
                                                     TokenProvider& provider,
                                                     std::chrono::milliseconds timeout) {
  return [executor, &provider, timeout] {
    // Shared: if the wait times out, the coroutine still completes into a live promise.
    auto promise = std::make_shared<std::promise<TokenResult>>();
    std::future<TokenResult> future = promise->get_future();
    boost::asio::co_spawn(
        executor,
        [&provider, promise]() -> boost::asio::awaitable<void> {
          TokenResult result = co_await provider.token();
          promise->set_value(std::move(result));
        },
        boost::asio::detached);
    // In slices: once the io_context has stopped (shutdown) the token can never come,
    // and librdkafka's rd_kafka_destroy() waits for this call to return.
    const auto* io_executor = executor.target<boost::asio::io_context::executor_type>();
    boost::asio::io_context* io = io_executor != nullptr ? &io_executor->context() : nullptr;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      TokenResult failed;
      if (io != nullptr && io->stopped()) {
        failed.error = "stopping: no Microsoft Entra ID token will be fetched";
        return failed;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        failed.error = "timed out waiting for a Microsoft Entra ID token";
        return failed;
      }
    }
    return future.get();
  };
}

}  // namespace secfeed::net
