// Azure Event Hubs connection strings:
//   Endpoint=sb://<fqdn>/;SharedAccessKeyName=<name>;SharedAccessKey=<key>[;EntityPath=<hub>]
// For the Kafka endpoint the whole string is the SASL PLAIN password (user name
// "$ConnectionString"); what we need from it is the broker address and the topic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace secfeed {

struct EventHubConnectionString {
  std::string fqdn;         // myns.servicebus.windows.net
  std::string bootstrap;    // myns.servicebus.windows.net:9093
  std::string key_name;     // SharedAccessKeyName
  std::string entity_path;  // the event hub (Kafka topic); empty when absent
};

// Segment keys match case-insensitively, unknown segments are ignored, values may
// contain '=' (base64 padding). On failure returns nullopt and sets `error` to a message
// naming the missing or malformed part; the error never contains the key or any text
// of an unrecognised segment (it could be the key pasted in the wrong place).
std::optional<EventHubConnectionString> parse_eventhub_connection_string(std::string_view text,
                                                                         std::string& error);

}  // namespace secfeed
