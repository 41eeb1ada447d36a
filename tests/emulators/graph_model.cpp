#include "graph_model.hpp"

#include <algorithm>
#include <cstdio>

#include "alert_templates.hpp"

namespace secfeed::emulator {
namespace {

constexpr std::size_t kMaxAlertsPerIncident = 3;

AlertStatus next_status(AlertStatus status) {
  return status == AlertStatus::new_alert ? AlertStatus::in_progress : AlertStatus::resolved;
}

}  // namespace

std::uint64_t SeededRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::int64_t SeededRandom::between(std::int64_t low, std::int64_t high) {
  if (high <= low) return low;
  const auto span = static_cast<std::uint64_t>(high - low) + 1;
  return low + static_cast<std::int64_t>(next() % span);
}

const AlertVersion* Alert::at(Ticks t) const {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->visible_at <= t) return &*it;
  }
  return nullptr;
}

int alert_severity_rank(const Alert& alert) {
  return severity_rank(alert_template_for(alert.seed).severity);
}

TenantGraph::TenantGraph(std::string tenant_id, std::uint64_t seed)
    : tenant_id_(std::move(tenant_id)),
      random_(seed),
      next_incident_number_(static_cast<std::uint64_t>(random_.between(1000, 90000))) {}

void TenantGraph::add_alert(Ticks created, Ticks visible_at, bool new_incident) {
  Alert alert;
  alert.seed = random_.next();
  const AlertTemplate& shape = alert_template_for(alert.seed);
  char id[80];
  if (shape.id_prefix == "da") {
    // Defender for Endpoint style: da<18 digits>_<signed 32-bit>.
    std::snprintf(id, sizeof id, "da%018llu_%d",
                  static_cast<unsigned long long>(random_.next() % 1'000'000'000'000'000'000ULL),
                  static_cast<int>(static_cast<std::int32_t>(random_.next())));
  } else {
    std::snprintf(id, sizeof id, "%.2s%016llx%016llx", shape.id_prefix.data(),
                  static_cast<unsigned long long>(random_.next()),
                  static_cast<unsigned long long>(random_.next()));
  }
  alert.id = id;
  alert.versions.push_back(AlertVersion{created, visible_at, AlertStatus::new_alert});
  // `new_incident` last: the random sequence must not depend on it.
  if (incidents_.empty() || incidents_.back().alerts.size() >= kMaxAlertsPerIncident ||
      random_.chance(60) || new_incident) {
    incidents_.push_back(Incident{std::to_string(next_incident_number_++), random_.next(), {}});
  }
  alert.incident = incidents_.size() - 1;
  incidents_.back().alerts.push_back(alerts_.size());
  alerts_.push_back(std::move(alert));
}

void TenantGraph::generate_history(int count, Ticks now, Ticks history) {
  observable_since_ = now;
  const Ticks end = now - 15 * kTicksPerMinute;
  const Ticks start = end - history;
  const Ticks step = count > 0 ? (end - start) / count : 0;
  Ticks previous = start;
  for (int i = 0; i < count; ++i) {
    // About one alert in ten shares its timestamp with the previous one: the boundary
    // case that loses alerts for connectors that resume with `gt`.
    const Ticks created = (i > 0 && random_.chance(10))
                              ? previous
                              : start + i * step + random_.between(0, step > 1 ? step - 1 : 0);
    previous = std::max(created, previous);
    const Ticks delay = random_.chance(70) ? random_.between(5, 60) * kTicksPerSecond
                                           : random_.between(2, 10) * kTicksPerMinute;
    add_alert(created, created + delay);
    Alert& alert = alerts_.back();
    Ticks t = created;
    while (alert.versions.back().status != AlertStatus::resolved && random_.chance(60)) {
      t += random_.between(1, 180) * kTicksPerMinute + random_.between(0, kTicksPerSecond);
      if (t >= end) break;
      const Ticks visible =
          std::max(alert.versions.back().visible_at, t + random_.between(1, 60) * kTicksPerSecond);
      alert.versions.push_back(AlertVersion{t, visible, next_status(alert.versions.back().status)});
    }
  }
}

void TenantGraph::add_alerts(int count, Ticks now, Ticks visible_delay) {
  add_alerts_visible_at(count, now, now + visible_delay + std::max(count - 1, 0));
}

int TenantGraph::add_updates(int count, Ticks now, Ticks visible_delay) {
  return add_updates_visible_at(count, now, now + visible_delay + std::max(count - 1, 0));
}

