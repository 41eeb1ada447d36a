#include "connector/core/kafka_client_properties.hpp"

#include "connector/core/cloud.hpp"

namespace secfeed {

bool is_event_hubs_endpoint(const std::string& bootstrap_servers) {
  for (Cloud cloud : {Cloud::global, Cloud::usgov, Cloud::usgov_dod, Cloud::china}) {
    // Built by appends: GCC 12 -O3 reports a false -Wrestrict for "." + std::string(...).
    std::string suffix = ".";
    suffix.append(cloud_hosts(cloud).servicebus_suffix).append(":9093");
    if (bootstrap_servers.find(suffix) != std::string::npos) return true;
  }
  return false;
}

KafkaProperties kafka_client_properties(const KafkaClientConfig& kafka) {
  KafkaProperties out;
  if (is_event_hubs_endpoint(kafka.bootstrap_servers)) {
    // Event Hubs drops idle connections after 240 s and expects these timings.
    out = {{"socket.keepalive.enable", "true"}, {"metadata.max.age.ms", "180000"},
           {"session.timeout.ms", "30000"},     {"heartbeat.interval.ms", "3000"},
           {"max.poll.interval.ms", "300000"},  {"request.timeout.ms", "60000"}};
  }
  out.emplace_back("bootstrap.servers", kafka.bootstrap_servers);
  switch (kafka.security_protocol) {
    case KafkaSecurityProtocol::plaintext:
      out.emplace_back("security.protocol", "plaintext");
      break;
    case KafkaSecurityProtocol::ssl:
      out.emplace_back("security.protocol", "ssl");
      break;
    case KafkaSecurityProtocol::sasl_plaintext:
      out.emplace_back("security.protocol", "sasl_plaintext");
      break;
    case KafkaSecurityProtocol::sasl_ssl:
      out.emplace_back("security.protocol", "sasl_ssl");
      break;
  }
  switch (kafka.sasl_mechanism) {
    case SaslMechanism::none:
      break;
    case SaslMechanism::plain:
      out.emplace_back("sasl.mechanisms", "PLAIN");
      break;
    case SaslMechanism::scram_sha_256:
      out.emplace_back("sasl.mechanisms", "SCRAM-SHA-256");
      break;
    case SaslMechanism::scram_sha_512:
      out.emplace_back("sasl.mechanisms", "SCRAM-SHA-512");
      break;
    case SaslMechanism::oauthbearer:
      out.emplace_back("sasl.mechanisms", "OAUTHBEARER");
      break;
  }
  if (!kafka.sasl_username.empty()) out.emplace_back("sasl.username", kafka.sasl_username);
  if (!kafka.sasl_password.empty()) out.emplace_back("sasl.password", kafka.sasl_password.reveal());
  if (!kafka.ca_file.empty()) out.emplace_back("ssl.ca.location", kafka.ca_file);
  for (const auto& property : kafka.properties) out.push_back(property);
  return out;
}

}  // namespace secfeed
