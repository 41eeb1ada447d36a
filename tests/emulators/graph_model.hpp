// Per-tenant alert and incident history. Alerts are append-only lists of versions
// (status new -> inProgress -> resolved, each bumping lastUpdateDateTime), each version
// visible in the API only from `visible_at` on (Graph shows alerts minutes after they
// happen). "The API at time T" is therefore a pure function of T, which makes snapshot
// paging and the ground truth exact.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clock.hpp"

namespace secfeed::emulator {

// Deterministic generator (splitmix64): identical output on every platform for a seed.
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high);
  bool chance(int percent) { return between(1, 100) <= percent; }

 private:
  std::uint64_t state_;
};

enum class AlertStatus { new_alert, in_progress, resolved };

struct AlertVersion {
  Ticks last_update;
  Ticks visible_at;  // non-decreasing across an alert's versions
  AlertStatus status;
};

struct Alert {
  std::string id;
  std::uint64_t seed;    // drives every rendered detail (template, evidence, names)
  std::size_t incident;  // index into TenantGraph::incidents()
  std::vector<AlertVersion> versions;

  Ticks created() const { return versions.front().last_update; }
  // The version the API shows at `t`, or nullptr while the alert is not yet visible.
  const AlertVersion* at(Ticks t) const;
};

struct Incident {
  std::string id;
  std::uint64_t seed;
  std::vector<std::size_t> alerts;
};

struct IncidentState {
  Ticks created;
  Ticks last_update;
  std::string_view status;  // active, inProgress, resolved, awaitingAction
  int severity_rank;        // highest member severity (see alert_severity_rank)
};

// (id, lastUpdateDateTime) of one version that has been visible.
using VersionKey = std::pair<std::string, Ticks>;

class TenantGraph {
 public:
  TenantGraph(std::string tenant_id, std::uint64_t seed);

  const std::string& tenant_id() const { return tenant_id_; }
  const std::vector<Alert>& alerts() const { return alerts_; }
  const std::vector<Incident>& incidents() const { return incidents_; }

  // `count` alerts spread over [now - history, now - 15 min] with their updates, all
  // visible by `now`; about one in ten shares its timestamp with the previous alert.
  void generate_history(int count, Ticks now, Ticks history);
  // New alerts created at `now` (one tick apart), all visible from the same instant
  // `now + visible_delay + count - 1`.
  void add_alerts(int count, Ticks now, Ticks visible_delay);
  // Moves up to `count` unresolved alerts one status further (at `now`, one tick apart),
  // all visible together; returns how many moved.
  int add_updates(int count, Ticks now, Ticks visible_delay);
  // `alerts` new alerts and `updates` status changes that become visible at one instant
  // (`now + visible_delay + alerts + updates`). One instant per batch matters for the
  // ground truth: an incident whose members changed in one batch shows one new version,
  // not a string of states that each lived for a tick and that no client could observe.
  // With `join_earlier_incidents` false the new alerts never join an incident of an
  // earlier batch, so alert-only batches leave every earlier version current (a test
  // that lets the client fall behind then still expects every version to be seen).
  int advance(int alerts, int updates, Ticks now, Ticks visible_delay,
              bool join_earlier_incidents = true);

  std::optional<IncidentState> incident_at(std::size_t index, Ticks t) const;

  // Every version a client could have seen by `now`, in (id, time) order: visible at
  // some time <= now, for a non-empty interval that ends after the history was generated
  // (a history version superseded before the emulator started was never observable).
  std::vector<VersionKey> alert_ground_truth(Ticks now) const;
  std::vector<VersionKey> incident_ground_truth(Ticks now) const;

 private:
  void add_alert(Ticks created, Ticks visible_at, bool new_incident = false);
  void add_alerts_visible_at(int count, Ticks now, Ticks visible_at, bool new_incident = false);
  int add_updates_visible_at(int count, Ticks now, Ticks visible_at);
  // A version current over [from, until) was observable if that interval is not empty
  // and reaches past the start of observation.
  bool observable(Ticks from, Ticks until) const {
    return until > from && until > observable_since_;
  }

  std::string tenant_id_;
  SeededRandom random_;
  std::vector<Alert> alerts_;
  std::vector<Incident> incidents_;
  std::uint64_t next_incident_number_;
  Ticks observable_since_ = std::numeric_limits<Ticks>::min();  // set by generate_history
};

// Severity of an alert (from its template) as a rank: 0 informational .. 3 high.
int alert_severity_rank(const Alert& alert);

}  // namespace secfeed::emulator
