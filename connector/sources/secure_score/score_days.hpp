// The per-day logic of the secure_score source, free of I/O so it is unit-tested with
// exact values: which items of a secureScores response are new, and the events of one
// new day (its secure_score and control_score events joined with the profiles, plus
// score_change events against the previous day).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/sources/secure_score/score_snapshot.hpp"
#include "connector/sources/secure_score/score_trend.hpp"

namespace secfeed {

// yyyy-mm-dd (digits and dashes in place; the calendar is not checked).
bool is_iso_date(std::string_view text);

// The day of a daily score: the yyyy-mm-dd suffix of its id ({tenantId}_{yyyy-mm-dd}),
// else the date part of createdDateTime; empty when neither is a date.
std::string day_of(const rapidjson::Value& item);

struct NewDays {
  std::vector<const rapidjson::Value*> items;  // newer than the checkpoint, oldest first
  std::vector<std::size_t> undated;            // indexes of items without a day
  bool reaches_checkpoint = false;             // some item is at or before the checkpoint (no gap)
};

// The items of `list` (a secureScores `value` array) dated after `last_date` ("" = all),
// oldest first, one per date (the API never repeats a date; if it did, the first wins).
NewDays select_new_days(const rapidjson::Value& list, std::string_view last_date);

struct DayContext {
  Arena& arena;
  std::string_view source, tenant_id, tenant_name;
  const ControlProfileLookup* profiles = nullptr;
  TrendOptions trend;
};

// Appends one day's events to `out`: the secure_score event, its control_score events,
// then (when `previous` is given) its score_change events. Fills `snapshot`. On a bad
// item returns false with `error` and leaves `out` unchanged.
bool build_day_events(const rapidjson::Value& item, const DayContext& ctx,
                      const ScoreSnapshot* previous, EventBatch& out, ScoreSnapshot& snapshot,
                      std::string& error);

}  // namespace secfeed
