// KafkaClientConfig -> librdkafka properties, shared by the eventhub source and the
// kafka sink. When the endpoint is Azure Event Hubs (host under servicebus.windows.net
// or a sovereign equivalent, port 9093), Microsoft's recommended client settings are
// the defaults (shared/specs/defender-export-eventhubs.md); user `properties` win.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "connector/core/config.hpp"

namespace secfeed {

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

bool is_event_hubs_endpoint(const std::string& bootstrap_servers);

// In the order librdkafka should apply them (later entries override earlier ones).
KafkaProperties kafka_client_properties(const KafkaClientConfig& kafka);

}  // namespace secfeed
