// Pieces shared by the loader files (config_loader.cpp: root and tenants,
// config_sources.cpp, config_sinks.cpp, config_kafka.cpp). Not a public API.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/core/config.hpp"
#include "connector/core/config_reader.hpp"

namespace secfeed::config_detail {

void read_tenants(MapReader& root, Config& config);
void read_sources(MapReader& root, Config& config);
void read_sinks(MapReader& root, Config& config);

// scheme://host[:port][/path]; the host may be a [bracketed] IPv6 address.
struct UrlParts {
  std::string scheme, host;
  int port = 0;  // 0: none given
  std::string path;
};
std::optional<UrlParts> parse_url(std::string_view text);
bool is_loopback_host(std::string_view host);
// host:port with port 1..65535 ([v6]:port allowed).
bool is_host_port(std::string_view text);

// An https:// URL (http:// is accepted for loopback hosts only, for local emulators).
std::optional<std::string> read_https_url(MapReader& reader, std::string_view key);

// Names of sources and sinks: letters, digits, '_', '-', '.'.
bool is_valid_component_name(std::string_view name);

// `tenants: all | [id, ...]` -> configured tenant ids (default: all).
std::vector<std::string> read_tenant_refs(MapReader& reader, std::string_view key,
                                          const Config& config);
// A single reference to a configured tenant; an error names the known ids.
void check_tenant_ref(MapReader& reader, std::string_view key, const std::string& id,
                      const Config& config);

// bootstrap_servers, security_protocol, sasl_mechanism, sasl_username, sasl_password,
// ca_file from `reader` (and the combinations that make sense together).
void read_kafka_client(MapReader& reader, KafkaClientConfig& out);
// Event Hubs connection string -> SASL_SSL/PLAIN client settings; returns EntityPath.
std::string apply_connection_string(MapReader& reader, std::string_view key,
                                    const Secret& connection_string, KafkaClientConfig& out);
// `oauth: {tenant, namespace}` -> SASL_SSL/OAUTHBEARER client settings for the
// namespace's Kafka endpoint, with Entra ID tokens of that tenant's app.
void read_eventhub_oauth(MapReader& oauth, const Config& config, KafkaClientConfig& out);

}  // namespace secfeed::config_detail
