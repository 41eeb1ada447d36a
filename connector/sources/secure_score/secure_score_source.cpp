#include "connector/sources/secure_score/secure_score_source.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "connector/core/ack.hpp"
#include "connector/core/health.hpp"
#include "connector/core/log.hpp"
#include "connector/core/metrics.hpp"
#include "connector/core/state_store.hpp"
#include "connector/core/time.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/pipeline/pipeline.hpp"
#include "connector/sources/secure_score/control_profile_cache.hpp"
#include "connector/sources/secure_score/score_days.hpp"
#include "connector/sources/source_registry.hpp"

namespace secfeed {

namespace asio = boost::asio;

namespace {

constexpr const char* kComponent = "secure_score";
constexpr int kMaxTop = 90;  // Graph keeps 90 daily scores
// A day's events need a few KB of derived text; Arena's 64 KB default is for pages.
constexpr std::size_t kDayArenaChunk = 8 * 1024;

// State store keys of one tenant.
constexpr std::string_view kLastDate = "last_date";
constexpr std::string_view kSnapshot = "snapshot";
constexpr std::string_view kBackfillUntil = "backfill_until";
constexpr std::string_view kProfileHashes = "profile_hashes";

struct DayCheckpoint {
  std::string date, snapshot, backfill_until;
};

// Days from yyyy-mm-dd to the day of `now_ms` (UTC); 0 when the date does not parse.
std::int64_t days_since(std::string_view date, std::int64_t now_ms) {
  // The checkpoint comes from the state store: anything but yyyy-mm-dd counts as today.
  if (!is_iso_date(date)) return 0;
  const auto number = [&](std::size_t at, std::size_t n) {
    std::int64_t v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (date[i] - '0');
    return v;
  };
  const std::int64_t day = days_from_civil(number(0, 4), static_cast<unsigned>(number(5, 2)),
                                           static_cast<unsigned>(number(8, 2)));
  constexpr std::int64_t kMsPerDay = 86'400'000;
  const std::int64_t today = now_ms >= 0 ? now_ms / kMsPerDay : (now_ms + 1) / kMsPerDay - 1;
  return today - day;
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct SecureScoreSource::Impl {
  struct Tenant {
    Tenant(asio::any_io_executor executor, graph::GraphTenant graph_tenant)
        : graph(std::move(graph_tenant)), timer(executor) {}
    graph::GraphTenant graph;
    std::string id, name, scope;
    // What was dispatched (ahead of what is committed).
    std::string last_date, backfill_until;
    std::optional<ScoreSnapshot> previous;
    std::map<std::string, std::string, std::less<>> profile_hashes;
    std::string last_error;  // logged once until it changes or polling works again
    ControlProfileCache profiles;
    std::chrono::steady_clock::time_point profiles_due{};
    // Shared with the AckGroups' completions, which sinks may run after we are
    // gone.
    std::shared_ptr<OrderedCheckpoints<DayCheckpoint>> days =
        std::make_shared<OrderedCheckpoints<DayCheckpoint>>();
    std::shared_ptr<OrderedCheckpoints<std::string>> profile_commits =
        std::make_shared<OrderedCheckpoints<std::string>>();
    asio::steady_timer timer;
    metrics::Counter* days_total = nullptr;
    metrics::Counter* changes_total = nullptr;
    metrics::Counter* profile_changes_total = nullptr;
    metrics::Counter* poll_errors_total = nullptr;
    metrics::Gauge* current_score = nullptr;
    metrics::Gauge* percentage = nullptr;
    metrics::Gauge* last_success = nullptr;
  };

  Impl(asio::any_io_executor executor, Pipeline& pipeline, StateStore& state,
       const SecureScoreSourceOptions& options, SecureScoreSourceStats& stats)
      : executor(executor),
        pipeline(pipeline),
        state(state),
        options(options),
        stats(stats),
        all_done(executor, asio::steady_timer::time_point::max()),
        commit_timer(executor) {}

  bool load(Tenant& tenant, std::string& error);
  // One GET with request metrics; a failure is counted, logged once and made the health.
  asio::awaitable<graph::GraphResponse> fetch(Tenant& tenant, const std::string& url);
  asio::awaitable<void> tenant_loop(Tenant& tenant);
  asio::awaitable<bool> refresh_profiles(Tenant& tenant);
  asio::awaitable<bool> poll_scores(Tenant& tenant);
  asio::awaitable<void> committer();
  void commit_ready();
  void reject(Tenant& tenant, std::string_view position, std::string_view reason,
              std::string_view payload);
  void set_health(Tenant& tenant, bool ready, const std::string& detail);

  asio::any_io_executor executor;
  Pipeline& pipeline;
  StateStore& state;
  const SecureScoreSourceOptions& options;
  SecureScoreSourceStats& stats;
  std::vector<std::unique_ptr<Tenant>> tenants;
  std::atomic<bool> stopping{false};
  std::size_t running = 0;
  asio::steady_timer all_done;
  asio::steady_timer commit_timer;
  std::mutex commit_mutex;  // commit_ready() runs on the io thread and in finish()
};

bool SecureScoreSource::Impl::load(Tenant& tenant, std::string& error) {
  tenant.id = tenant.graph.config->id;
  tenant.name = tenant.graph.config->name.empty() ? tenant.id : tenant.graph.config->name;
  tenant.scope = "secure_score/" + options.name + "/" + tenant.id;
  tenant.last_date = state.get(tenant.scope, kLastDate).value_or("");
  tenant.backfill_until = state.get(tenant.scope, kBackfillUntil).value_or("");
  if (const auto snapshot = state.get(tenant.scope, kSnapshot)) {
    tenant.previous = ScoreSnapshot::parse(*snapshot);
    if (!tenant.previous) {
      log_warn(kComponent, options.name + ": tenant " + tenant.id +
                               ": stored score snapshot is unreadable; the next day has no "
                               "trend baseline");
    }
  }
  if (const auto hashes = state.get(tenant.scope, kProfileHashes)) {
    tenant.profile_hashes = ControlProfileCache::parse_hashes(*hashes);
  }
  const metrics::Labels labels = {{"source", options.name}, {"tenant", tenant.id}};
  auto& registry = metrics::Registry::global();
  tenant.days_total =
      &registry.counter("secfeed_secure_score_days_total", "Daily Secure Scores forwarded", labels);
  tenant.changes_total = &registry.counter("secfeed_secure_score_changes_total",
                                           "score_change events emitted", labels);
  tenant.profile_changes_total =
      &registry.counter("secfeed_secure_score_profile_changes_total",
                        "control_profile events emitted (new or changed profiles)", labels);
  tenant.poll_errors_total = &registry.counter("secfeed_secure_score_poll_errors_total",
                                               "Failed Secure Score polls", labels);
  tenant.current_score = &registry.gauge("secfeed_secure_score_current_score",
                                         "Newest forwarded Secure Score", labels);
  tenant.percentage = &registry.gauge("secfeed_secure_score_percentage",
                                      "Newest forwarded Secure Score in % of the maximum", labels);
  tenant.last_success =
      &registry.gauge("secfeed_source_last_success_timestamp_seconds",
                      "When the last polling round completed (Unix time)", labels);
  set_health(tenant, false, "first poll pending");
  (void)error;
  return true;
}

void SecureScoreSource::Impl::set_health(Tenant& tenant, bool ready, const std::string& detail) {
  HealthRegistry::global().set("source", options.name, tenant.id, ready, detail);
}

void SecureScoreSource::Impl::reject(Tenant& tenant, std::string_view position,
                                     std::string_view reason, std::string_view payload) {
  stats.rejected.fetch_add(1, std::memory_order_relaxed);
  DeadLetter letter;
  letter.time_ms = options.now_ms();
  letter.stage = "normalize";
  letter.source = options.name;
  letter.tenant_id = tenant.id;
  letter.position = position;
  letter.reason = reason;
  letter.payload = payload;
  pipeline.reject(letter);
}

asio::awaitable<graph::GraphResponse> SecureScoreSource::Impl::fetch(Tenant& tenant,
                                                                     const std::string& url) {
  graph::GraphResponse response = co_await options.fetch(tenant.graph, url);
  for (const int status : response.attempt_statuses) {
    metrics::Labels labels = {{"source", options.name}, {"tenant", tenant.id}};
    labels.emplace_back("status", status == 0 ? std::string("error") : std::to_string(status));
    metrics::Registry::global()
        .counter("secfeed_graph_requests_total", "Graph requests by HTTP status (error: no answer)",
                 labels)
        .inc();
  }
  if (response.ok) co_return response;
  tenant.poll_errors_total->inc();
  stats.poll_errors.fetch_add(1, std::memory_order_relaxed);
  // Once per state change, not per attempt: a tenant without consent would otherwise log
  // the same 403 every retry.
  if (response.error != tenant.last_error) {
    log_error(kComponent, options.name + ": " + response.error + "; retrying", tenant.id);
    tenant.last_error = response.error;
  }
  set_health(tenant, false, response.error);
  co_return response;
}

asio::awaitable<bool> SecureScoreSource::Impl::refresh_profiles(Tenant& tenant) {
  stats.profile_fetches.fetch_add(1, std::memory_order_relaxed);
  const std::string base = tenant.graph.graph_url;
  std::string url = base + "/v1.0/security/secureScoreControlProfiles";
  std::vector<ControlProfileCache::Rejected> rejected;
  std::string error;
  tenant.profiles.begin();
  for (int page = 0; !url.empty(); ++page) {
    graph::GraphResponse response = co_await fetch(tenant, url);
    if (!response.ok) co_return false;
    if (!tenant.profiles.add_page(response.body, options.name, tenant.id, tenant.name, rejected,
                                  error)) {
      reject(tenant, "secureScoreControlProfiles page " + std::to_string(page), error,
             response.body);
      co_return false;
    }
    // Follow @odata.nextLink as given, but never to another host (it would get
    // the token).
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(response.body.data(), response.body.size());
    std::string_view link;
    if (!graph::next_link(doc, link, error)) {
      reject(tenant, "secureScoreControlProfiles page " + std::to_string(page), error, {});
      co_return false;
    }
    if (!link.empty() && !graph::same_origin(link, base)) {
      log_warn(kComponent,
               options.name + ": tenant " + tenant.id + ": ignoring a nextLink to another origin");
      link = {};
    }
    url.assign(link);
  }
  for (const auto& bad : rejected) {
    reject(tenant, "secureScoreControlProfiles " + bad.position, bad.reason, bad.payload);
  }
  tenant.profiles.commit();

  // Emit the profiles whose content changed since the last delivered emission.
  const EventBatch& all = tenant.profiles.events();
  EventBatch changed;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto stored = tenant.profile_hashes.find(all[i].id);
    if (stored != tenant.profile_hashes.end() && stored->second == tenant.profiles.hash(i)) {
      continue;
    }
    Event& e = changed.add();
    e = all[i];
    // The control's id under the same key as on control_score (CEF cs2 ControlName).
    if (e.find_attribute("control_name") == nullptr) e.add_string("control_name", e.id);
  }
  tenant.profile_hashes = ControlProfileCache::parse_hashes(tenant.profiles.hashes_json());
  if (!changed.empty()) {
    const auto ticket = tenant.profile_commits->begin(tenant.profiles.hashes_json());
    auto group = std::make_shared<AckGroup>(
        [commits = tenant.profile_commits, ticket] { commits->complete(ticket); });
    co_await pipeline.dispatch(changed, group);
    group->seal();
    tenant.profile_changes_total->inc(changed.size());
    stats.profile_changes.fetch_add(changed.size(), std::memory_order_relaxed);
    stats.events.fetch_add(changed.size(), std::memory_order_relaxed);
  }
  co_return true;
}

asio::awaitable<bool> SecureScoreSource::Impl::poll_scores(Tenant& tenant) {
  stats.polls.fetch_add(1, std::memory_order_relaxed);
  const bool first_run = tenant.last_date.empty();
  int top = first_run ? options.settings.backfill_days
                      : static_cast<int>(std::clamp<std::int64_t>(
                            days_since(tenant.last_date, options.now_ms()) + 1, 2, kMaxTop));
  rapidjson::Document doc;
  NewDays days;
  // Reused per day of this poll: events view into `doc` and this arena. Locals, not
  // per-tenant members: a new day comes once a day, and per-tenant buffers kept at
  // their peak size cost ~100 KB per tenant for the rest of the process's life.
  Arena arena(kDayArenaChunk);
  EventBatch events;
  for (;;) {
    const std::string url =
        tenant.graph.graph_url + "/v1.0/security/secureScores?$top=" + std::to_string(top);
    graph::GraphResponse response = co_await fetch(tenant, url);
    if (!response.ok) co_return false;
    doc.Parse<rapidjson::kParseIterativeFlag>(response.body.data(), response.body.size());
    const rapidjson::Value* list = nullptr;
    if (!doc.HasParseError() && doc.IsObject()) {
      const auto value = doc.FindMember("value");
      if (value != doc.MemberEnd() && value->value.IsArray()) list = &value->value;
    }
    if (list == nullptr) {
      reject(tenant, "secureScores", "the response is not a Graph list ({\"value\":[...]})",
             response.body);
      co_return false;
    }
    days = select_new_days(*list, tenant.last_date);
    for (const std::size_t index : days.undated) {
      reject(tenant, "secureScores value[" + std::to_string(index) + "]",
             "id: expected {tenantId}_{yyyy-mm-dd} (or a createdDateTime)",
             json_text((*list)[static_cast<rapidjson::SizeType>(index)], arena));
    }
    // Every returned day is new and the answer is full: older new days may be
    // missing.
    const bool maybe_gap = !first_run && !days.reaches_checkpoint &&
                           list->Size() >= static_cast<rapidjson::SizeType>(top);
    if (!maybe_gap || top >= kMaxTop) break;
    top = std::min(kMaxTop, top * 2);
  }
  if (first_run && !days.items.empty()) {
    tenant.backfill_until = day_of(*days.items.back());
  }

  std::string error;
  for (const rapidjson::Value* item : days.items) {
    const std::string date = day_of(*item);
    arena.reset();
    events.clear();
    const bool backfilled = !tenant.backfill_until.empty() && date <= tenant.backfill_until;
    DayContext ctx{
        arena,
        options.name,
        tenant.id,
        tenant.name,
        &tenant.profiles,
        TrendOptions{options.settings.score_drop_threshold, options.settings.control_regression}};
    ScoreSnapshot snapshot;
    const ScoreSnapshot* previous = backfilled || !tenant.previous ? nullptr : &*tenant.previous;
    if (!build_day_events(*item, ctx, previous, events, snapshot, error)) {
      // Handled (dead-lettered): the day is passed over, the trend keeps its
      // baseline.
      reject(tenant, "secureScores " + date, error, json_text(*item, arena));
      tenant.last_date = date;
      tenant.days->complete(tenant.days->begin(
          DayCheckpoint{date, tenant.previous ? tenant.previous->serialize() : std::string(),
                        tenant.backfill_until}));
      continue;
    }
    const auto ticket =
        tenant.days->begin(DayCheckpoint{date, snapshot.serialize(), tenant.backfill_until});
    auto group =
        std::make_shared<AckGroup>([days = tenant.days, ticket] { days->complete(ticket); });
    std::size_t changes = 0;
    for (const Event& e : events) changes += e.kind == EventKind::score_change;
    co_await pipeline.dispatch(events, group);
    group->seal();
    tenant.last_date = date;
    tenant.previous = std::move(snapshot);
    tenant.days_total->inc();
    tenant.changes_total->inc(changes);
    tenant.current_score->set(tenant.previous->current_score);
    tenant.percentage->set(tenant.previous->max_score > 0
                               ? tenant.previous->current_score / tenant.previous->max_score * 100
                               : 0);
    stats.days.fetch_add(1, std::memory_order_relaxed);
    stats.score_changes.fetch_add(changes, std::memory_order_relaxed);
    stats.events.fetch_add(events.size(), std::memory_order_relaxed);
    if (stopping.load()) break;  // the rest is fetched again after the restart
  }
  if (!tenant.last_error.empty()) {
    log_info(kComponent, options.name + ": polling works again", tenant.id);
    tenant.last_error.clear();
  }
  tenant.last_success->set(static_cast<double>(options.now_ms()) / 1000.0);
  set_health(tenant, true,
             tenant.last_date.empty() ? "no daily score yet" : "newest day " + tenant.last_date);
  co_return true;
}

asio::awaitable<void> SecureScoreSource::Impl::tenant_loop(Tenant& tenant) {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::duration_cast<Clock::duration>(options.settings.interval);
  const auto profiles_interval =
      std::chrono::duration_cast<Clock::duration>(options.settings.profiles_interval);
  // After a failure, try again sooner than a whole interval (but not in a tight
  // loop).
  const Clock::duration retry = std::min<Clock::duration>(interval, std::chrono::seconds(60));
  while (!stopping.load()) {
    bool ok = true;
    if (!tenant.profiles.loaded() || Clock::now() >= tenant.profiles_due) {
      if (co_await refresh_profiles(tenant)) {
        tenant.profiles_due = Clock::now() + profiles_interval;
      } else {
        ok = false;
      }
    }
    // Without profiles the control scores would miss their join for good: wait
    // for them.
    if (!stopping.load() && tenant.profiles.loaded()) ok = co_await poll_scores(tenant) && ok;
    if (stopping.load()) break;
    Clock::time_point next = Clock::now() + (ok ? interval : retry);
    if (tenant.profiles.loaded()) next = std::min(next, tenant.profiles_due);
    tenant.timer.expires_at(next);
    co_await tenant.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void SecureScoreSource::Impl::commit_ready() {
  std::lock_guard lock(commit_mutex);
  std::string error;
  for (const auto& tenant : tenants) {
    StateStore::Commit commit;
    commit.scope = tenant->scope;
    if (std::optional<DayCheckpoint> day = tenant->days->committable()) {
      commit.values.push_back({std::string(kLastDate), day->date});
      if (!day->snapshot.empty()) commit.values.push_back({std::string(kSnapshot), day->snapshot});
      if (!day->backfill_until.empty()) {
        commit.values.push_back({std::string(kBackfillUntil), day->backfill_until});
      }
    }
    if (std::optional<std::string> hashes = tenant->profile_commits->committable()) {
      commit.values.push_back({std::string(kProfileHashes), std::move(*hashes)});
    }
    if (commit.values.empty()) continue;
    if (state.commit(commit, error)) {
      stats.commits.fetch_add(1, std::memory_order_relaxed);
    } else {
      // Not fatal: the next start re-sends from the older checkpoint
      // (at-least-once).
      stats.commit_errors.fetch_add(1, std::memory_order_relaxed);
      log_warn(kComponent, options.name + ": tenant " + tenant->id + ": " + error);
    }
  }
}

asio::awaitable<void> SecureScoreSource::Impl::committer() {
  while (running > 0) {
    commit_timer.expires_after(options.commit_interval);
    co_await commit_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    commit_ready();
  }
}

SecureScoreSource::SecureScoreSource(asio::any_io_executor executor, Pipeline& pipeline,
                                     StateStore& state, SecureScoreSourceOptions options)
    : options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
  impl_ = std::make_unique<Impl>(executor, pipeline, state, options_, stats_);
  for (const graph::GraphTenant& tenant : options_.tenants) {
    impl_->tenants.push_back(std::make_unique<Impl::Tenant>(executor, tenant));
  }
}

SecureScoreSource::~SecureScoreSource() {
  for (const auto& tenant : impl_->tenants) {
    HealthRegistry::global().remove("source", options_.name, tenant->id);
  }
}

bool SecureScoreSource::start(std::string& error) {
  for (const auto& tenant : impl_->tenants) {
    if (tenant->graph.config == nullptr) {
      error = options_.name + ": a tenant has no configuration";
      return false;
    }
    if (!impl_->load(*tenant, error)) return false;
  }
  return true;
}

asio::awaitable<void> SecureScoreSource::run() {
  Impl& impl = *impl_;
  impl.running = impl.tenants.size();
  for (const auto& tenant : impl.tenants) {
    asio::co_spawn(
        impl.executor, impl.tenant_loop(*tenant), [&impl, id = tenant->id](std::exception_ptr e) {
          if (e)
            log_error(kComponent,
                      impl.options.name + ": tenant " + id + ": poller stopped with an error");
          if (--impl.running == 0) {
            impl.all_done.cancel();
            impl.commit_timer.cancel();
          }
        });
  }
  if (impl.running > 0) {
    asio::co_spawn(impl.executor, impl.committer(), [](std::exception_ptr) {});
    // A loop: a cancel() that came before the wait began must not leave us waiting.
    while (impl.running > 0) {
      co_await impl.all_done.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
  impl.commit_ready();
}

void SecureScoreSource::stop_fetching() {
  impl_->stopping = true;
  asio::post(impl_->executor, [impl = impl_.get()] {
    for (const auto& tenant : impl->tenants) tenant->timer.cancel();
  });
}

void SecureScoreSource::finish() {
  impl_->commit_ready();
}

std::string SecureScoreSource::status() const {
  std::size_t in_flight = 0;
  for (const auto& tenant : impl_->tenants) in_flight += tenant->days->in_flight();
  return "tenants=" + std::to_string(impl_->tenants.size()) +
         " polls=" + std::to_string(stats_.polls.load()) +
         " days=" + std::to_string(stats_.days.load()) +
         " events=" + std::to_string(stats_.events.load()) +
         " score_changes=" + std::to_string(stats_.score_changes.load()) +
         " profile_changes=" + std::to_string(stats_.profile_changes.load()) +
         " errors=" + std::to_string(stats_.poll_errors.load()) +
         " rejected=" + std::to_string(stats_.rejected.load()) +
         " in_flight=" + std::to_string(in_flight);
}

std::unique_ptr<Source> make_secure_score_source(const SourceConfig& source, SourceContext& context,
                                                 std::vector<graph::GraphTenant> tenants) {
  SecureScoreSourceOptions options;
  options.name = source.name;
  options.settings = std::get<SecureScoreSourceConfig>(source.settings);
  options.tenants = std::move(tenants);
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(options.settings.timeout);
  auto policy = std::make_shared<net::RetryPolicy>(graph::default_graph_retry_policy());
  net::HttpClient* http = &context.http;
  options.fetch = [http, policy, timeout](const graph::GraphTenant& tenant, std::string url) {
    return graph::graph_get(*http, tenant, std::move(url), *policy, timeout);
  };
  return std::make_unique<SecureScoreSource>(context.executor, context.pipeline, context.state,
                                             std::move(options));
}

}  // namespace secfeed
