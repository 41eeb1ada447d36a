#include "connector/sources/graph/tenant_poller.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/health.hpp"
#include "connector/core/json_reader.hpp"
#include "connector/core/log.hpp"
#include "connector/core/time.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/pipeline/pipeline.hpp"

namespace secfeed::graph {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr const char* kComponent = "graph";

metrics::Labels tenant_labels(const TenantPollerOptions& o) {
  return {{"source", o.source_name}, {"tenant", o.tenant_id}};
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The item's id and version timestamp, or the reason they are unusable.
bool version_of(const rapidjson::Value& item, std::string_view time_field, std::string_view& id,
                std::string_view& version, std::int64_t& version_ms, std::string& error) {
  if (!item.IsObject()) {
    error = "expected an object, got " + std::string(json_type_name(item));
    return false;
  }
  const rapidjson::Value* id_value = find_member(item, "id");
  if (id_value == nullptr || !id_value->IsString() || id_value->GetStringLength() == 0) {
    error = "id: expected a non-empty string";
    return false;
  }
  const rapidjson::Value* time_value = find_member(item, time_field);
  std::optional<std::int64_t> parsed;
  if (time_value != nullptr && time_value->IsString())
    parsed = parse_iso8601_ms(json_string(*time_value));
  if (!parsed) {
    error = std::string(time_field) + ": expected an ISO 8601 timestamp";
    return false;
  }
  id = json_string(*id_value);
  version = json_string(*time_value);
  version_ms = *parsed;
  return true;
}

// Monotonic: the planned start must not move with wall-clock steps.
std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::int64_t poll_start_delay_ms(std::optional<std::int64_t> previous_start_ms,
                                 std::int64_t planned_delay_ms, std::int64_t start_ms) {
  if (!previous_start_ms) return 0;
  return std::max<std::int64_t>(0, start_ms - (*previous_start_ms + planned_delay_ms));
}

struct TenantPoller::PageResult {
  std::string_view next_link;
  std::int64_t watermark_ms = 0;
  std::vector<VersionKey> keys;
};

TenantPoller::TenantPoller(asio::any_io_executor executor, Pipeline& pipeline, StateStore& state,
                           PageWorkspacePool& workspaces, std::shared_ptr<GraphPollStats> stats,
                           TenantPollerOptions options, GraphFetch fetch)
    : executor_(executor),
      pipeline_(pipeline),
      workspaces_(workspaces),
      stats_(std::move(stats)),
      options_(std::move(options)),
      fetch_(std::move(fetch)),
      checkpoints_(std::make_shared<TenantCheckpoints>(
          state, options_.source_name + "/" + options_.tenant_id, options_.overlap)),
      backoff_(std::max(options_.interval, milliseconds(1000)),
               std::max(options_.interval, options_.max_failure_backoff)),
      sleep_(executor),
      events_metric_(metrics::Registry::global().counter(
          "secfeed_source_events_total", "Events handed to the pipeline", tenant_labels(options_))),
      duplicates_metric_(metrics::Registry::global().counter(
          "secfeed_source_duplicates_total",
          "Item versions dropped because they were already delivered or in flight",
          tenant_labels(options_))),
      rejected_metric_(metrics::Registry::global().counter(
          "secfeed_source_rejected_total", "Items that could not be normalized (dead-lettered)",
          tenant_labels(options_))),
      throttled_metric_(metrics::Registry::global().counter("secfeed_graph_throttled_total",
                                                            "Graph answers 429 Too Many Requests",
                                                            tenant_labels(options_))),
      failures_metric_(metrics::Registry::global().counter(
          "secfeed_graph_poll_failures_total",
          "Polling rounds that ended early on a failed page (retried with backoff)",
          tenant_labels(options_))),
      last_success_metric_(metrics::Registry::global().gauge(
          "secfeed_source_last_success_timestamp_seconds",
          "When the last polling round completed (Unix time)", tenant_labels(options_))),
      rounds_metric_(metrics::Registry::global().counter(
          "secfeed_graph_polls_total", "Polling rounds started", tenant_labels(options_))),
      start_delay_metric_(metrics::Registry::global().gauge(
          "secfeed_graph_poll_start_delay_seconds",
          "How much later than planned (previous round's start + interval, or + the backoff "
          "after a failure) the last polling round started",
          tenant_labels(options_))) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
  HealthRegistry::global().set("source", options_.source_name, options_.tenant_id, false,
                               "first poll pending");
}

TenantPoller::~TenantPoller() = default;

std::int64_t TenantPoller::now_ms() const {
  return options_.now_ms();
}

void TenantPoller::stop() {
  stopping_ = true;
  sleep_.cancel();
}

void TenantPoller::commit() {
  std::string error;
  if (checkpoints_->commit_ready(error)) return;
  stats_->commit_errors.fetch_add(1);
  log_error(kComponent, options_.source_name + ": cannot commit the checkpoint: " + error,
            options_.tenant_id);
}

void TenantPoller::record_attempts(const GraphResponse& response) {
  for (int status : response.attempt_statuses) {
    metrics::Counter*& counter = requests_metric_[status];
    if (counter == nullptr) {
      metrics::Labels labels = tenant_labels(options_);
      labels.emplace_back("status", status == 0 ? std::string("error") : std::to_string(status));
      counter = &metrics::Registry::global().counter(
          "secfeed_graph_requests_total", "Graph requests by HTTP status (error: no answer)",
          labels);
    }
    counter->inc();
    if (status == 429) throttled_metric_.inc();
  }
}

void TenantPoller::report_failure(const std::string& error, bool auth) {
  stats_->failed_pages.fetch_add(1);
  failures_metric_.inc();
  ++consecutive_failures_;
  HealthRegistry::global().set("source", options_.source_name, options_.tenant_id, false, error);
  // Once per state change, not per attempt: a tenant without consent would otherwise
  // log the same 403 every interval forever.
  if (!failing_ || error != last_error_) {
    const std::string line = options_.source_name + ": " +
                             (auth ? "authorization failed: " : "poll failed: ") + error +
                             "; retrying with backoff";
    if (!failing_) {
      log_error(kComponent, line, options_.tenant_id);
      stats_->failing_tenants.fetch_add(1);
    } else {
      log_debug(kComponent, line, options_.tenant_id);
    }
  }
  failing_ = true;
  last_error_ = error;
}

void TenantPoller::report_success() {
  consecutive_failures_ = 0;
  last_success_metric_.set(static_cast<double>(now_ms()) / 1000.0);
  HealthRegistry::global().set("source", options_.source_name, options_.tenant_id, true, "polling");
  if (failing_) {
    log_info(kComponent, options_.source_name + ": polling works again", options_.tenant_id);
    stats_->failing_tenants.fetch_sub(1);
  }
  failing_ = false;
  last_error_.clear();
}

void TenantPoller::reject(PageWorkspace& workspace, std::size_t index, std::string_view reason,
                          std::string_view payload) {
  stats_->rejected.fetch_add(1, std::memory_order_relaxed);
  rejected_metric_.inc();
  DeadLetter letter;
  letter.stage = "normalize";
  letter.source = options_.source_name;
  letter.tenant_id = options_.tenant_id;
  workspace.position.assign(options_.endpoint->path).append(" value[");
  workspace.position.append(std::to_string(index)).append("]");
  letter.position = workspace.position;
  letter.reason = reason;
  letter.payload = payload;
  pipeline_.reject(letter);
}

bool TenantPoller::process_page(PageWorkspace& ws, const std::string& body,
                                std::int64_t base_watermark, std::int64_t end_ms,
                                PageResult& result) {
  ws.arena.reset();
  ws.events.clear();
  std::vector<const rapidjson::Value*> items;
  std::string parse_error;
  ws.reader.read(
      body, [&](const PayloadItem& item) { items.push_back(&item.value); },
      [&](const PayloadError& bad) {
        if (parse_error.empty()) parse_error = bad.reason;
      });
  const rapidjson::Value& root = ws.reader.root();
  const rapidjson::Value* value = root.IsObject() ? find_member(root, "value") : nullptr;
  if (!parse_error.empty() || value == nullptr || !value->IsArray()) {
    // The whole page is unusable (truncated, not a list): retried, never dead-lettered,
    // since nothing of it was delivered.
    ws.error = "GET " + std::string(options_.endpoint->path) + ": not a Graph list response: " +
               (parse_error.empty() ? std::string("no \"value\" array") : parse_error);
    return false;
  }
  if (!next_link(root, result.next_link, ws.error)) return false;
  if (!result.next_link.empty() && !same_origin(result.next_link, options_.graph_url)) {
    ws.error = "GET " + std::string(options_.endpoint->path) +
               ": @odata.nextLink points to another host; refusing to send the token there";
    return false;
  }
  const bool last_page = result.next_link.empty();

  const NormalizeContext ctx{
      ws.arena, options_.source_name, options_.tenant_id, options_.tenant_name, {}};
  std::int64_t newest = INT64_MIN;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const rapidjson::Value& item = *items[i];
    stats_->items.fetch_add(1, std::memory_order_relaxed);
    std::string_view id, version;
    std::int64_t version_ms = 0;
    if (!version_of(item, options_.endpoint->time_field, id, version, version_ms, ws.error)) {
      reject(ws, i, ws.error, json_text(item, ws.arena));
      continue;
    }
    // Across the pages of the window, not just within one.
    if (version_ms < window_previous_ms_) window_ordered_ = false;
    window_previous_ms_ = version_ms;
    newest = std::max(newest, version_ms);
    if (checkpoints_->check_and_claim(id, version)) {
      stats_->duplicates.fetch_add(1, std::memory_order_relaxed);
      duplicates_metric_.inc();
      continue;
    }
    // A rejected version is remembered too, so an overlapping window does not
    // dead-letter it twice.
    result.keys.push_back(VersionKey{std::string(id), std::string(version), version_ms});
    if (!normalize_item(options_.endpoint->payload, item, ctx, ws.events, ws.error)) {
      reject(ws, i, ws.error, json_text(item, ws.arena));
    }
  }

