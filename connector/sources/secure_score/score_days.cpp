#include "connector/sources/secure_score/score_days.hpp"

#include <algorithm>
#include <set>

namespace secfeed {
bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

namespace {

std::string_view string_member(const rapidjson::Value& item, const char* name) {
  if (!item.IsObject()) return {};
  const auto it = item.FindMember(name);
  if (it == item.MemberEnd() || !it->value.IsString()) return {};
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string day_of(const rapidjson::Value& item) {
  const std::string_view id = string_member(item, "id");
  if (id.size() >= 11 && id[id.size() - 11] == '_' && is_iso_date(id.substr(id.size() - 10))) {
    return std::string(id.substr(id.size() - 10));
  }
  const std::string_view created = string_member(item, "createdDateTime");
  if (created.size() >= 10 && is_iso_date(created.substr(0, 10))) {
    return std::string(created.substr(0, 10));
  }
  return {};
}

NewDays select_new_days(const rapidjson::Value& list, std::string_view last_date) {
  NewDays out;
  if (!list.IsArray()) return out;
  std::vector<std::pair<std::string, const rapidjson::Value*>> dated;
  std::set<std::string, std::less<>> dates;
  std::size_t index = 0;
  for (const rapidjson::Value& item : list.GetArray()) {
    std::string day = day_of(item);
    if (day.empty()) {
      out.undated.push_back(index++);
      continue;
    }
    ++index;
    if (!last_date.empty() && day <= last_date) {
      out.reaches_checkpoint = true;
      continue;
    }
    if (!dates.insert(day).second) continue;
    dated.emplace_back(std::move(day), &item);
  }
  std::stable_sort(dated.begin(), dated.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [day, item] : dated) out.items.push_back(item);
  return out;
}

bool build_day_events(const rapidjson::Value& item, const DayContext& ctx,
                      const ScoreSnapshot* previous, EventBatch& out, ScoreSnapshot& snapshot,
                      std::string& error) {
  const std::size_t first = out.size();
  NormalizeContext normalize{ctx.arena,       ctx.source, ctx.tenant_id,
                             ctx.tenant_name, {},         ctx.profiles};
  if (!normalize_item(PayloadKind::secure_score, item, normalize, out, error)) return false;
  const std::size_t last = out.size();
  snapshot = snapshot_of(out, first, last, day_of(item));
  if (previous == nullptr) return true;
  const Event& score = out[first];  // the secure_score event comes first
  for (const ScoreChange& change :
       detect_score_changes(*previous, snapshot, ctx.trend, ctx.profiles)) {
    append_score_change_event(change, score, ctx.profiles, ctx.arena, out);
  }
  return true;
}

}  // namespace secfeed
