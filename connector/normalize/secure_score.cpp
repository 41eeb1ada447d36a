// Microsoft Graph /security/secureScores item (one tenant, one day) -> one secure_score
// Event plus one control_score Event per controlScores[] entry. The control's max
// score lives in secureScoreControlProfiles and is joined by the source, not here.
//
// secure_score attributes (snake_case): current_score, max_score, percentage (numbers;
// percentage = current / max * 100, 0 when max is 0), active_user_count,
// licensed_user_count (integers), enabled_services, average_comparative_scores (json),
// and one number per comparison basis: average_score_<snake_case(basis)>, e.g.
// average_score_all_tenants, average_score_total_seats, average_score_industry_types.
//
// control_score attributes: control_name, score (number), score_in_percentage
// (number), implementation_status, count, total (integers; kept as given when not
// integral — live data sends them as numeric strings), plus every other key of the
// entry under its snake_case name, typed by its JSON type (objects/arrays as json).
//
// Profile join (only when ctx.control_profiles is set, i.e. in the secure_score source):
// title = the profile's title (control_name keeps the id), url = actionUrl, remediation,
// and the profile attributes max_score, tier, rank, service, user_impact,
// implementation_cost, threats, deprecated, remediation, action_url (an attribute the
// entry itself already has wins), plus percentage = score / max_score * 100.
#include <charconv>

#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {
namespace {

constexpr std::string_view kProduct = "Microsoft Secure Score";

// Keys of a controlScores[] entry with a fixed mapping; the rest are open extras.
constexpr std::string_view kKnownControlKeys[] = {
    "controlCategory",   "controlName",          "description", "score",
    "scoreInPercentage", "implementationStatus", "count",       "total",
};

bool is_known_control_key(std::string_view key) {
  for (const std::string_view known : kKnownControlKeys) {
    if (key == known) return true;
  }
  return false;
}

// count/total: an integer whether sent as a number or a numeric string ("12").
void add_count(Event& event, std::string_view key, const rapidjson::Value* value, Arena& arena) {
  if (value == nullptr) return;
  if (value->IsString()) {
    const std::string_view text = json_string(*value);
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
      event.add_integer(key, parsed);
      return;
    }
  } else if (value->IsDouble()) {
    const double d = value->GetDouble();
    if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9.0e18 && d < 9.0e18) {
      event.add_integer(key, static_cast<std::int64_t>(d));
      return;
    }
  }
  add_json_typed_attribute(event, key, *value, arena);
}

// Profile attributes copied onto a control_score (the profile Event outlives the batch).
constexpr std::string_view kJoinedProfileKeys[] = {
    "max_score",           "tier",    "rank",       "service",     "user_impact",
    "implementation_cost", "threats", "deprecated", "remediation", "action_url",
};

void join_profile(Event& e, const Event& profile) {
  if (!profile.title.empty()) e.title = profile.title;
  if (e.url.empty()) e.url = profile.url;
  if (e.remediation.empty()) e.remediation = profile.remediation;
  for (const std::string_view key : kJoinedProfileKeys) {
    const Attribute* attribute = profile.find_attribute(key);
    if (attribute != nullptr && e.find_attribute(key) == nullptr)
      e.attributes.push_back(*attribute);
  }
  const Attribute* score = e.find_attribute("score");
  const Attribute* max = e.find_attribute("max_score");
  if (score == nullptr || max == nullptr || e.find_attribute("percentage") != nullptr) return;
  const auto as_number = [](const Attribute& a) {
    return a.type == Attribute::Type::integer ? static_cast<double>(a.integer) : a.number;
  };
  if (max->type != Attribute::Type::number && max->type != Attribute::Type::integer) return;
  const double max_value = as_number(*max);
  if (max_value > 0) e.add_number("percentage", as_number(*score) / max_value * 100);
}