  // What this page proves was read: the whole window on the last page; else every
  // version older than the page's newest (pages are ordered by the version time; ties
  // continue on the next page and `ge` plus the overlap reads them again). If Graph did
  // not honour $orderby, only the window end proves anything.
  if (!window_ordered_ && !unordered_warned_) {
    unordered_warned_ = true;
    log_warn(kComponent,
             options_.source_name + ": a page was not ordered by " +
                 std::string(options_.endpoint->time_field) +
                 "; progress is saved only at the end of each window",
             options_.tenant_id);
  }
  if (last_page) {
    result.watermark_ms = std::max(base_watermark, end_ms);
  } else if (window_ordered_ && newest != INT64_MIN) {
    result.watermark_ms = std::clamp(newest, base_watermark, std::max(base_watermark, end_ms));
  } else {
    result.watermark_ms = base_watermark;
  }
  return true;
}

asio::awaitable<bool> TenantPoller::poll_once() {
  if (!loaded_) {
    std::string error;
    if (!checkpoints_->load(read_watermark_, error)) {
      // A damaged checkpoint must not stop the tenant: start over like a first run
      // (de-dup keys still drop what was delivered) and say so.
      log_error(kComponent,
                options_.source_name + ": " + error + "; starting from the initial lookback",
                options_.tenant_id);
    }
    loaded_ = true;
  }
  commit();  // retries a commit that failed (e.g. a full disk) even if no page completes
  stats_->rounds.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t now = now_ms();
  const std::int64_t end_ms = now - options_.lag.count();
  const std::int64_t start_ms = read_watermark_ ? *read_watermark_ - options_.overlap.count()
                                                : now - options_.initial_lookback.count();
  // The no-progress watermark: the next window starts where this one did.
  const std::int64_t base_watermark = start_ms + options_.overlap.count();
  if (end_ms <= start_ms) {
    report_success();
    co_return true;
  }
  window_ordered_ = true;
  window_previous_ms_ = INT64_MIN;
  std::string url =
      first_page_url(options_.graph_url, *options_.endpoint, start_ms, end_ms, options_.page_size);
  for (;;) {
    PageWorkspacePool::Lease workspace = co_await workspaces_.acquire();
    GraphResponse response = co_await fetch_(url);
    record_attempts(response);
    if (!response.ok) {
      report_failure(response.error, response.auth_failure);
      co_return false;
    }
    if (!response.warning.empty()) {
      log_warn(kComponent,
               options_.source_name + ": partial results (HTTP 206): " + response.warning,
               options_.tenant_id);
    }
    PageResult page;
    page.watermark_ms = base_watermark;
    if (!process_page(*workspace, response.body, base_watermark, end_ms, page)) {
      report_failure(workspace->error, false);
      co_return false;
    }
    std::string next(page.next_link);  // the body goes away with the workspace

    stats_->pages.fetch_add(1, std::memory_order_relaxed);
    const std::size_t event_count = workspace->events.size();
    stats_->events.fetch_add(event_count, std::memory_order_relaxed);
    events_metric_.inc(event_count);
    const TenantCheckpoints::Ticket ticket =
        checkpoints_->begin_page(std::move(page.keys), page.watermark_ms);
    read_watermark_ = std::max(read_watermark_.value_or(INT64_MIN), page.watermark_ms);
    // Sinks may ack from their own threads: hand the commit back to the executor.
    auto group = std::make_shared<AckGroup>(
        [checkpoints = checkpoints_, ticket, executor = executor_, stats = stats_,
         source = options_.source_name, tenant = options_.tenant_id] {
          checkpoints->page_done(ticket);
          asio::post(executor, [checkpoints, stats, source, tenant] {
            std::string error;
            if (checkpoints->commit_ready(error)) {
              stats->commits.fetch_add(1, std::memory_order_relaxed);
            } else {
              stats->commit_errors.fetch_add(1);
              log_error(kComponent, source + ": cannot commit the checkpoint: " + error, tenant);
            }
          });
        });
    if (event_count > 0) co_await pipeline_.dispatch(workspace->events, group);
    group->seal();

    if (next.empty()) break;
    if (stopping_) co_return false;  // a page boundary: the rest is read next start
    url = std::move(next);
  }
  report_success();
  co_return true;
}

asio::awaitable<void> TenantPoller::run() {
  while (!stopping_) {
    const std::int64_t start = steady_now_ms();
    start_delay_metric_.set(
        static_cast<double>(poll_start_delay_ms(previous_start_ms_, planned_delay_ms_, start)) /
        1000.0);
    rounds_metric_.inc();
    previous_start_ms_ = start;
    const bool completed = co_await poll_once();
    if (stopping_) break;
    milliseconds delay = options_.interval;
    if (!completed) delay = std::max(options_.interval, backoff_.next(consecutive_failures_));
    planned_delay_ms_ = delay.count();
    sleep_.expires_after(delay);
    co_await sleep_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace secfeed::graph
