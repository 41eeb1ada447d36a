#include "connector/app/daemon_hardening.hpp"

#include <string_view>

namespace secfeed {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// librdkafka pass-through properties that switch certificate or host name checks off.
void check_kafka(const KafkaClientConfig& kafka, const std::string& where,
                 std::vector<std::string>& out) {
  for (const auto& [key, value] : kafka.properties) {
    const bool no_verify =
        key == "enable.ssl.certificate.verification" && (iequal(value, "false") || value == "0");
    const bool no_hostname =
        key == "ssl.endpoint.identification.algorithm" && iequal(value, "none");
    if (no_verify || no_hostname) {
      out.push_back(where + ".properties." + key + "=" + value + ": the Kafka broker's " +
                    (no_verify ? "certificate" : "host name") + " is not verified");
    }
  }
}

// The host part of "host:port" / "[v6]:port".
std::string_view listen_host(std::string_view listen) {
  if (listen.starts_with('[')) return listen.substr(1, listen.find(']') - 1);
  return listen.substr(0, listen.rfind(':'));
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace

std::vector<std::string> security_warnings(const Config& config) {
  std::vector<std::string> out;
  for (const SourceConfig& source : config.sources) {
    if (const auto* hub = std::get_if<EventHubSourceConfig>(&source.settings)) {
      check_kafka(hub->kafka, "sources[" + source.name + "]", out);
    }
  }
  for (const SinkConfig& sink : config.sinks) {
    if (const auto* kafka = std::get_if<KafkaSinkConfig>(&sink.settings)) {
      check_kafka(kafka->kafka, "sinks[" + sink.name + "]", out);
    }
  }
  if (config.metrics.enabled && !is_loopback(listen_host(config.metrics.listen))) {
    out.push_back("metrics.listen " + config.metrics.listen +
                  " is not a loopback address: /metrics and /readyz are served without "
                  "authentication to the network (bind 127.0.0.1, or firewall the port)");
  }
  return out;
}

}  // namespace secfeed
