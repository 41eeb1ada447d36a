#include "sinks/encoders/cef_mapping.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace secfeed {
namespace {

std::string compile_error(std::string_view json) {
  CefMapping mapping;
  std::string error;
  EXPECT_FALSE(compile_cef_mapping(json, mapping, error)) << json;
  return error;
}

TEST(CefMapping, CompilesRulesWithTypesLimitsAndLabels) {
  CefMapping mapping;
  std::string error;
  ASSERT_TRUE(compile_cef_mapping(
      R"({"fields": [
        {"key": "act", "source": "status"},
        {"key": "cs1", "label": "TenantId", "source": "tenant_id|attr.tenant", "kinds": ["alert"]},
        {"key": "src", "source": "entity.ip.address", "roles": ["Source"], "not_roles": ["x"]},
        {"key": "MicrosoftExtra", "source": "title", "limit": 10}
      ]})",
      mapping, error))
      << error;
  ASSERT_EQ(mapping.rules.size(), 4u);
  EXPECT_EQ(mapping.rules[0].limit, 63u);
  EXPECT_EQ(mapping.rules[0].label_key, "");
  EXPECT_EQ(mapping.rules[1].label_key, "cs1Label");
  EXPECT_TRUE(mapping.rules[1].custom_string_limit);
  EXPECT_EQ(mapping.rules[1].sources.size(), 2u);
  EXPECT_TRUE(mapping.rules[1].applies_to(EventKind::alert));
  EXPECT_FALSE(mapping.rules[1].applies_to(EventKind::incident));
  EXPECT_EQ(mapping.rules[2].type, CefValueType::ipv4);
  EXPECT_EQ(mapping.rules[2].roles, std::vector<std::string>{"source"});
  EXPECT_EQ(mapping.rules[3].type, CefValueType::string);
  EXPECT_EQ(mapping.rules[3].limit, 10u);
}

TEST(CefMapping, RejectsBadFilesWithThePositionAndReason) {
  EXPECT_EQ(compile_error("{"), "invalid JSON at offset 1");
  EXPECT_EQ(compile_error("[]"), "expected an object with a \"fields\" array");
  EXPECT_EQ(compile_error(R"({"fields": [1]})"), "fields[0]: expected an object");
  EXPECT_EQ(compile_error(R"({"fields": [{"source": "id"}]})"), "fields[0]: key must be a string");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "bad-key", "source": "id"}]})"),
            "fields[0] (key \"bad-key\"): key must match [A-Za-z0-9]+");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "cs1", "source": "id"}]})"),
            "fields[0] (key \"cs1\"): label is required for cs1");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "label": "X", "source": "id"}]})"),
            "fields[0] (key \"act\"): label is only allowed for custom keys (cs*, cn*, cfp*, "
            "c6a*, flexString*, deviceCustomDate*, flexDate1)");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "source": "id|nope"}]})"),
            "fields[0] (key \"act\"): unknown source \"nope\"");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "source": "entity.planet.name"}]})"),
            "fields[0] (key \"act\"): unknown source \"entity.planet.name\"");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "source": "id", "kinds": ["x"]}]})"),
            "fields[0] (key \"act\"): kinds: unknown event kind");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "source": "id", "limit": 0}]})"),
            "fields[0] (key \"act\"): limit must be a positive integer");
  EXPECT_EQ(compile_error(R"({"fields": [{"key": "act", "source": "id", "roles": "x"}]})"),
            "fields[0] (key \"act\"): roles must be an array of strings");
}

TEST(CefMapping, RejectsAKeyMappedTwiceForTheSameKind) {
  EXPECT_EQ(compile_error(R"({"fields": [
              {"key": "act", "source": "status", "kinds": ["alert", "incident"]},
              {"key": "act", "source": "title", "kinds": ["incident"]}]})"),
            "fields[1] (key \"act\"): key already mapped by fields[0] for an overlapping kind");
  EXPECT_EQ(compile_error(R"({"fields": [
              {"key": "cs1", "label": "A", "source": "id"},
              {"key": "cs1Label", "source": "title"}]})"),
            "fields[1] (key \"cs1Label\"): key already mapped by fields[0] for an overlapping "
            "kind");
  CefMapping mapping;
  std::string error;
  EXPECT_TRUE(compile_cef_mapping(R"({"fields": [
              {"key": "act", "source": "status", "kinds": ["alert"]},
              {"key": "act", "source": "title", "kinds": ["incident"]}]})",
                                  mapping, error))
      << error;
}

TEST(CefMapping, FirstUsableAlternativeWins) {
  CefMapping mapping;
  std::string error;
  ASSERT_TRUE(compile_cef_mapping(
      R"({"fields": [{"key": "rt", "source": "resolved_ms|attr.when|time_ms"},
                     {"key": "suser", "source": "entity.user.upn|entity.user.name"}]})",
      mapping, error));
  Event e;
  e.time_ms = 5;
  e.add_string("when", "not a number");
  e.add_entity(EntityType::user).name = "first-name-only";
  e.add_entity(EntityType::user).upn = "second@upn";
  CefValue value;
  ASSERT_TRUE(resolve_cef_value(mapping.rules[0], e, value));
  EXPECT_EQ(value.integer, 5);
  e.attributes.clear();
  e.add_integer("when", 7);
  ASSERT_TRUE(resolve_cef_value(mapping.rules[0], e, value));
  EXPECT_EQ(value.integer, 7);
  // upn is tried over all users before name: the second user's upn wins.
  ASSERT_TRUE(resolve_cef_value(mapping.rules[1], e, value));
  EXPECT_EQ(value.text, "second@upn");
  e.entities.clear();
  EXPECT_FALSE(resolve_cef_value(mapping.rules[1], e, value));
}

}  // namespace
}  // namespace secfeed

namespace secfeed {
namespace {

// schemas/cef-mapping.md is the human-readable copy of the table: every rule must have
// its row there (key, label and kinds), so the two cannot drift apart silently.
TEST(CefMapping, DocumentationListsEveryRule) {
  std::ifstream file(std::string(SECFEED_SOURCE_DIR) + "/schemas/cef-mapping.md");
  ASSERT_TRUE(file) << "schemas/cef-mapping.md";
  const std::string doc((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_EQ(cef_mapping_error(), "");
  for (const CefFieldRule& rule : cef_mapping().rules) {
    std::string kinds;
    for (int k = 0; k < kEventKindCount; ++k) {
      if (!rule.applies_to(static_cast<EventKind>(k))) continue;
      if (!kinds.empty()) kinds += ", ";
      kinds += to_string(static_cast<EventKind>(k));
    }
    if (rule.kinds_mask == ~0u) kinds = "all";
    const std::string row_start = "| `" + rule.key + "` | " + rule.label + " | ";
    bool found = false;
    for (std::size_t at = doc.find(row_start); at != std::string::npos && !found;
         at = doc.find(row_start, at + 1)) {
      const std::string row = doc.substr(at, doc.find('\n', at) - at);
      found = row.find("| " + kinds + " |") != std::string::npos;
    }
    EXPECT_TRUE(found) << "no row for " << rule.key << " (" << kinds << ")";
  }
}

}  // namespace
}  // namespace secfeed