void read_average_scores(ObjectReader& r, Event& e, Arena& arena) {
  const rapidjson::Value* scores = r.find("averageComparativeScores");
  for_each_object(r, "averageComparativeScores", [&](ObjectReader& score, std::size_t) {
    const std::string_view basis = score.string("basis");
    const std::optional<double> average = score.number("averageScore");
    if (basis.empty() || !average) return;
    e.add_number(join_in_arena("average_score", '_', snake_case_key(basis, arena), arena),
                 *average);
  });
  if (scores != nullptr && scores->IsArray()) {
    e.add_json("average_comparative_scores", json_text(*scores, arena));
  }
}

void read_control_score(ObjectReader& control, const Event& score, EventBatch& out,
                        const NormalizeContext& ctx) {
  Arena& arena = ctx.arena;
  const std::string_view name = control.required_string("controlName");
  if (control.failed()) return;
  Event& e = out.add();
  e.kind = EventKind::control_score;
  e.id = join_in_arena(score.id, '_', name, arena);
  e.tenant_id = score.tenant_id;
  e.vendor = score.vendor;
  e.product = score.product;
  e.created_ms = score.created_ms;
  e.time_ms = score.time_ms;
  e.title = name;
  e.category = control.string("controlCategory");
  e.description = control.string("description");
  e.add_string("control_name", name);
  if (const std::optional<double> value = control.number("score")) e.add_number("score", *value);
  if (const std::optional<double> percent = control.number("scoreInPercentage")) {
    e.add_number("score_in_percentage", *percent);
  }
  add_string_if_present(e, "implementation_status", control.string("implementationStatus"));
  add_count(e, "count", control.find("count"), arena);
  add_count(e, "total", control.find("total"), arena);
  const rapidjson::Value& entry = control.value();
  for (auto it = entry.MemberBegin(); it != entry.MemberEnd(); ++it) {
    const std::string_view key = json_string(it->name);
    if (is_known_control_key(key)) continue;
    add_json_typed_attribute(e, snake_case_key(key, arena), it->value, arena);
  }
  if (ctx.control_profiles != nullptr) {
    if (const Event* profile = ctx.control_profiles->find(name)) join_profile(e, *profile);
  }
}

}  // namespace

bool normalize_secure_score(const rapidjson::Value& item, const NormalizeContext& ctx,
                            EventBatch& out, std::string& error) {
  ObjectReader r(item, KeyMatch::exact, error);
  Event& e = out.add();
  e.kind = EventKind::secure_score;
  e.id = r.required_string("id");
  e.tenant_id = r.string("azureTenantId");
  e.title = kProduct;
  e.product = kProduct;
  if (const rapidjson::Value* vendor = r.object("vendorInformation")) {
    ObjectReader vendor_reader = r.child(*vendor, "vendorInformation");
    e.vendor = vendor_reader.string("vendor");
  }
  e.created_ms = r.time("createdDateTime").value_or(kNoTime);
  e.time_ms = e.created_ms;

  const std::optional<double> current = r.number("currentScore");
  const std::optional<double> max = r.number("maxScore");
  if (current) e.add_number("current_score", *current);
  if (max) e.add_number("max_score", *max);
  if (current) {
    const double max_value = max.value_or(0);
    e.add_number("percentage", max_value > 0 ? *current / max_value * 100 : 0);
  }
  if (const std::optional<std::int64_t> users = r.integer("activeUserCount")) {
    e.add_integer("active_user_count", *users);
  }
  if (const std::optional<std::int64_t> users = r.integer("licensedUserCount")) {
    e.add_integer("licensed_user_count", *users);
  }
  add_json_attribute(r, "enabledServices", "enabled_services", e, ctx.arena);
  read_average_scores(r, e, ctx.arena);
  if (r.failed()) return false;

  for_each_object(r, "controlScores", [&](ObjectReader& control, std::size_t) {
    read_control_score(control, e, out, ctx);
  });
  return !r.failed();
}

}  // namespace secfeed
