#include "connector/sources/source_registry.hpp"

#include "connector/core/kafka_client_properties.hpp"
#include "connector/net/credentials_from_config.hpp"
#include "connector/net/kafka_oauth.hpp"
#include "connector/sources/eventhub/eventhub_source.hpp"
#include "connector/sources/graph/graph_budgets.hpp"
#include "connector/sources/graph/graph_poll_source.hpp"
#include "connector/sources/secure_score/secure_score_source.hpp"

namespace secfeed {
namespace {

std::unique_ptr<Source> make_eventhub(const SourceConfig& source,
                                      const EventHubSourceConfig& settings, const Config& config,
                                      SourceContext& context, std::string& error) {
  EventHubSourceOptions options;
  if (settings.auth == EventHubAuth::oauth) {
    options.oauth_token =
        net::kafka_token_function(settings.kafka, config, context.executor, context.tokens, error);
    if (!options.oauth_token) {
      error = "source " + source.name + ": " + error;
      return nullptr;
    }
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

graph::GraphBudgets& graph_budgets(const Config& config, SourceContext& context) {
  if (!context.graph_budgets) {
    // As many Graph requests in flight as the HTTP client keeps connections per host
    // (every tenant talks to the same Graph host): the rest wait here, in FIFO order.
    context.graph_budgets = std::make_shared<graph::GraphBudgets>(
        context.executor, net::http_client_options(config).max_connections_per_host);
  }
  return *context.graph_budgets;
}

// The Graph view of each tenant: its base URL, its Graph token and its request budget
// for `api`.
bool graph_tenants(const SourceConfig& source, const std::vector<std::string>& ids,
                   graph::GraphApi api, const Config& config, SourceContext& context,
                   std::vector<graph::GraphTenant>& out, std::string& error) {
  for (const std::string& id : ids) {
    const TenantConfig* tenant = config.find_tenant(id);
    if (tenant == nullptr) {
      error = "source " + source.name + ": unknown tenant " + id;
      return false;
    }
    graph::GraphTenant g;
    g.config = tenant;
    g.graph_url = tenant->graph_url;
    while (!g.graph_url.empty() && g.graph_url.back() == '/') g.graph_url.pop_back();
    g.tokens = context.tokens.get(*tenant, graph_scope(tenant->cloud), error);
    if (g.tokens == nullptr) {
      error = "source " + source.name + ": tenant " + id + ": " + error;
      return false;
    }
    g.http = context.tokens.client_for(*tenant, error);
    if (g.http == nullptr) {
      error = "source " + source.name + ": tenant " + id + ": " + error;
      return false;
    }
    g.budget = &graph_budgets(config, context).budget(tenant->id, api);
    out.push_back(std::move(g));
  }
  return true;
}

std::unique_ptr<Source> make_graph_poll(const SourceConfig& source,
                                        const GraphPollSourceConfig& settings, const Config& config,
                                        SourceContext& context, std::string& error) {
  graph::GraphPollSourceOptions options;
  options.name = source.name;
  options.endpoint = graph::graph_endpoint(source.kind);
  options.settings = settings;
  if (!graph_tenants(source, settings.tenants, options.endpoint->api, config, context,
                     options.tenants, error)) {
    return nullptr;
  }
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings.timeout);
  auto policy = std::make_shared<net::RetryPolicy>(graph::default_graph_retry_policy());
  net::HttpClient* http = &context.http;
  const graph::GraphFetchFactory make_fetch = [http, policy, timeout](const graph::GraphTenant& t) {
    return graph::GraphFetch([http, policy, timeout, t](std::string url) {
      return graph::graph_get(*http, t, std::move(url), *policy, timeout);
    });
  };
  return std::make_unique<graph::GraphPollSource>(context.executor, context.pipeline, context.state,
                                                  std::move(options), make_fetch,
                                                  context.graph_budgets);
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
      return make_graph_poll(source, std::get<GraphPollSourceConfig>(source.settings), config,
                             context, error);
    case SourceType::secure_score: {
      std::vector<graph::GraphTenant> tenants;
      if (!graph_tenants(source, std::get<SecureScoreSourceConfig>(source.settings).tenants,
                         graph::GraphApi::secure_score, config, context, tenants, error)) {
        return nullptr;
      }
      return make_secure_score_source(source, context, std::move(tenants));
    }
  }
  error = "source " + source.name + ": type " + source.type +
          " is not implemented in this build yet (see the README's Roadmap)";
  return nullptr;
}

}  // namespace secfeed
