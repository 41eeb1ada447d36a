// Helpers shared by the Graph normalizers (graph_common) and the additions to
// normalize_util (snake_case_key, add_json_typed_attribute).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connector/core/arena.hpp"
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed {
namespace {

TEST(GraphCommon, ServiceSourceToProductNameIsCaseInsensitiveAndPassesUnknownThrough) {
  EXPECT_EQ(product_name_from_service_source("microsoftDefenderForEndpoint"),
            "Microsoft Defender for Endpoint");
  EXPECT_EQ(product_name_from_service_source("MicrosoftDefenderForIdentity"),
            "Microsoft Defender for Identity");
  EXPECT_EQ(product_name_from_service_source("azureAdIdentityProtection"),
            "Microsoft Entra ID Protection");
  EXPECT_EQ(product_name_from_service_source("microsoftSentinel"), "Microsoft Sentinel");
  EXPECT_EQ(product_name_from_service_source("somethingNew"), "somethingNew");
  EXPECT_EQ(product_name_from_service_source(""), "");
}

TEST(GraphCommon, MitreTacticNamesAreRecognisedInAnySpelling) {
  EXPECT_EQ(mitre_tactic_name("InitialAccess"), "InitialAccess");
  EXPECT_EQ(mitre_tactic_name("initialaccess"), "InitialAccess");
  EXPECT_EQ(mitre_tactic_name("Initial Access"), "InitialAccess");
  EXPECT_EQ(mitre_tactic_name("command_and_control"), "CommandAndControl");
  EXPECT_EQ(mitre_tactic_name("Impact"), "Impact");
  EXPECT_EQ(mitre_tactic_name("Malware"), "");
  EXPECT_EQ(mitre_tactic_name("SuspiciousActivity"), "");
  EXPECT_EQ(mitre_tactic_name("InitialAccessX"), "");
  EXPECT_EQ(mitre_tactic_name("Initial"), "");
  EXPECT_EQ(mitre_tactic_name(""), "");
}

TEST(GraphCommon, AddTacticSkipsDuplicatesAndNonTactics) {
  std::vector<std::string_view> tactics;
  add_tactic_if_known("Execution", tactics);
  add_tactic_if_known("execution", tactics);
  add_tactic_if_known("Ransomware", tactics);
  EXPECT_THAT(tactics, ::testing::ElementsAre("Execution"));
}

TEST(NormalizeUtil, SnakeCaseKeys) {
  Arena arena;
  EXPECT_EQ(snake_case_key("scoreInPercentage", arena), "score_in_percentage");
  EXPECT_EQ(snake_case_key("IsApplicable", arena), "is_applicable");
  EXPECT_EQ(snake_case_key("MFARegistrationV2", arena), "mfa_registration_v2");
  EXPECT_EQ(snake_case_key("AllTenants", arena), "all_tenants");
  EXPECT_EQ(snake_case_key("on", arena), "on");
  EXPECT_EQ(snake_case_key("odd-key.name", arena), "odd_key_name");
  EXPECT_EQ(snake_case_key("__x__", arena), "x");
  // A capital after a digit starts a word ("Office365Defender" -> office365_defender).
  EXPECT_EQ(snake_case_key("Office365Defender", arena), "office365_defender");
  EXPECT_EQ(snake_case_key("HasOD4B", arena), "has_od4_b");
  EXPECT_EQ(snake_case_key("already_snake", arena), "already_snake");
  EXPECT_EQ(snake_case_key("@#!", arena), "_");
  EXPECT_EQ(snake_case_key("", arena), "_");
}

TEST(NormalizeUtil, JoinInArena) {
  Arena arena;
  EXPECT_EQ(join_in_arena("tenant_2024-03-03", '_', "OneAdmin", arena),
            "tenant_2024-03-03_OneAdmin");
  EXPECT_EQ(join_in_arena("", '\\', "", arena), "\\");
}

TEST(NormalizeUtil, JsonTypedAttributes) {
  rapidjson::Document doc;
  doc.Parse(R"({"s":"x","i":-3,"n":1.5,"b":true,"o":{"a":1},"a":[1],"z":null,
                "u":18446744073709551615})");
  Arena arena;
  Event event;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    add_json_typed_attribute(event, it->name.GetString(), it->value, arena);
  }
  ASSERT_EQ(event.attributes.size(), 7u);  // null adds nothing
  EXPECT_EQ(event.attributes[0].type, Attribute::Type::string);
  EXPECT_EQ(event.attributes[0].text, "x");
  EXPECT_EQ(event.attributes[1].type, Attribute::Type::integer);
  EXPECT_EQ(event.attributes[1].integer, -3);
  EXPECT_EQ(event.attributes[2].type, Attribute::Type::number);
  EXPECT_EQ(event.attributes[2].number, 1.5);
  EXPECT_EQ(event.attributes[3].type, Attribute::Type::boolean);
  EXPECT_TRUE(event.attributes[3].boolean);
  EXPECT_EQ(event.attributes[4].type, Attribute::Type::json);
  EXPECT_EQ(event.attributes[4].text, R"({"a":1})");
  EXPECT_EQ(event.attributes[5].text, "[1]");
  EXPECT_EQ(event.attributes[6].key, "u");
  EXPECT_EQ(event.attributes[6].type, Attribute::Type::json);
  EXPECT_EQ(event.attributes[6].text, "18446744073709551615");
}

}  // namespace
}  // namespace secfeed
