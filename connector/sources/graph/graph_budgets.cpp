#include "connector/sources/graph/graph_budgets.hpp"

namespace secfeed::graph {

using namespace std::chrono_literals;

BudgetLimits graph_api_limits(GraphApi api) {
  switch (api) {
    case GraphApi::secure_score:
      return BudgetLimits{4, 10'000, std::chrono::milliseconds(10min)};
    case GraphApi::alerts_v2:
    case GraphApi::legacy_alerts:
    case GraphApi::incidents:
      break;
  }
  return BudgetLimits{4, 150, std::chrono::milliseconds(1min)};
}

GraphBudgets::GraphBudgets(boost::asio::any_io_executor executor, std::size_t max_concurrent)
    : executor_(executor), process_wide_(executor, BudgetLimits{max_concurrent, 0, {}}) {}

RequestBudget& GraphBudgets::budget(std::string_view tenant_id, GraphApi api) {
  auto key = std::make_pair(std::string(tenant_id), api);
  auto it = budgets_.find(key);
  if (it == budgets_.end()) {
    it = budgets_
             .emplace(std::move(key), std::make_unique<RequestBudget>(
                                          executor_, graph_api_limits(api), &process_wide_))
             .first;
  }
  return *it->second;
}

}  // namespace secfeed::graph
