// sources[]: the Graph pollers, Secure Score and the Event Hubs (Kafka) consumer.
#include <algorithm>

#include "connector/core/config_loader_internal.hpp"

namespace secfeed::config_detail {
namespace {

constexpr Duration kMinInterval = 1s;

GraphPollSourceConfig read_graph_poll(MapReader& reader, SourceType type, const Config& config) {
  GraphPollSourceConfig source;
  source.tenants = read_tenant_refs(reader, "tenants", config);
  // alerts_v2 and incidents are not offered in the China cloud.
  if (type != SourceType::graph_legacy_alerts) {
    for (const std::string& id : source.tenants) {
      if (config.find_tenant(id)->cloud == Cloud::china) {
        reader.fail("tenants", "tenant " + quote_value(id) +
                                   " is in the china cloud, which does not offer this API; use "
                                   "graph_legacy_alerts");
      }
    }
  }
  source.interval = reader.duration_or("interval", source.interval, kMinInterval);
  source.lag = reader.duration_or("lag", source.lag, Duration(0));
  source.overlap = reader.duration_or("overlap", source.overlap, Duration(0));
  source.initial_lookback =
      reader.duration_or("initial_lookback", source.initial_lookback, Duration(0));
  source.timeout = reader.duration_or("timeout", source.timeout, kMinInterval);
  // Graph's $top limits: incidents answer HTTP 400 above 50.
  const int max_page = type == SourceType::graph_incidents ? 50 : 1000;
  source.page_size = int(reader.integer("page_size", 1, max_page).value_or(max_page));
  return source;
}

SecureScoreSourceConfig read_secure_score(MapReader& reader, const Config& config) {
  SecureScoreSourceConfig source;
  source.tenants = read_tenant_refs(reader, "tenants", config);
  source.interval = reader.duration_or("interval", source.interval, kMinInterval);
  source.backfill_days = int(reader.integer("backfill_days", 1, 90).value_or(source.backfill_days));
  source.profiles_interval =
      reader.duration_or("profiles_interval", source.profiles_interval, kMinInterval);
  source.score_drop_threshold =
      reader.number("score_drop_threshold", 0, 1e6).value_or(source.score_drop_threshold);
  source.control_regression = reader.boolean_or("control_regression", source.control_regression);
  source.timeout = reader.duration_or("timeout", source.timeout, kMinInterval);
  return source;
}

EventHubSourceConfig read_eventhub(MapReader& reader, const Config& config) {
  EventHubSourceConfig source;
  auto connection_string = reader.secret("connection_string");
  auto oauth = reader.map("oauth");
  auto kafka = reader.map("kafka");
  const int given =
      int(connection_string.has_value()) + int(oauth.has_value()) + int(kafka.has_value());
  if (given != 1) {
    reader.fail_here(std::string(given == 0 ? "one" : "only one") +
                     " of connection_string, connection_string_file, oauth or kafka is required");
  }
  std::string entity_path;
  if (connection_string) {
    source.auth = EventHubAuth::connection_string;
    entity_path = apply_connection_string(
        reader, reader.has("connection_string") ? "connection_string" : "connection_string_file",
        *connection_string, source.kafka);
  } else if (oauth) {
    source.auth = EventHubAuth::oauth;
    read_eventhub_oauth(*oauth, config, source.kafka);
  } else {
    source.auth = EventHubAuth::kafka;
    read_kafka_client(*kafka, source.kafka);
    kafka->finish();
  }
  source.topic = reader.string_or("topic", entity_path);
  if (source.topic.empty()) {
    reader.fail("topic", "required key is missing (the connection string has no EntityPath)");
  }
  if (!entity_path.empty() && source.topic != entity_path) {
    reader.fail("topic", "the connection string is scoped to event hub " +
                             quote_value(entity_path) + ", not " + quote_value(source.topic));
  }
  source.consumer_group = reader.string_or("consumer_group", source.consumer_group);
  if (source.consumer_group.empty()) reader.fail("consumer_group", "must not be empty");
  source.rebalance = reader.choice_or<Rebalance>("rebalance", kRebalanceNames, source.rebalance);
  source.commit_interval =
      reader.duration_or("commit_interval", source.commit_interval, Duration(100));
  source.start_from = reader.choice_or<StartFrom>("start_from", kStartFromNames, source.start_from);
  source.kafka.properties = reader.string_map("properties");
  return source;
}

}  // namespace

void read_sources(MapReader& root, Config& config) {
  root.for_each_map("sources", [&](MapReader& reader) {
    SourceConfig source;
    source.type = reader.required_string("type");
    const auto type = reader.choice<SourceType>("type", kSourceTypeNames);
    source.kind = *type;
    reader.set_pattern("sources[" + source.type + "]");
    source.name = reader.string_or("name", source.type);
    if (!is_valid_component_name(source.name)) {
      reader.fail("name",
                  "expected letters, digits, '_', '-' or '.', got " + quote_value(source.name));
    }
    for (const SourceConfig& other : config.sources) {
      if (other.name == source.name) {
        reader.fail("name", "duplicate source name " + quote_value(source.name) +
                                (reader.has("name") ? "" : " (set a distinct name:)"));
      }
    }
    source.enabled = reader.boolean_or("enabled", true);
    switch (source.kind) {
      case SourceType::graph_alerts:
      case SourceType::graph_incidents:
      case SourceType::graph_legacy_alerts:
        source.settings = read_graph_poll(reader, source.kind, config);
        break;
      case SourceType::secure_score:
        source.settings = read_secure_score(reader, config);
        break;
      case SourceType::eventhub:
        source.settings = read_eventhub(reader, config);
        break;
    }
    config.sources.push_back(std::move(source));
  });
}

}  // namespace secfeed::config_detail
