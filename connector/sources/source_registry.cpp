#include "connector/sources/source_registry.hpp"

#include "connector/core/kafka_client_properties.hpp"
#include "connector/net/credentials_from_config.hpp"
#include "connector/sources/eventhub/eventhub_source.hpp"

namespace secfeed {
namespace {

// OAUTHBEARER: librdkafka's refresh callback gets tokens from the tenant's provider.
bool attach_oauth(const SourceConfig& source, const EventHubSourceConfig& settings,
                  const Config& config, boost::asio::any_io_executor executor,
                  net::TokenProviders& tokens, EventHubSourceOptions& options, std::string& error) {
  const TenantConfig* tenant = config.find_tenant(settings.kafka.oauth_tenant);
  if (tenant == nullptr) {
    error = "source " + source.name + ": unknown oauth tenant " + settings.kafka.oauth_tenant;
    return false;
  }
  net::TokenProvider* provider = tokens.get(*tenant, settings.kafka.oauth_scope, error);
  if (provider == nullptr) {
    error = "source " + source.name + ": " + error;
    return false;
  }
  auto fetch = net::blocking_token_function(executor, *provider, std::chrono::seconds(60));
  options.oauth_token = [fetch](std::string& token, std::int64_t& expires_at_ms,
                                std::string& failure) {
    net::TokenResult result = fetch();
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
  return true;
}

std::unique_ptr<Source> make_eventhub(const SourceConfig& source,
                                      const EventHubSourceConfig& settings, const Config& config,
                                      SourceContext& context, std::string& error) {
  EventHubSourceOptions options;
  if (settings.auth == EventHubAuth::oauth &&
      !attach_oauth(source, settings, config, context.executor, context.tokens, options, error)) {
    return nullptr;
  }
  options.name = source.name;
  options.topic = settings.topic;
  options.properties = kafka_client_properties(settings.kafka);
  options.properties.insert(
      options.properties.begin(),
      {"partition.assignment.strategy",
       settings.rebalance == Rebalance::cooperative ? "cooperative-sticky" : "range,roundrobin"});
  options.properties.emplace_back("group.id", settings.consumer_group);
  options.start_from_latest = settings.start_from == StartFrom::latest;
  options.commit_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.commit_interval);
  return std::make_unique<EventHubSource>(context.executor, context.pipeline, std::move(options));
}

}  // namespace

std::unique_ptr<Source> make_source(const SourceConfig& source, const Config& config,
                                    SourceContext& context, std::string& error) {
  switch (source.kind) {
    case SourceType::eventhub:
      return make_eventhub(source, std::get<EventHubSourceConfig>(source.settings), config, context,
                           error);
    case SourceType::graph_alerts:
    case SourceType::graph_incidents:
    case SourceType::graph_legacy_alerts:
    case SourceType::secure_score:
      break;  // TODO(issues 3 and 4): the Graph pollers.
  }
  error = "source " + source.name + ": type " + source.type +
          " is not implemented in this build yet (see the README's Roadmap)";
  return nullptr;
}

}  // namespace secfeed
