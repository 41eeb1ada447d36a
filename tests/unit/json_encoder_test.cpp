#include <gtest/gtest.h>

#include <limits>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "connector/core/text.hpp"
#include "embedded.hpp"
#include "sinks/encoders/encoders.hpp"
#include "tests/unit/encoder_test_events.hpp"

namespace secfeed {
namespace {

using namespace std::literals;

std::string json(const Event& event) {
  std::string out;
  encode_json(event, out);
  return out;
}

// Validates one line against schemas/event.schema.json; returns "" or the violation.
std::string schema_violation(const std::string& line) {
  struct Schema {
    static rapidjson::Document parse() {
      rapidjson::Document document;
      document.Parse(embedded::event_schema_json.data(), embedded::event_schema_json.size());
      return document;
    }
    rapidjson::Document source = parse();  // outlives the schema compiled from it
    rapidjson::SchemaDocument compiled{source};
  };
  static const Schema schema_holder;
  const rapidjson::SchemaDocument* schema = &schema_holder.compiled;
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  if (document.HasParseError()) return "not valid JSON: " + line;
  rapidjson::SchemaValidator validator(*schema);
  if (document.Accept(validator)) return "";
  rapidjson::StringBuffer schema_pointer, document_pointer;
  validator.GetInvalidSchemaPointer().StringifyUriFragment(schema_pointer);
  validator.GetInvalidDocumentPointer().StringifyUriFragment(document_pointer);
  return std::string("schema ") + schema_pointer.GetString() + " keyword " +
         validator.GetInvalidSchemaKeyword() + " at " + document_pointer.GetString() +
         "\nline: " + line;
}

Event hostile_event() {
  Event e;
  e.kind = EventKind::alert;
  e.id = test::hostile_text();
  e.title = test::hostile_text();
  e.tenant_name = "\xff";
  e.tactics = {test::hostile_text(), ""};
  Entity& user = e.add_entity(EntityType::user);
  user.name = test::hostile_text();
  user.size = 0;
  e.add_string("text", test::hostile_text());
  e.add_json("broken_json", "{\"a\":");
  e.add_json("trailing_garbage", "[1] x");
  e.add_json("bad_utf8_json", "\"\xff\"");
  e.add_json("nul_inside",
             "1\0"
             "2"sv);  // static storage: events hold views
  e.add_number("nan", std::numeric_limits<double>::quiet_NaN());
  e.add_number("inf", std::numeric_limits<double>::infinity());
  e.add_boolean("flag", false);
  e.time_ms = 253402300799999;  // 9999-12-31T23:59:59.999Z
  e.created_ms = 0;
  return e;
}

TEST(JsonEncoder, SchemaIsValidDraft04) {
  rapidjson::Document document;
  document.Parse(embedded::event_schema_json.data(), embedded::event_schema_json.size());
  ASSERT_FALSE(document.HasParseError());
  EXPECT_STREQ(document["$schema"].GetString(), "http://json-schema.org/draft-04/schema#");
}

TEST(JsonEncoder, EveryKindValidatesAgainstTheSchema) {
  for (const Event& event : test::sample_events_of_every_kind()) {
    EXPECT_EQ(schema_violation(json(event)), "") << to_string(event.kind);
  }
  EXPECT_EQ(schema_violation(json(Event{})), "");
  EXPECT_EQ(schema_violation(json(hostile_event())), "");
}

TEST(JsonEncoder, SchemaRejectsWhatTheEncoderMustNotWrite) {
  // The validator is live: these lines differ from valid output in one field each.
  EXPECT_NE(schema_violation(R"({"schema_version":1,"kind":"nope","id":"x",)"
                             R"("severity":{"label":"low","score":3}})"),
            "");
  EXPECT_NE(schema_violation(R"({"schema_version":1,"kind":"alert","id":"x",)"
                             R"("severity":{"label":"low","score":11}})"),
            "");
  EXPECT_NE(schema_violation(R"({"schema_version":1,"kind":"alert","id":"x","title":"",)"
                             R"("severity":{"label":"low","score":3}})"),
            "");
  EXPECT_NE(schema_violation(R"({"schema_version":1,"kind":"alert","id":"x","time":"yesterday",)"
                             R"("severity":{"label":"low","score":3}})"),
            "");
  EXPECT_NE(schema_violation(R"({"schema_version":1,"kind":"alert","id":"x","extra":1,)"
                             R"("severity":{"label":"low","score":3}})"),
            "");
}

TEST(JsonEncoder, MinimalEventHasOnlyRequiredFields) {
  EXPECT_EQ(
      json(Event{}),
      R"({"schema_version":1,"kind":"alert","id":"","severity":{"label":"unknown","score":0}})");
}

TEST(JsonEncoder, IncidentLineExact) {
  EXPECT_EQ(json(test::sample_incident()),
            R"({"schema_version":1,"kind":"incident","id":"2893",)"
            R"("tenant":{"id":"b3c1b5a0-0000-4000-8000-000000000001"},)"
            R"("payload_kind":"graph_incident","product":"Microsoft 365 Defender",)"
            R"("title":"Multi-stage incident involving Execution",)"
            R"("severity":{"label":"high","score":8},"status":"active",)"
            R"("classification":"unknown","assigned_to":"bob@contoso.com",)"
            R"("url":"https://security.microsoft.com/incidents/2893",)"
            R"("time":"2024-05-01T10:20:30.456Z","created_time":"2024-05-01T09:20:30.456Z",)"
            R"("tags":["Ransomware","Demo"]})");
}

TEST(JsonEncoder, EntitiesCarryOnlyTheirSetFields) {
  Event e;
  Entity& file = e.add_entity(EntityType::file);
  file.name = "a.exe";
  file.path = "C:\\x";
  file.size = 0;
  e.add_entity(EntityType::other).type_name = "#microsoft.graph.security.fooEvidence";
  const std::string line = json(e);
  EXPECT_NE(line.find(R"("entities":[{"type":"file","name":"a.exe","path":"C:\\x","size":0},)"
                      R"({"type":"other","type_name":"#microsoft.graph.security.fooEvidence"}])"),
            std::string::npos)
      << line;
}

TEST(JsonEncoder, AttributesAreTypedAndJsonIsEmbedded) {
  Event e;
  e.add_string("s", "text");
  e.add_integer("i", -42);
  e.add_number("n", 0.5);
  e.add_boolean("b", true);
  e.add_json("j", " { \"k\" : [1, 2.5, null, \"v\"] } ");
  e.add_string("s", "duplicate: dropped");
  EXPECT_EQ(
      json(e),
      R"({"schema_version":1,"kind":"alert","id":"","severity":{"label":"unknown","score":0},)"
      R"("attributes":{"s":"text","i":-42,"n":0.5,"b":true,"j":{"k":[1,2.5,null,"v"]}}})");
}

TEST(JsonEncoder, HostileStringsStillMakeValidJson) {
  const std::string line = json(hostile_event());
  EXPECT_TRUE(is_valid_utf8(line));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  ASSERT_FALSE(document.HasParseError()) << line;
  const std::string expected_text = "pipe| back\\slash eq=ual cr\rlf\nnul"s + '\0' +
                                    "tab\tesc\x1b del\x7f bad\xEF\xBF\xBD\xEF\xBF\xBD( "
                                    "trunc\xEF\xBF\xBD\xEF\xBF\xBD ok\xc3\xa9 end";
  EXPECT_EQ(std::string(document["id"].GetString(), document["id"].GetStringLength()),
            expected_text);
  EXPECT_STREQ(document["tenant"]["name"].GetString(), "\xEF\xBF\xBD");
  const rapidjson::Value& attributes = document["attributes"];
  EXPECT_STREQ(attributes["broken_json"].GetString(), "{\"a\":");
  EXPECT_STREQ(attributes["trailing_garbage"].GetString(), "[1] x");
  EXPECT_STREQ(attributes["bad_utf8_json"].GetString(), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(attributes["nul_inside"].GetStringLength(), 3u);
  EXPECT_TRUE(attributes["nan"].IsNull());
  EXPECT_TRUE(attributes["inf"].IsNull());
  EXPECT_FALSE(attributes["flag"].GetBool());
  EXPECT_STREQ(document["time"].GetString(), "9999-12-31T23:59:59.999Z");
  EXPECT_STREQ(document["created_time"].GetString(), "1970-01-01T00:00:00.000Z");
}

TEST(JsonEncoder, AppendsWithoutClearing) {
  std::string out = "x";
  encode_json(Event{}, out);
  EXPECT_EQ(out.substr(0, 3), "x{\"");
}

TEST(RawEncoder, PrefersRawTextOnOneLine) {
  Event e;
  e.raw_text = "{\n  \"a\": 1,\r\n  \"b\": \"c\"\n}";
  std::string out = ">";
  encode_raw(e, out);
  EXPECT_EQ(out, ">{   \"a\": 1,    \"b\": \"c\" }");
}

TEST(RawEncoder, SerializesRawValueCompactly) {
  rapidjson::Document document;
  document.Parse(R"({ "a" : [ 1 , true ] , "b" : { } })");
  Event e;
  e.raw_value = &document;
  std::string out;
  encode_raw(e, out);
  EXPECT_EQ(out, R"({"a":[1,true],"b":{}})");
}

TEST(RawEncoder, EmptyObjectWhenThereIsNoRecord) {
  std::string out;
  encode_raw(Event{}, out);
  EXPECT_EQ(out, "{}");
}

TEST(OutputFormat, RoundTripsNamesCaseInsensitively) {
  for (OutputFormat format : {OutputFormat::cef, OutputFormat::json, OutputFormat::raw,
                              OutputFormat::ocsf, OutputFormat::sentinel}) {
    EXPECT_EQ(output_format_from_string(to_string(format)), format);
  }
  EXPECT_EQ(to_string(OutputFormat::sentinel), "sentinel");
  EXPECT_EQ(output_format_from_string("CEF"), OutputFormat::cef);
  EXPECT_EQ(output_format_from_string("xml"), std::nullopt);
  EXPECT_EQ(output_format_from_string(""), std::nullopt);
}

}  // namespace
}  // namespace secfeed
