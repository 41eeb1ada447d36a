// Never crash, never half-succeed: every member of every fixture item (recursively)
// is replaced by values of every JSON type and the item normalized again. Each run
// must either succeed with no error or fail with a reason and leave the batch empty.
// Run under the asan preset this doubles as a small deterministic fuzz pass.
#include <gtest/gtest.h>

#include "tests/unit/graph_fixture_support.hpp"

namespace secfeed {
namespace {

using testing::Fixture;
using testing::Normalized;

constexpr const char* kReplacements =
    R"([null, 1.5, -7, 18446744073709551615, "x", "", true, {}, [], [1, "a", {}, null],
        {"@odata.type": 3, "userAccount": [], "fileDetails": "f"}])";

class Mutator {
 public:
  Mutator(PayloadKind kind, rapidjson::Document& root) : kind_(kind), root_(root) {
    replacements_.Parse(kReplacements);
  }

  void mutate(rapidjson::Value& node, int depth) {
    if (depth > 5) return;
    if (node.IsObject()) {
      for (auto it = node.MemberBegin(); it != node.MemberEnd(); ++it)
        mutate_slot(it->value, depth);
    } else if (node.IsArray()) {
      for (rapidjson::Value& element : node.GetArray()) mutate_slot(element, depth);
    }
  }

  std::size_t runs() const { return runs_; }

 private:
  void mutate_slot(rapidjson::Value& slot, int depth) {
    rapidjson::Value saved(slot, root_.GetAllocator());
    for (const rapidjson::Value& replacement : replacements_.GetArray()) {
      slot.CopyFrom(replacement, root_.GetAllocator());
      check();
    }
    slot.CopyFrom(saved, root_.GetAllocator());
    mutate(slot, depth + 1);
  }

  void check() {
    ++runs_;
    Normalized n;
    const bool ok = n.run(kind_, root_);
    if (ok) {
      ASSERT_TRUE(n.error.empty()) << n.error;
      ASSERT_FALSE(n.batch.empty());
    } else {
      ASSERT_FALSE(n.error.empty());
      ASSERT_TRUE(n.batch.empty());
    }
  }

  PayloadKind kind_;
  rapidjson::Document& root_;
  rapidjson::Document replacements_;
  std::size_t runs_ = 0;
};

struct FixtureKind {
  std::string_view file;
  PayloadKind kind;
};

TEST(GraphRobustness, EveryMemberReplacedByEveryJsonTypeNeverCrashes) {
  for (const FixtureKind& f :
       {FixtureKind{"alerts_v2_list.json", PayloadKind::graph_alert},
        FixtureKind{"legacy_alerts_list.json", PayloadKind::graph_legacy_alert},
        FixtureKind{"incidents_list.json", PayloadKind::graph_incident},
        FixtureKind{"secure_scores_list.json", PayloadKind::secure_score},
        FixtureKind{"control_profiles_list.json", PayloadKind::control_profile}}) {
    const Fixture fixture(f.file);
    std::size_t runs = 0;
    for (std::size_t i = 0; i < fixture.size(); ++i) {
      SCOPED_TRACE(std::string(f.file) + " item " + std::to_string(i));
      rapidjson::Document item;
      item.CopyFrom(fixture.item(i), item.GetAllocator());
      Mutator mutator(f.kind, item);
      mutator.mutate(item, 0);
      runs += mutator.runs();
    }
    EXPECT_GT(runs, 100u) << f.file;
  }
}

}  // namespace
}  // namespace secfeed
