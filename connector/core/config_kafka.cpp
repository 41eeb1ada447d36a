// Kafka client settings shared by the eventhub source and the kafka sink.
#include "connector/core/config_loader_internal.hpp"
#include "connector/core/eventhub_connection_string.hpp"

namespace secfeed::config_detail {

void read_kafka_client(MapReader& reader, KafkaClientConfig& out) {
  // Either a YAML list or librdkafka's own comma-separated form.
  const auto servers = reader.string_list("bootstrap_servers");
  if (!servers || servers->empty()) reader.fail("bootstrap_servers", "required key is missing");
  for (const std::string& entry : *servers) {
    std::string_view rest = entry;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view server = trim(rest.substr(0, comma));
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
      if (!is_host_port(server)) {
        reader.fail("bootstrap_servers", "expected host:port, got " + quote_value(server));
      }
      if (!out.bootstrap_servers.empty()) out.bootstrap_servers += ',';
      out.bootstrap_servers.append(server);
    }
  }
  out.security_protocol = reader.choice_or<KafkaSecurityProtocol>(
      "security_protocol", kKafkaSecurityProtocolNames, out.security_protocol);
  out.sasl_mechanism =
      reader.choice_or<SaslMechanism>("sasl_mechanism", kSaslMechanismNames, out.sasl_mechanism);
  out.sasl_username = reader.string_or("sasl_username", "");
  if (auto password = reader.secret("sasl_password")) out.sasl_password = std::move(*password);
  out.ca_file = reader.string_or("ca_file", "");

  const bool sasl = out.security_protocol == KafkaSecurityProtocol::sasl_plaintext ||
                    out.security_protocol == KafkaSecurityProtocol::sasl_ssl;
  const bool tls = out.security_protocol == KafkaSecurityProtocol::ssl ||
                   out.security_protocol == KafkaSecurityProtocol::sasl_ssl;
  if (out.sasl_mechanism == SaslMechanism::oauthbearer) {
    reader.fail("sasl_mechanism",
                "for Entra ID tokens use the oauth: section; other "
                "OAUTHBEARER setups go in properties");
  }
  if (sasl && out.sasl_mechanism == SaslMechanism::none) {
    reader.fail("sasl_mechanism", "required with security_protocol " +
                                      std::string(enum_name<KafkaSecurityProtocol>(
                                          kKafkaSecurityProtocolNames, out.security_protocol)));
  }
  if (!sasl && out.sasl_mechanism != SaslMechanism::none) {
    reader.fail("sasl_mechanism", "needs security_protocol sasl_ssl or sasl_plaintext");
  }
  if (sasl && out.sasl_username.empty()) reader.fail("sasl_username", "required with SASL");
  if (sasl && out.sasl_password.empty()) reader.fail("sasl_password", "required with SASL");
  if (!sasl && (!out.sasl_username.empty() || !out.sasl_password.empty())) {
    reader.fail(out.sasl_username.empty() ? "sasl_password" : "sasl_username",
                "needs security_protocol sasl_ssl or sasl_plaintext");
  }
  if (!tls && !out.ca_file.empty()) {
    reader.fail("ca_file", "needs security_protocol ssl or sasl_ssl");
  }
}

std::string apply_connection_string(MapReader& reader, std::string_view key,
                                    const Secret& connection_string, KafkaClientConfig& out) {
  std::string error;
  const auto parsed = parse_eventhub_connection_string(connection_string.reveal(), error);
  if (!parsed) reader.fail(key, error);
  out.bootstrap_servers = parsed->bootstrap;
  out.security_protocol = KafkaSecurityProtocol::sasl_ssl;
  out.sasl_mechanism = SaslMechanism::plain;
  out.sasl_username = "$ConnectionString";  // literally, as Event Hubs expects
  out.sasl_password = connection_string;
  return parsed->entity_path;
}

void read_eventhub_oauth(MapReader& oauth, const Config& config, KafkaClientConfig& out) {
  const std::string tenant = oauth.required_string("tenant");
  check_tenant_ref(oauth, "tenant", tenant, config);
  const TenantConfig& owner = *config.find_tenant(tenant);
  std::string fqdn = oauth.required_string("namespace");
  if (fqdn.find('.') == std::string::npos) {
    fqdn += "." + config.endpoints(owner.cloud).servicebus_suffix;
  }
  if (!is_host_port(fqdn + ":9093")) {
    oauth.fail("namespace", "expected a namespace name or its host name, got " + quote_value(fqdn));
  }
  oauth.finish();
  out.bootstrap_servers = fqdn + ":9093";
  out.security_protocol = KafkaSecurityProtocol::sasl_ssl;
  out.sasl_mechanism = SaslMechanism::oauthbearer;
  out.oauth_tenant = owner.id;
  out.oauth_scope = "https://" + fqdn + "/.default";
}

}  // namespace secfeed::config_detail
