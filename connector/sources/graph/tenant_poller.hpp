// The polling loop of one (Graph source, tenant): each round reads the window
// [watermark - overlap, now - lag) page by page (`$orderby` on the version timestamp,
// @odata.nextLink followed as is), drops versions already committed or in flight,
// normalizes, dispatches each page with an AckGroup, and commits the watermark and the
// page's de-dup keys once every sink delivered the page (TenantCheckpoints).
//
// A failed page ends the round: nothing after it is read, nothing past it committed;
// the tenant turns not-ready in HealthRegistry (logged once per state change) and the
// next round comes after an exponential backoff. Other tenants run their own loops and
// are never delayed by it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connector/core/backoff.hpp"
#include "connector/core/metrics.hpp"
#include "connector/sources/graph/graph_checkpoint.hpp"
#include "connector/sources/graph/graph_client.hpp"
#include "connector/sources/graph/graph_query.hpp"
#include "connector/sources/graph/page_workspace.hpp"

namespace secfeed {
class Pipeline;
class StateStore;
}  // namespace secfeed

namespace secfeed::graph {

// Counters of one source, summed over its tenants (the status line).
struct GraphPollStats {
  std::atomic<std::uint64_t> rounds{0}, pages{0}, items{0}, events{0}, duplicates{0}, rejected{0},
      failed_pages{0}, commits{0}, commit_errors{0};
  std::atomic<std::size_t> failing_tenants{0};
};

// How much later than planned a polling round starts: planned is the previous round's
// start plus the delay the loop chose after it (the interval, or the backoff after a
// failure). The loop sleeps that delay after a round *ends*, so this is the previous
// round's duration (paging, queueing for a connection or a page slot) plus the timer's
// own lateness: what stretches "every interval" for this tenant. 0 for the first round
// (no previous start) and never negative.
std::int64_t poll_start_delay_ms(std::optional<std::int64_t> previous_start_ms,
                                 std::int64_t planned_delay_ms, std::int64_t start_ms);

// Fetches one page: production binds graph_get to the tenant; tests script it.
using GraphFetch = std::function<boost::asio::awaitable<GraphResponse>(std::string url)>;

struct TenantPollerOptions {
  std::string source_name;
  const GraphEndpoint* endpoint = nullptr;
  std::string tenant_id, tenant_name;
  std::string graph_url;  // base, no trailing slash
  std::chrono::milliseconds interval{60'000}, lag{300'000}, overlap{60'000};
  std::chrono::milliseconds initial_lookback{86'400'000};
  int page_size = 1000;
  std::chrono::milliseconds max_failure_backoff{900'000};
  // Wall clock in ms since the epoch (tests pin it).
  std::function<std::int64_t()> now_ms;
};

class TenantPoller {
 public:
  TenantPoller(boost::asio::any_io_executor executor, Pipeline& pipeline, StateStore& state,
               PageWorkspacePool& workspaces, std::shared_ptr<GraphPollStats> stats,
               TenantPollerOptions options, GraphFetch fetch);
  ~TenantPoller();
  TenantPoller(const TenantPoller&) = delete;
  TenantPoller& operator=(const TenantPoller&) = delete;

  // Rounds until stop(); returns at a page boundary.
  boost::asio::awaitable<void> run();
  // One round (a whole window, or up to the first failure). True when it completed.
  boost::asio::awaitable<bool> poll_once();
  // Ends run() at the next page boundary (wakes it from its sleep).
  void stop();
  // Commits what was delivered (also done after each delivered page). Call on the
  // executor's thread, or after it stopped.
  void commit();

  bool failing() const { return failing_; }
  const TenantCheckpoints& checkpoints() const { return *checkpoints_; }
  const std::string& tenant_id() const { return options_.tenant_id; }

 private:
  struct PageResult;
  // False with workspace.error when the page as a whole is unusable.
  bool process_page(PageWorkspace& workspace, const std::string& body, std::int64_t base_watermark,
                    std::int64_t end_ms, PageResult& result);
  // Dead-letters item `index` of the page ("/v1.0/security/alerts_v2 value[7]").
  void reject(PageWorkspace& workspace, std::size_t index, std::string_view reason,
              std::string_view payload);
  void record_attempts(const GraphResponse& response);
  void report_failure(const std::string& error, bool auth);
  void report_success();
  std::int64_t now_ms() const;

  boost::asio::any_io_executor executor_;
  Pipeline& pipeline_;
  PageWorkspacePool& workspaces_;
  std::shared_ptr<GraphPollStats> stats_;  // shared with ack completions
  TenantPollerOptions options_;
  GraphFetch fetch_;
  std::shared_ptr<TenantCheckpoints> checkpoints_;
  std::optional<std::int64_t> read_watermark_;  // dispatched (>= committed)
  bool loaded_ = false;
  bool stopping_ = false;
  bool failing_ = false;
  bool unordered_warned_ = false;
  // Whether the current window's versions came in $orderby order so far (pages only
  // prove progress up to their newest version when they did).
  bool window_ordered_ = true;
  std::int64_t window_previous_ms_ = INT64_MIN;
  unsigned consecutive_failures_ = 0;
  std::string last_error_;
  Backoff backoff_;
  boost::asio::steady_timer sleep_;
  // Metrics (labels source, tenant); requests per HTTP status created on first use.
  metrics::Counter& events_metric_;
  metrics::Counter& duplicates_metric_;
  metrics::Counter& rejected_metric_;
  metrics::Counter& throttled_metric_;
  metrics::Counter& failures_metric_;
  metrics::Gauge& last_success_metric_;
  metrics::Counter& rounds_metric_;
  metrics::Gauge& start_delay_metric_;
  // The last round's start (steady clock, ms) and the delay planned after it.
  std::optional<std::int64_t> previous_start_ms_;
  std::int64_t planned_delay_ms_ = 0;
  std::map<int, metrics::Counter*> requests_metric_;
};

}  // namespace secfeed::graph
