#include "connector/core/eventhub_connection_string.hpp"

#include "connector/core/text.hpp"

namespace secfeed {
namespace {

bool is_hostname(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-') {
    return false;
  }
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<EventHubConnectionString> parse_eventhub_connection_string(std::string_view text,
                                                                         std::string& error) {
  std::optional<std::string_view> endpoint, key_name, key, entity_path;
  std::size_t segment_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find(';');
    const std::string_view segment = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++segment_number;
    if (segment.empty()) continue;  // "...;" and ";;" are harmless
    const std::size_t equals = segment.find('=');
    if (equals == std::string_view::npos) {
      error = "connection string segment " + std::to_string(segment_number) + " is not Name=Value";
      return std::nullopt;
    }
    const std::string_view name = trim(segment.substr(0, equals));
    const std::string_view value = trim(segment.substr(equals + 1));
    if (iequals(name, "Endpoint")) {
      endpoint = value;
    } else if (iequals(name, "SharedAccessKeyName")) {
      key_name = value;
    } else if (iequals(name, "SharedAccessKey")) {
      key = value;
    } else if (iequals(name, "EntityPath")) {
      entity_path = value;
    }
  }
  if (!endpoint || endpoint->empty()) {
    error = "connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/";
    return std::nullopt;
  }
  std::string_view host = *endpoint;
  if (!istarts_with(host, "sb://")) {
    error = "connection string Endpoint must start with sb://";
    return std::nullopt;
  }
  host.remove_prefix(5);
  while (!host.empty() && host.back() == '/') host.remove_suffix(1);
  if (!is_hostname(host)) {
    error = "connection string Endpoint must be sb://<fully qualified namespace name>/";
    return std::nullopt;
  }
  if (!key_name || key_name->empty()) {
    error = "connection string has no SharedAccessKeyName";
    return std::nullopt;
  }
  if (!key || key->empty()) {
    error = "connection string has no SharedAccessKey";
    return std::nullopt;
  }
  if (entity_path && entity_path->empty()) {
    error = "connection string EntityPath is empty";
    return std::nullopt;
  }
  EventHubConnectionString result;
  result.fqdn = std::string(host);
  result.bootstrap = result.fqdn + ":9093";
  result.key_name = std::string(*key_name);
  if (entity_path) result.entity_path = std::string(*entity_path);
  return result;
}

}  // namespace secfeed
