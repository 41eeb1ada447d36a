// The request budgets of every Graph poller in the process: one per (tenant, API), all
// under one process-wide concurrency bound, so that Secure Score, alerts and incidents
// of the same tenant each keep to their own documented limit while every tenant waits
// its turn (FIFO) for the shared connections.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/any_io_executor.hpp>

#include "connector/sources/graph/request_budget.hpp"

namespace secfeed::graph {

enum class GraphApi { alerts_v2, legacy_alerts, incidents, secure_score };

// Documented Graph limits per app per tenant (shared/specs/graph-security-api.md):
// alerts 150 requests per minute (incidents and legacy alerts: assumed the same);
// Secure Score and control profiles 4 concurrent and 10,000 per 10 minutes.
BudgetLimits graph_api_limits(GraphApi api);

class GraphBudgets {
 public:
  // `max_concurrent`: requests in flight across all tenants; match it to the HTTP
  // client's per-host connection limit so requests wait here (FIFO, no deadline
  // running) rather than in the connection pool (where their timeout already runs).
  GraphBudgets(boost::asio::any_io_executor executor, std::size_t max_concurrent);

  // Created on first use; the reference stays valid for the registry's lifetime.
  RequestBudget& budget(std::string_view tenant_id, GraphApi api);
  RequestBudget& process_wide() { return process_wide_; }

 private:
  boost::asio::any_io_executor executor_;
  RequestBudget process_wide_;
  std::map<std::pair<std::string, GraphApi>, std::unique_ptr<RequestBudget>, std::less<>> budgets_;
};

}  // namespace secfeed::graph
