#include "connector/sources/secure_score/score_trend.hpp"

#include <cstdio>

namespace secfeed {
namespace {

constexpr double kTolerance = 1e-9;

int profile_rank(const Event* profile) {
  if (profile == nullptr) return 0;
  const Attribute* rank = profile->find_attribute("rank");
  if (rank == nullptr || rank->type != Attribute::Type::integer) return 0;
  if (rank->integer < 1 || rank->integer > 1'000'000) return 0;
  return static_cast<int>(rank->integer);
}

std::string_view format_number(double value, Arena& arena) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return arena.store(std::string_view(buffer, n > 0 ? static_cast<std::size_t>(n) : 0));
}

std::string_view concat(std::initializer_list<std::string_view> parts, Arena& arena) {
  std::size_t size = 0;
  for (const std::string_view part : parts) size += part.size();
  char* out = arena.allocate(size);
  std::size_t at = 0;
  for (const std::string_view part : parts) {
    part.copy(out + at, part.size());
    at += part.size();
  }
  return std::string_view(out, size);
}

}  // namespace

std::string_view to_string(ScoreChangeType type) {
  return type == ScoreChangeType::score_drop ? "score_drop" : "control_regression";
}

std::vector<ScoreChange> detect_score_changes(const ScoreSnapshot& previous,
                                              const ScoreSnapshot& current,
                                              const TrendOptions& options,
                                              const ControlProfileLookup* profiles) {
  std::vector<ScoreChange> changes;
  const double drop = previous.current_score - current.current_score;
  if (drop > kTolerance && drop + kTolerance >= options.score_drop_threshold) {
    ScoreChange change;
    change.type = ScoreChangeType::score_drop;
    change.previous = previous.current_score;
    change.current = current.current_score;
    change.max_score = current.max_score > 0 ? current.max_score : -1;
    change.previous_date = previous.date;
    change.date = current.date;
    change.severity = change.max_score > 0 && drop / change.max_score * 100 >= kHighDropPercent
                          ? Severity::high
                          : Severity::medium;
    changes.push_back(std::move(change));
  }
  if (!options.control_regression) return changes;
  for (const ControlSnapshot& control : current.controls) {
    const ControlSnapshot* before = previous.find(control.name);
    if (before == nullptr || control.score >= before->score - kTolerance) continue;
    const Event* profile = profiles != nullptr ? profiles->find(control.name) : nullptr;
    ScoreChange change;
    change.type = ScoreChangeType::control_regression;
    change.control_name = control.name;
    change.previous = before->score;
    change.current = control.score;
    change.max_score = control.max_score;
    if (change.max_score < 0 && profile != nullptr) {
      change.max_score = numeric_attribute(*profile, "max_score").value_or(-1);
    }
    change.rank = profile_rank(profile);
    change.previous_date = previous.date;
    change.date = current.date;
    const bool to_zero = control.score <= kTolerance;
    change.severity = to_zero && change.rank >= 1 && change.rank <= kHighRankLimit
                          ? Severity::high
                          : Severity::medium;
    changes.push_back(std::move(change));
  }
  return changes;
}

void append_score_change_event(const ScoreChange& change, const Event& score,
                               const ControlProfileLookup* profiles, Arena& arena,
                               EventBatch& out) {
  Event& e = out.add();
  e.kind = EventKind::score_change;
  e.payload_kind = score.payload_kind;
  e.source = score.source;
  e.tenant_id = score.tenant_id;
  e.tenant_name = score.tenant_name;
  e.vendor = score.vendor;
  e.product = score.product;
  e.time_ms = score.time_ms;
  e.created_ms = score.created_ms;
  e.severity = change.severity;
  e.severity_score = default_severity_score(change.severity);
  e.category = to_string(change.type);
  const std::string_view previous = format_number(change.previous, arena);
  const std::string_view current = format_number(change.current, arena);
  const std::string_view delta = format_number(change.delta(), arena);
  const std::string_view previous_date = arena.store(change.previous_date);
  const std::string_view suffix = " (delta ";
  if (change.type == ScoreChangeType::score_drop) {
    e.id = concat({score.id, "_score_drop"}, arena);
    e.title = "Secure Score dropped";
    e.description = concat({"Secure Score fell from ", previous, " to ", current, suffix, delta,
                            ") since ", previous_date},
                           arena);
  } else {
    const std::string_view name = arena.store(change.control_name);
    const Event* profile = profiles != nullptr ? profiles->find(name) : nullptr;
    const std::string_view label =
        profile != nullptr && !profile->title.empty() ? profile->title : name;
    e.id = concat({score.id, "_", name, "_regression"}, arena);
    e.title = concat({"Secure Score control regressed: ", label}, arena);
    e.description = concat({"Control ", name, " fell from ", previous, " to ", current, suffix,
                            delta, ") since ", previous_date},
                           arena);
    if (profile != nullptr) {
      e.url = profile->url;
      e.remediation = profile->remediation;
    }
  }
  e.add_string("change_type", e.category);
  if (change.type == ScoreChangeType::control_regression) {
    e.add_string("control_name", arena.store(change.control_name));
    if (change.rank > 0) e.add_integer("rank", change.rank);
  }
  e.add_number("previous_score", change.previous);
  e.add_number("current_score", change.current);
  e.add_number("delta", change.delta());
  if (change.max_score > 0) {
    e.add_number("max_score", change.max_score);
    e.add_number("percentage", change.current / change.max_score * 100);
  }
  e.add_string("previous_date", previous_date);
  e.add_string("date", arena.store(change.date));
}

}  // namespace secfeed
