// `secure_score` source: Microsoft Secure Score from Graph, per tenant.
//
//   * First run: the last `backfill_days` daily scores ($top=N), oldest first. No
//     score_change events for backfilled days (history is not news; a 90-day backfill
//     would flood the SIEM); the newest backfilled day is the trend baseline.
//   * Then every `interval`: the days after the checkpoint ($top = days since the
//     checkpoint + 1, doubled up to 90 while the answer does not reach the checkpoint,
//     so several days appearing between polls are never skipped). Each new day becomes
//     one secure_score event, one control_score event per control (joined with the
//     control profiles) and score_change events against the previous day.
//   * secureScoreControlProfiles at start and every `profiles_interval`: cached for the
//     join; a profile whose content hash differs from the last delivered one (state
//     store) is emitted as a control_profile event.
//
// Idempotence: a day's id is {tenant}_{date}; the checkpoint (state store scope
// "secure_score/<source>/<tenant>": last_date, snapshot, backfill_until, profile_hashes)
// moves only when every sink acked every event of the day (OrderedCheckpoints), so a
// restart re-sends at most the undelivered days and never a delivered one.
// Requests go through the tenant's Secure Score RequestBudget (4 concurrent, 10,000 per
// 10 min) in graph_get.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "connector/core/config.hpp"
#include "connector/sources/graph/graph_client.hpp"
#include "connector/sources/source.hpp"

namespace secfeed {

class Pipeline;
class StateStore;
struct SourceContext;

// One Graph GET of a tenant (graph::graph_get in the daemon; a fake in tests).
using SecureScoreFetch = std::function<boost::asio::awaitable<graph::GraphResponse>(
    const graph::GraphTenant& tenant, std::string url)>;

struct SecureScoreSourceOptions {
  std::string name = "secure_score";
  SecureScoreSourceConfig settings;
  std::vector<graph::GraphTenant> tenants;  // config, graph_url, tokens, budget
  SecureScoreFetch fetch;
  std::chrono::milliseconds commit_interval{1000};
  // Wall clock in ms since the epoch (default: the system clock); tests pin it.
  std::function<std::int64_t()> now_ms;
};

struct SecureScoreSourceStats {
  std::atomic<std::uint64_t> polls{0}, poll_errors{0}, days{0}, events{0}, score_changes{0},
      profile_fetches{0}, profile_changes{0}, rejected{0}, commits{0}, commit_errors{0};
};

class SecureScoreSource : public Source {
 public:
  SecureScoreSource(boost::asio::any_io_executor executor, Pipeline& pipeline, StateStore& state,
                    SecureScoreSourceOptions options);
  ~SecureScoreSource() override;
  SecureScoreSource(const SecureScoreSource&) = delete;
  SecureScoreSource& operator=(const SecureScoreSource&) = delete;

  // Reads every tenant's checkpoint from the state store.
  bool start(std::string& error) override;
  boost::asio::awaitable<void> run() override;
  void stop_fetching() override;
  // Commits what was delivered.
  void finish() override;

  const std::string& name() const override { return options_.name; }
  std::string status() const override;
  const SecureScoreSourceStats& stats() const { return stats_; }

 private:
  struct Impl;
  SecureScoreSourceOptions options_;
  SecureScoreSourceStats stats_;
  std::unique_ptr<Impl> impl_;
};

// The daemon's source: `tenants` from the registry (with their Secure Score budgets),
// fetches through graph::graph_get on the context's HTTP client.
std::unique_ptr<Source> make_secure_score_source(const SourceConfig& source, SourceContext& context,
                                                 std::vector<graph::GraphTenant> tenants);

}  // namespace secfeed
