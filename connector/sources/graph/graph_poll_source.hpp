// `graph_alerts` (alerts_v2), `graph_incidents` and `graph_legacy_alerts`: one Source
// per configured source covering all its tenants, with one TenantPoller coroutine per
// tenant, so a throttled or failing tenant never delays the others. Per tenant the
// requests keep to Graph's limits (RequestBudget) and progress is committed only past
// what every sink delivered (TenantCheckpoints): at-least-once, duplicates of a replay
// dropped by the committed de-dup keys.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/core/config.hpp"
#include "connector/sources/graph/graph_client.hpp"
#include "connector/sources/graph/graph_query.hpp"
#include "connector/sources/graph/page_workspace.hpp"
#include "connector/sources/graph/tenant_poller.hpp"
#include "connector/sources/source.hpp"

namespace secfeed {
class Pipeline;
class StateStore;
}  // namespace secfeed

namespace secfeed::graph {

struct GraphPollSourceOptions {
  std::string name;
  const GraphEndpoint* endpoint = nullptr;
  GraphPollSourceConfig settings;
  std::vector<GraphTenant> tenants;
  std::size_t max_pages_in_memory = 8;
  std::function<std::int64_t()> now_ms;  // tests; default the system clock
};

// Makes the page fetcher of one tenant (production: graph_get; tests: a script).
using GraphFetchFactory = std::function<GraphFetch(const GraphTenant& tenant)>;

class GraphPollSource : public Source {
 public:
  GraphPollSource(boost::asio::any_io_executor executor, Pipeline& pipeline, StateStore& state,
                  GraphPollSourceOptions options, const GraphFetchFactory& make_fetch,
                  std::shared_ptr<void> keep_alive = {});
  ~GraphPollSource() override;

  const std::string& name() const override { return options_.name; }
  bool start(std::string& error) override;
  boost::asio::awaitable<void> run() override;
  void stop_fetching() override;
  void finish() override;
  std::string status() const override;

  const GraphPollStats& stats() const { return *stats_; }
  const std::vector<std::unique_ptr<TenantPoller>>& pollers() const { return pollers_; }

 private:
  boost::asio::any_io_executor executor_;
  GraphPollSourceOptions options_;
  std::shared_ptr<GraphPollStats> stats_ = std::make_shared<GraphPollStats>();
  PageWorkspacePool workspaces_;
  std::vector<std::unique_ptr<TenantPoller>> pollers_;
  std::shared_ptr<void> keep_alive_;  // what the tenants' pointers point into (budgets)
};

}  // namespace secfeed::graph
