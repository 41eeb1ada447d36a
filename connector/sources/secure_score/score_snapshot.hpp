// The part of one daily Secure Score the trend rules compare with the next day: the
// total and every control's score. Kept in the state store (one per tenant, the newest
// forwarded day) so score_change detection survives restarts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/core/event.hpp"

namespace secfeed {

struct ControlSnapshot {
  std::string name;
  double score = 0;
  double max_score = -1;  // from the joined profile; -1 when unknown
};

struct ScoreSnapshot {
  std::string date;  // yyyy-mm-dd
  double current_score = 0;
  double max_score = 0;
  std::vector<ControlSnapshot> controls;

  const ControlSnapshot* find(std::string_view control_name) const;

  // Compact JSON: {"date":"...","current":1.5,"max":10,"controls":[["name",score,max],...]}
  std::string serialize() const;
  // nullopt for text serialize() did not write (a corrupt or foreign state value).
  static std::optional<ScoreSnapshot> parse(std::string_view text);
};

// The snapshot of one day from its normalized events: the first secure_score event of
// `events[first, last)` and the control_score events that follow it. `date` is given.
ScoreSnapshot snapshot_of(const EventBatch& events, std::size_t first, std::size_t last,
                          std::string_view date);

// Numeric value of a number or integer attribute; nullopt for any other type or absence.
std::optional<double> numeric_attribute(const Event& event, std::string_view key);

}  // namespace secfeed
