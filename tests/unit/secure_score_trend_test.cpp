// The secure_score source's pure logic: new-day selection, the profile join, trend
// rules (score_drop / control_regression) and their events, snapshots and profile hashes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <rapidjson/document.h>

#include "connector/sources/secure_score/control_profile_cache.hpp"
#include "connector/sources/secure_score/score_days.hpp"
#include "connector/sources/secure_score/score_snapshot.hpp"
#include "connector/sources/secure_score/score_trend.hpp"

namespace secfeed {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kTenant = "00000000-0000-4000-8000-000000000001";

// One day: AdminMFAV2 (profile rank 1, max 10), RoleOverlap (rank 12, max 1) and
// NoProfileControl (no profile).
std::string day_json(std::string_view date, double admin_mfa, double role_overlap,
                     double unprofiled = 2) {
  const double total = admin_mfa + role_overlap + unprofiled;
  return std::string(R"({"id":")") + std::string(kTenant) + "_" + std::string(date) +
         R"(","azureTenantId":")" + std::string(kTenant) + R"(","createdDateTime":")" +
         std::string(date) + R"(T00:00:00Z","currentScore":)" + std::to_string(total) +
         R"(,"maxScore":100,"vendorInformation":{"vendor":"Microsoft"},"controlScores":[)" +
         R"({"controlCategory":"Identity","controlName":"AdminMFAV2","description":"MFA",)" +
         R"("score":)" + std::to_string(admin_mfa) +
         R"(,"implementationStatus":"Partially completed","lastSynced":"x"},)" +
         R"({"controlCategory":"Identity","controlName":"RoleOverlap","score":)" +
         std::to_string(role_overlap) + R"(},)" +
         R"({"controlCategory":"Apps","controlName":"NoProfileControl","score":)" +
         std::to_string(unprofiled) + R"(}]})";
}

constexpr std::string_view kProfiles = R"({"value":[
  {"id":"AdminMFAV2","azureTenantId":"00000000-0000-4000-8000-000000000001",
   "title":"Require MFA for administrative roles","controlCategory":"Identity","maxScore":10,
   "tier":"Core","rank":1,"service":"AzureAD","actionType":"Config",
   "actionUrl":"https://security.microsoft.com/securescore?control=AdminMFAV2",
   "userImpact":"Low","implementationCost":"Low","threats":["Password Cracking"],
   "deprecated":false,"remediation":"<p>Turn on MFA.</p>",
   "lastModifiedDateTime":"2024-03-01T00:00:00Z"},
  {"id":"RoleOverlap","title":"Use least privileged administrative roles","maxScore":1,
   "tier":"Core","rank":12,"service":"AzureAD","deprecated":true}
]})";

struct Day {
  explicit Day(const std::string& json) { doc.Parse(json.data(), json.size()); }
  rapidjson::Document doc;
};

class SecureScoreTrendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<ControlProfileCache::Rejected> rejected;
    std::string error;
    profiles_.begin();
    ASSERT_TRUE(profiles_.add_page(kProfiles, "ss", kTenant, "Contoso", rejected, error)) << error;
    ASSERT_TRUE(rejected.empty());
    profiles_.commit();
  }

  // Builds one day's events into batch_ with the profile join.
  ScoreSnapshot build(const std::string& json, const ScoreSnapshot* previous,
                      TrendOptions trend = {}) {
    days_.push_back(std::make_unique<Day>(json));
    DayContext ctx{arena_, "ss", kTenant, "Contoso", &profiles_, trend};
    ScoreSnapshot snapshot;
    std::string error;
    EXPECT_TRUE(build_day_events(days_.back()->doc, ctx, previous, batch_, snapshot, error))
        << error;
    return snapshot;
  }

  std::vector<const Event*> of_kind(EventKind kind) const {
    std::vector<const Event*> out;
    for (const Event& e : batch_) {
      if (e.kind == kind) out.push_back(&e);
    }
    return out;
  }

  static double number(const Event& e, std::string_view key) {
    return numeric_attribute(e, key).value_or(-12345);
  }
  static std::string text(const Event& e, std::string_view key) {
    const Attribute* a = e.find_attribute(key);
    return a == nullptr ? "<absent>" : std::string(a->text);
  }

  ControlProfileCache profiles_;
  Arena arena_;
  EventBatch batch_;
  std::vector<std::unique_ptr<Day>> days_;
};

