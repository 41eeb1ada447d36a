// Trend rules of the secure_score source: compares a day with the previous forwarded
// day and describes every change worth an alert as a `score_change` event.
//
//   score_drop          the tenant's currentScore fell by >= score_drop_threshold (and
//                       by more than nothing). Severity high when the drop is >= 10% of
//                       maxScore, else medium.
//   control_regression  a control's score is lower than the previous day's (only when
//                       `control_regression` is on). Severity high when it fell to 0 and
//                       its profile rank is 1..10 (the controls Microsoft ranks most
//                       important), else medium.
//
// Controls that appear or disappear between the days are not changes (no baseline /
// retired control). Scores are compared with a 1e-9 tolerance (they are doubles).
#pragma once

#include <string>
#include <vector>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/sources/secure_score/score_snapshot.hpp"

namespace secfeed {

struct TrendOptions {
  double score_drop_threshold = 1.0;
  bool control_regression = true;
};

inline constexpr int kHighRankLimit = 10;         // rank 1..10: a high-rank control
inline constexpr double kHighDropPercent = 10.0;  // drop >= 10% of maxScore: high

enum class ScoreChangeType { score_drop, control_regression };
std::string_view to_string(ScoreChangeType type);

struct ScoreChange {
  ScoreChangeType type = ScoreChangeType::score_drop;
  std::string control_name;  // control_regression only
  double previous = 0, current = 0;
  double max_score = -1;  // -1 when unknown
  int rank = 0;           // control_regression: the profile's rank; 0 when unknown
  std::string previous_date, date;
  Severity severity = Severity::medium;

  double delta() const { return current - previous; }
};

// The changes from `previous` to `current`, the total first, then controls in the
// order of `current`. `profiles` (may be null) supplies ranks and max scores.
std::vector<ScoreChange> detect_score_changes(const ScoreSnapshot& previous,
                                              const ScoreSnapshot& current,
                                              const TrendOptions& options,
                                              const ControlProfileLookup* profiles);

// Appends the score_change Event of `change`; `score` is the day's secure_score event
// (tenant, source, time, product). Strings it builds go to `arena`.
//
//   id          "<score id>_score_drop" / "<score id>_<control>_regression"
//   title       "Secure Score dropped" / "Secure Score control regressed: <profile title
//               or control name>"
//   category    the change type; description: "... fell from P to C (delta D) since DATE"
//   attributes  change_type, previous_score, current_score, delta, max_score (when
//               known), percentage (current / max * 100), previous_date, date, and for
//               controls control_name, rank (when known)
void append_score_change_event(const ScoreChange& change, const Event& score,
                               const ControlProfileLookup* profiles, Arena& arena, EventBatch& out);

}  // namespace secfeed