int TenantGraph::advance(int alerts, int updates, Ticks now, Ticks visible_delay,
                         bool join_earlier_incidents) {
  const Ticks visible_at = now + visible_delay + alerts + updates;
  add_alerts_visible_at(alerts, now, visible_at, !join_earlier_incidents);
  return add_updates_visible_at(updates, now + alerts, visible_at);
}

void TenantGraph::add_alerts_visible_at(int count, Ticks now, Ticks visible_at, bool new_incident) {
  for (int i = 0; i < count; ++i) {
    add_alert(now + i, std::max(visible_at, now + i), new_incident && i == 0);
  }
}

int TenantGraph::add_updates_visible_at(int count, Ticks now, Ticks visible_at) {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < alerts_.size(); ++i) {
    if (alerts_[i].versions.back().status != AlertStatus::resolved) open.push_back(i);
  }
  int moved = 0;
  for (; moved < count && !open.empty(); ++moved) {
    const auto pick =
        static_cast<std::size_t>(random_.between(0, static_cast<std::int64_t>(open.size()) - 1));
    Alert& alert = alerts_[open[pick]];
    open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
    const AlertVersion& last = alert.versions.back();
    const Ticks t = std::max(now + moved, last.last_update + 1);
    alert.versions.push_back(
        AlertVersion{t, std::max({last.visible_at, t, visible_at}), next_status(last.status)});
  }
  return moved;
}

std::optional<IncidentState> TenantGraph::incident_at(std::size_t index, Ticks t) const {
  const Incident& incident = incidents_[index];
  std::optional<IncidentState> state;
  bool all_resolved = true;
  bool any_in_progress = false;
  for (const std::size_t member : incident.alerts) {
    const Alert& alert = alerts_[member];
    const AlertVersion* version = alert.at(t);
    if (version == nullptr) continue;
    if (!state) state = IncidentState{alert.created(), version->last_update, "active", 0};
    state->created = std::min(state->created, alert.created());
    state->last_update = std::max(state->last_update, version->last_update);
    state->severity_rank = std::max(state->severity_rank, alert_severity_rank(alert));
    all_resolved = all_resolved && version->status == AlertStatus::resolved;
    any_in_progress = any_in_progress || version->status == AlertStatus::in_progress;
  }
  if (!state) return std::nullopt;
  if (all_resolved) {
    state->status = "resolved";
  } else if (any_in_progress) {
    state->status = "inProgress";
  } else if (incident.seed % 7 == 0) {
    state->status = "awaitingAction";  // evolvable member: tests the Prefer header
  }
  return state;
}

std::vector<VersionKey> TenantGraph::alert_ground_truth(Ticks now) const {
  std::vector<VersionKey> out;
  for (const Alert& alert : alerts_) {
    const auto& versions = alert.versions;
    for (std::size_t i = 0; i < versions.size() && versions[i].visible_at <= now; ++i) {
      const Ticks until =
          i + 1 < versions.size() ? versions[i + 1].visible_at : std::numeric_limits<Ticks>::max();
      if (observable(versions[i].visible_at, until)) {
        out.emplace_back(alert.id, versions[i].last_update);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<VersionKey> TenantGraph::incident_ground_truth(Ticks now) const {
  std::vector<VersionKey> out;
  for (std::size_t index = 0; index < incidents_.size(); ++index) {
    // The incident changes only when a member version becomes visible: its state is
    // constant between these moments.
    std::vector<Ticks> moments;
    for (const std::size_t member : incidents_[index].alerts) {
      for (const AlertVersion& version : alerts_[member].versions) {
        if (version.visible_at <= now) moments.push_back(version.visible_at);
      }
    }
    std::sort(moments.begin(), moments.end());
    moments.erase(std::unique(moments.begin(), moments.end()), moments.end());
    // One version per lastUpdateDateTime (it only grows), observable if the moments that
    // show it together reach past the start of observation.
    for (std::size_t k = 0; k < moments.size();) {
      const auto state = incident_at(index, moments[k]);
      std::size_t next = k + 1;
      while (next < moments.size() &&
             incident_at(index, moments[next])->last_update == state->last_update) {
        ++next;
      }
      const Ticks until = next < moments.size() ? moments[next] : std::numeric_limits<Ticks>::max();
      if (observable(moments[k], until)) out.emplace_back(incidents_[index].id, state->last_update);
      k = next;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace secfeed::emulator