TEST_F(SecureScoreTrendTest, ControlScoresAreJoinedWithTheirProfile) {
  build(day_json("2024-05-02", 5, 1), nullptr);
  ASSERT_EQ(batch_.size(), 4u);
  const Event& mfa = batch_[1];
  EXPECT_EQ(mfa.kind, EventKind::control_score);
  EXPECT_EQ(mfa.id, std::string(kTenant) + "_2024-05-02_AdminMFAV2");
  EXPECT_EQ(mfa.title, "Require MFA for administrative roles");
  EXPECT_EQ(text(mfa, "control_name"), "AdminMFAV2");
  EXPECT_EQ(mfa.category, "Identity");
  EXPECT_EQ(mfa.url, "https://security.microsoft.com/securescore?control=AdminMFAV2");
  EXPECT_EQ(mfa.remediation, "<p>Turn on MFA.</p>");
  EXPECT_EQ(number(mfa, "score"), 5);
  EXPECT_EQ(number(mfa, "max_score"), 10);
  EXPECT_EQ(number(mfa, "percentage"), 50);
  EXPECT_EQ(text(mfa, "implementation_status"), "Partially completed");
  EXPECT_EQ(text(mfa, "tier"), "Core");
  EXPECT_EQ(number(mfa, "rank"), 1);
  EXPECT_EQ(text(mfa, "service"), "AzureAD");
  EXPECT_EQ(text(mfa, "user_impact"), "Low");
  EXPECT_EQ(text(mfa, "implementation_cost"), "Low");
  EXPECT_EQ(text(mfa, "threats"), R"(["Password Cracking"])");
  EXPECT_EQ(text(mfa, "action_url"), mfa.url);
  ASSERT_NE(mfa.find_attribute("deprecated"), nullptr);
  EXPECT_FALSE(mfa.find_attribute("deprecated")->boolean);
  EXPECT_EQ(text(mfa, "last_synced"), "x");  // open extra keys are kept

  const Event& overlap = batch_[2];
  EXPECT_EQ(overlap.title, "Use least privileged administrative roles");
  EXPECT_EQ(number(overlap, "percentage"), 100);
  EXPECT_TRUE(overlap.find_attribute("deprecated")->boolean);

  // No profile: the control name stays the title and nothing is invented.
  const Event& unprofiled = batch_[3];
  EXPECT_EQ(unprofiled.title, "NoProfileControl");
  EXPECT_EQ(unprofiled.find_attribute("max_score"), nullptr);
  EXPECT_EQ(unprofiled.find_attribute("percentage"), nullptr);
}

TEST_F(SecureScoreTrendTest, WithoutALookupTheNormalizerIsUnchanged) {
  Day day(day_json("2024-05-02", 5, 1));
  NormalizeContext ctx{arena_, "ss", kTenant, "Contoso", {}};
  std::string error;
  ASSERT_TRUE(normalize_item(PayloadKind::secure_score, day.doc, ctx, batch_, error)) << error;
  EXPECT_EQ(batch_[1].title, "AdminMFAV2");
  EXPECT_EQ(batch_[1].find_attribute("max_score"), nullptr);
}

TEST_F(SecureScoreTrendTest, SnapshotRecordsTotalsAndControls) {
  const ScoreSnapshot s = build(day_json("2024-05-02", 5, 0.5, 2), nullptr);
  EXPECT_EQ(s.date, "2024-05-02");
  EXPECT_EQ(s.current_score, 7.5);
  EXPECT_EQ(s.max_score, 100);
  ASSERT_EQ(s.controls.size(), 3u);
  EXPECT_EQ(s.controls[0].name, "AdminMFAV2");
  EXPECT_EQ(s.controls[0].score, 5);
  EXPECT_EQ(s.controls[0].max_score, 10);
  EXPECT_EQ(s.controls[2].max_score, -1);
  const std::optional<ScoreSnapshot> back = ScoreSnapshot::parse(s.serialize());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->serialize(), s.serialize());
  EXPECT_EQ(back->controls[1].score, 0.5);
  EXPECT_FALSE(ScoreSnapshot::parse("{\"date\":1}").has_value());
  EXPECT_FALSE(ScoreSnapshot::parse("not json").has_value());
  EXPECT_FALSE(ScoreSnapshot::parse(R"({"date":"d","current":1,"max":2,"controls":[["a"]]})"));
}

