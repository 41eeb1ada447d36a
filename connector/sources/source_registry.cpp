#include "connector/sources/source_registry.hpp"

#include "connector/core/kafka_client_properties.hpp"
#include "connector/sources/eventhub/eventhub_source.hpp"

namespace secfeed {
namespace {

std::unique_ptr<Source> make_eventhub(const SourceConfig& source,
                                      const EventHubSourceConfig& settings,
                                      boost::asio::any_io_executor executor, Pipeline& pipeline,
                                      std::string& error) {
  if (settings.auth == EventHubAuth::oauth) {
    // TODO(issue 5): OAUTHBEARER with the Entra token provider (connector/net).
    error = "source " + source.name +
            ": eventhub oauth authentication is not implemented yet; "
            "use a connection string";
    return nullptr;
  }
  EventHubSourceOptions options;
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
  return std::make_unique<EventHubSource>(executor, pipeline, std::move(options));
}

}  // namespace

std::unique_ptr<Source> make_source(const SourceConfig& source, const Config& /*config*/,
                                    boost::asio::any_io_executor executor, Pipeline& pipeline,
                                    std::string& error) {
  switch (source.kind) {
    case SourceType::eventhub:
      return make_eventhub(source, std::get<EventHubSourceConfig>(source.settings), executor,
                           pipeline, error);
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
