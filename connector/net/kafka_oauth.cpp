#include "connector/net/kafka_oauth.hpp"

#include <chrono>
#include <utility>

#include "connector/core/config.hpp"
#include "connector/core/log.hpp"
#include "connector/net/credentials_from_config.hpp"

namespace secfeed::net {

namespace {
// A token request that takes longer than this fails; librdkafka asks again.
constexpr std::chrono::seconds kTokenWait{60};
}  // namespace

KafkaTokenFunction kafka_token_function(const KafkaClientConfig& kafka, const Config& config,
                                        boost::asio::any_io_executor executor,
                                        TokenProviders& tokens, std::string& error) {
  const TenantConfig* tenant = config.find_tenant(kafka.oauth_tenant);
  if (tenant == nullptr) {
    error = "unknown oauth tenant " + kafka.oauth_tenant;
    return {};
  }
  TokenProvider* provider = tokens.get(*tenant, kafka.oauth_scope, error);
  if (provider == nullptr) return {};
  auto fetch = blocking_token_function(std::move(executor), *provider, kTokenWait);
  return [fetch](std::string& token, std::int64_t& expires_at_ms, std::string& failure) {
    TokenResult result = fetch();
    if (!result.ok()) {
      failure = result.error;
      return false;
    }
    token = std::move(result.access_token);
    expires_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch() + result.valid_for)
                        .count();
    return true;
  };
}

bool answer_oauth_refresh(rd_kafka_t* rk, const KafkaTokenFunction& fetch,
                          std::string_view component, std::string_view client) {
  std::string token, error;
  std::int64_t expires_at_ms = 0;
  if (!fetch(token, expires_at_ms, error)) {
    log_warn(component, std::string(client) + ": cannot get an Entra ID token: " + error);
    rd_kafka_oauthbearer_set_token_failure(rk, error.c_str());
    return false;
  }
  char errstr[512];
  // The principal name is informational for Event Hubs; the token carries the identity.
  if (rd_kafka_oauthbearer_set_token(rk, token.c_str(), expires_at_ms, "secfeed", nullptr, 0,
                                     errstr, sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    log_warn(component, std::string(client) + ": token rejected by the Kafka client: " + errstr);
    rd_kafka_oauthbearer_set_token_failure(rk, errstr);
    return false;
  }
  return true;
}

}  // namespace secfeed::net