TEST_F(SecureScoreTrendTest, ControlRegressionToZeroOfAHighRankControlIsHigh) {
  const ScoreSnapshot day1 = build(day_json("2024-05-01", 10, 1), nullptr);
  batch_.clear();
  build(day_json("2024-05-02", 0, 1), &day1, TrendOptions{100, true});  // no score_drop
  const auto changes = of_kind(EventKind::score_change);
  ASSERT_EQ(changes.size(), 1u);
  const Event& e = *changes[0];
  EXPECT_EQ(e.id, std::string(kTenant) + "_2024-05-02_AdminMFAV2_regression");
  EXPECT_EQ(e.category, "control_regression");
  EXPECT_EQ(e.title, "Secure Score control regressed: Require MFA for administrative roles");
  EXPECT_EQ(e.description, "Control AdminMFAV2 fell from 10 to 0 (delta -10) since 2024-05-01");
  EXPECT_EQ(e.severity, Severity::high);
  EXPECT_EQ(e.severity_score, 8);
  EXPECT_EQ(e.tenant_id, kTenant);
  EXPECT_EQ(e.source, "ss");
  EXPECT_EQ(e.time_ms, batch_[0].time_ms);
  EXPECT_EQ(e.url, "https://security.microsoft.com/securescore?control=AdminMFAV2");
  std::vector<std::string> keys;
  for (const Attribute& a : e.attributes) keys.emplace_back(a.key);
  EXPECT_THAT(keys,
              ElementsAre("change_type", "control_name", "rank", "previous_score", "current_score",
                          "delta", "max_score", "percentage", "previous_date", "date"));
  EXPECT_EQ(text(e, "change_type"), "control_regression");
  EXPECT_EQ(text(e, "control_name"), "AdminMFAV2");
  EXPECT_EQ(number(e, "rank"), 1);
  EXPECT_EQ(number(e, "previous_score"), 10);
  EXPECT_EQ(number(e, "current_score"), 0);
  EXPECT_EQ(number(e, "delta"), -10);
  EXPECT_EQ(number(e, "max_score"), 10);
  EXPECT_EQ(number(e, "percentage"), 0);
  EXPECT_EQ(text(e, "previous_date"), "2024-05-01");
  EXPECT_EQ(text(e, "date"), "2024-05-02");
}

TEST_F(SecureScoreTrendTest, PartialRegressionOrLowRankIsMedium) {
  ScoreSnapshot before;
  before.date = "2024-05-01";
  before.current_score = 20;
  before.controls = {{"AdminMFAV2", 10, 10}, {"RoleOverlap", 1, 1}, {"Gone", 3, -1}};
  ScoreSnapshot after = before;
  after.date = "2024-05-02";
  after.controls = {{"AdminMFAV2", 5, 10}, {"RoleOverlap", 0, 1}, {"New", 0, -1}};
  const auto changes = detect_score_changes(before, after, TrendOptions{1, true}, &profiles_);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].control_name, "AdminMFAV2");
  EXPECT_EQ(changes[0].delta(), -5);
  EXPECT_EQ(changes[0].severity, Severity::medium);  // not to zero
  EXPECT_EQ(changes[1].control_name, "RoleOverlap");
  EXPECT_EQ(changes[1].rank, 12);
  EXPECT_EQ(changes[1].severity, Severity::medium);  // to zero, but rank 12 > 10
  // Without profiles the rank is unknown: never high.
  const auto unranked = detect_score_changes(before, after, TrendOptions{1, true}, nullptr);
  ASSERT_EQ(unranked.size(), 2u);
  EXPECT_EQ(unranked[1].rank, 0);
  EXPECT_EQ(unranked[1].severity, Severity::medium);
  // Turned off: nothing.
  EXPECT_TRUE(detect_score_changes(before, after, TrendOptions{1, false}, &profiles_).empty());
}

