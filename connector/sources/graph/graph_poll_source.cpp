#include "connector/sources/graph/graph_poll_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/log.hpp"

namespace secfeed::graph {

namespace asio = boost::asio;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

GraphPollSource::GraphPollSource(asio::any_io_executor executor, Pipeline& pipeline,
                                 StateStore& state, GraphPollSourceOptions options,
                                 const GraphFetchFactory& make_fetch,
                                 std::shared_ptr<void> keep_alive)
    : executor_(executor),
      options_(std::move(options)),
      workspaces_(executor, std::max<std::size_t>(1, options_.max_pages_in_memory)),
      keep_alive_(std::move(keep_alive)) {
  const GraphPollSourceConfig& s = options_.settings;
  bool clamped = false;
  const int page_size = clamp_page_size(*options_.endpoint, s.page_size, clamped);
  if (clamped) {
    log_warn("graph", options_.name + ": page_size " + std::to_string(s.page_size) +
                          " is outside 1.." + std::to_string(options_.endpoint->max_page_size) +
                          " for " + std::string(options_.endpoint->path) + "; using " +
                          std::to_string(page_size));
  }
  for (const GraphTenant& tenant : options_.tenants) {
    TenantPollerOptions o;
    o.source_name = options_.name;
    o.endpoint = options_.endpoint;
    o.tenant_id = tenant.config->id;
    o.tenant_name = tenant.config->name.empty() ? tenant.config->id : tenant.config->name;
    o.graph_url = tenant.graph_url;
    o.interval = duration_cast<milliseconds>(s.interval);
    o.lag = duration_cast<milliseconds>(s.lag);
    o.overlap = duration_cast<milliseconds>(s.overlap);
    o.initial_lookback = duration_cast<milliseconds>(s.initial_lookback);
    o.page_size = page_size;
    o.now_ms = options_.now_ms;
    pollers_.push_back(std::make_unique<TenantPoller>(executor, pipeline, state, workspaces_,
                                                      stats_, std::move(o), make_fetch(tenant)));
  }
}

GraphPollSource::~GraphPollSource() = default;

bool GraphPollSource::start(std::string& error) {
  if (pollers_.empty()) {
    error = "source " + options_.name + ": no tenants configured";
    return false;
  }
  log_info("graph", options_.name + ": polling " + std::string(options_.endpoint->path) + " for " +
                        std::to_string(pollers_.size()) + " tenant(s)");
  return true;
}

asio::awaitable<void> GraphPollSource::run() {
  std::size_t running = pollers_.size();
  asio::steady_timer all_done(executor_, asio::steady_timer::time_point::max());
  for (const auto& poller : pollers_) {
    asio::co_spawn(executor_, poller->run(),
                   [&running, &all_done, this, tenant = poller->tenant_id()](std::exception_ptr e) {
                     if (e) {
                       log_error("graph", options_.name + ": tenant loop stopped with an error",
                                 tenant);
                     }
                     if (--running == 0) all_done.cancel();
                   });
  }
  while (running > 0) {
    co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void GraphPollSource::stop_fetching() {
  for (const auto& poller : pollers_) poller->stop();
}

void GraphPollSource::finish() {
  for (const auto& poller : pollers_) {
    poller->stop();
    poller->commit();
  }
}

std::string GraphPollSource::status() const {
  std::size_t in_flight = 0;
  for (const auto& poller : pollers_) in_flight += poller->checkpoints().pages_in_flight();
  const GraphPollStats& s = *stats_;
  return "tenants=" + std::to_string(pollers_.size()) +
         " failing_tenants=" + std::to_string(s.failing_tenants.load()) +
         " pages=" + std::to_string(s.pages.load()) + " events=" + std::to_string(s.events.load()) +
         " duplicates_dropped=" + std::to_string(s.duplicates.load()) +
         " rejected=" + std::to_string(s.rejected.load()) +
         " failed_pages=" + std::to_string(s.failed_pages.load()) +
         " pages_in_flight=" + std::to_string(in_flight);
}

}  // namespace secfeed::graph