TEST_F(SecureScoreTrendTest, ScoreDropAtOrAboveTheThreshold) {
  ScoreSnapshot before;
  before.date = "2024-05-01";
  before.current_score = 50;
  before.max_score = 100;
  ScoreSnapshot after = before;
  after.date = "2024-05-02";

  after.current_score = 49.5;  // 0.5 < 1
  EXPECT_TRUE(detect_score_changes(before, after, TrendOptions{1, true}, nullptr).empty());
  after.current_score = 49;  // exactly the threshold
  auto changes = detect_score_changes(before, after, TrendOptions{1, true}, nullptr);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, ScoreChangeType::score_drop);
  EXPECT_EQ(changes[0].previous, 50);
  EXPECT_EQ(changes[0].current, 49);
  EXPECT_EQ(changes[0].delta(), -1);
  EXPECT_EQ(changes[0].severity, Severity::medium);  // 1% of max
  after.current_score = 40;                          // 10% of max: high
  changes = detect_score_changes(before, after, TrendOptions{1, true}, nullptr);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].severity, Severity::high);
  // A rise, or no change, never alerts, even with threshold 0.
  after.current_score = 50;
  EXPECT_TRUE(detect_score_changes(before, after, TrendOptions{0, true}, nullptr).empty());
  after.current_score = 60;
  EXPECT_TRUE(detect_score_changes(before, after, TrendOptions{0, true}, nullptr).empty());
}

TEST_F(SecureScoreTrendTest, ScoreDropEvent) {
  const ScoreSnapshot day1 = build(day_json("2024-05-01", 10, 1, 2), nullptr);
  batch_.clear();
  build(day_json("2024-05-02", 0, 1, 2), &day1, TrendOptions{1, false});
  const auto changes = of_kind(EventKind::score_change);
  ASSERT_EQ(changes.size(), 1u);
  const Event& e = *changes[0];
  EXPECT_EQ(e.id, std::string(kTenant) + "_2024-05-02_score_drop");
  EXPECT_EQ(e.title, "Secure Score dropped");
  EXPECT_EQ(e.category, "score_drop");
  EXPECT_EQ(e.description, "Secure Score fell from 13 to 3 (delta -10) since 2024-05-01");
  EXPECT_EQ(e.severity, Severity::high);  // 10 of 100
  EXPECT_EQ(number(e, "previous_score"), 13);
  EXPECT_EQ(number(e, "current_score"), 3);
  EXPECT_EQ(number(e, "delta"), -10);
  EXPECT_EQ(number(e, "max_score"), 100);
  EXPECT_EQ(number(e, "percentage"), 3);
  EXPECT_EQ(e.find_attribute("control_name"), nullptr);
}

TEST_F(SecureScoreTrendTest, BackfilledDaysHaveNoScoreChanges) {
  // The source passes no previous snapshot for days of the initial backfill.
  build(day_json("2024-05-01", 10, 1), nullptr);
  build(day_json("2024-05-02", 0, 0), nullptr);
  EXPECT_EQ(batch_.size(), 8u);
  EXPECT_TRUE(of_kind(EventKind::score_change).empty());
}

TEST_F(SecureScoreTrendTest, BothRulesFireForOneRegression) {
  const ScoreSnapshot day1 = build(day_json("2024-05-01", 10, 1), nullptr);
  batch_.clear();
  build(day_json("2024-05-02", 0, 1), &day1);
  const auto changes = of_kind(EventKind::score_change);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]->category, "score_drop");
  EXPECT_EQ(changes[1]->category, "control_regression");
  EXPECT_EQ(number(*changes[0], "delta"), number(*changes[1], "delta"));
}

TEST(SecureScoreDays, SelectsNewDaysOldestFirst) {
  rapidjson::Document doc;
  doc.Parse(R"([{"id":"t_2024-05-03"},{"id":"t_2024-05-02"},{"id":"no-date"},
                {"id":"x","createdDateTime":"2024-05-04T00:00:00Z"},{"id":"t_2024-05-01"},
                {"id":"t_2024-05-03"}])");
  NewDays all = select_new_days(doc, "");
  ASSERT_EQ(all.items.size(), 4u);
  EXPECT_EQ(day_of(*all.items[0]), "2024-05-01");
  EXPECT_EQ(day_of(*all.items[3]), "2024-05-04");
  EXPECT_THAT(all.undated, ElementsAre(2u));
  EXPECT_FALSE(all.reaches_checkpoint);

  NewDays after = select_new_days(doc, "2024-05-02");
  ASSERT_EQ(after.items.size(), 2u);
  EXPECT_EQ(day_of(*after.items[0]), "2024-05-03");
  EXPECT_TRUE(after.reaches_checkpoint);

  EXPECT_TRUE(select_new_days(doc, "2024-05-04").items.empty());
  rapidjson::Document object;
  object.Parse("{}");
  EXPECT_TRUE(select_new_days(object, "").items.empty());
}

TEST(SecureScoreProfiles, ContentHashChangesWithTheProfile) {
  EXPECT_EQ(content_hash(""), "cbf29ce484222325");  // FNV-1a 64 offset basis
  EXPECT_EQ(content_hash("a"), "af63dc4c8601ec8c");
  ControlProfileCache cache;
  std::vector<ControlProfileCache::Rejected> rejected;
  std::string error;
  cache.begin();
  ASSERT_TRUE(cache.add_page(R"({"value":[{"id":"A","title":"one"},{"title":"no id"}]})", "s", "t",
                             "t", rejected, error));
  cache.commit();
  ASSERT_EQ(cache.events().size(), 1u);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].position, "value[1]");
  EXPECT_EQ(rejected[0].reason, "id: required field is missing");
  const std::string first = std::string(cache.hash(0));
  EXPECT_EQ(cache.hashes_json(), R"({"A":")" + first + R"("})");
  EXPECT_EQ(ControlProfileCache::parse_hashes(cache.hashes_json()).at("A"), first);

  cache.begin();
  ASSERT_TRUE(
      cache.add_page(R"({"value":[{"id":"A","title":"two"}]})", "s", "t", "t", rejected, error));
  EXPECT_EQ(cache.find("A")->title, "one");  // the old generation serves until commit
  cache.commit();
  EXPECT_EQ(cache.find("A")->title, "two");
  EXPECT_NE(cache.hash(0), first);
  EXPECT_EQ(cache.find("B"), nullptr);

  EXPECT_FALSE(cache.add_page("[]", "s", "t", "t", rejected, error));
  EXPECT_EQ(error, "secureScoreControlProfiles: the response is not a JSON object");
  EXPECT_FALSE(cache.add_page("{}", "s", "t", "t", rejected, error));
  EXPECT_EQ(error, "secureScoreControlProfiles: the response has no value array");
}

// The hash is of the profile's exact JSON text (stored hashes must stay comparable
// across versions), and a generation's events stay valid over several pages whose
// documents share one pool, also when a profile is larger than a pool chunk.
TEST(SecureScoreProfiles, HashesTheItemTextAndKeepsEveryPageOfAGeneration) {
  ControlProfileCache cache;
  std::vector<ControlProfileCache::Rejected> rejected;
  std::string error;
  const std::string big_remediation(40 * 1024, 'r');
  const std::string a = R"({"id":"A","title":"one","remediation":")" + big_remediation + R"("})";
  const std::string b = R"({"id":"B","title":"two","maxScore":5})";
  cache.begin();
  ASSERT_TRUE(cache.add_page(R"({"value":[)" + a + R"(,{"title":"no id","rank":7}]})", "s", "t",
                             "t", rejected, error))
      << error;
  ASSERT_TRUE(cache.add_page(R"({"value":[)" + b + "]}", "s", "t", "t", rejected, error)) << error;
  cache.commit();
  ASSERT_EQ(cache.events().size(), 2u);
  EXPECT_EQ(cache.hash(0), content_hash(a));
  EXPECT_EQ(cache.hash(1), content_hash(b));
  ASSERT_NE(cache.find("A"), nullptr);
  EXPECT_EQ(cache.find("A")->title, "one");
  EXPECT_EQ(cache.find("A")->remediation, big_remediation);
  ASSERT_NE(cache.find("B"), nullptr);
  EXPECT_EQ(cache.find("B")->title, "two");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].payload, R"({"title":"no id","rank":7})");

  // A new generation replaces the old one (and frees its pool) only at commit.
  cache.begin();
  ASSERT_TRUE(cache.add_page(R"({"value":[)" + b + "]}", "s", "t", "t", rejected, error)) << error;
  EXPECT_EQ(cache.find("A")->remediation, big_remediation);
  cache.commit();
  EXPECT_EQ(cache.find("A"), nullptr);
  EXPECT_EQ(cache.find("B")->title, "two");
}

}  // namespace
}  // namespace secfeed
