// Keeps schemas/config.schema.json, the example configs and the loader consistent:
//   1. every deploy/examples/*.yaml loads and validates against the schema (draft-04);
//   2. the set of keys the loader knows equals the set of keys the schema describes
//      (walking both), so neither can gain or lose a key alone.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <yaml-cpp/yaml.h>

#include "config_test_util.hpp"
#include "connector/core/config.hpp"
#include "embedded.hpp"

namespace secfeed {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> example_files() {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(SECFEED_SOURCE_DIR) / "deploy/examples")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every ${VAR} in the examples resolves; connection strings get a well-formed value.
ConfigLoadOptions example_options(std::set<std::string>* catalog) {
  ConfigLoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name.find("CONNECTION_STRING") != std::string::npos) {
      return "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a";
    }
    if (name.find("BOOTSTRAP") != std::string::npos) return "127.0.0.1:9092";
    if (name.ends_with("_PORT")) return "9464";
    if (name.find("EMULATOR") != std::string::npos) return "https://127.0.0.1:8443";
    return "value-of-" + name;
  };
  options.world_readable = false;
  options.key_catalog = catalog;
  return options;
}

// YAML -> JSON the way a YAML 1.2 core-schema reader types plain scalars; quoted
// scalars stay strings.
void to_json(const YAML::Node& node, rapidjson::Value& out,
             rapidjson::Document::AllocatorType& allocator) {
  if (node.IsMap()) {
    out.SetObject();
    for (auto it = node.begin(); it != node.end(); ++it) {
      rapidjson::Value key(it->first.Scalar().c_str(), allocator);
      rapidjson::Value value;
      to_json(it->second, value, allocator);
      out.AddMember(key, value, allocator);
    }
  } else if (node.IsSequence()) {
    out.SetArray();
    for (const YAML::Node& item : node) {
      rapidjson::Value value;
      to_json(item, value, allocator);
      out.PushBack(value, allocator);
    }
  } else if (node.IsNull()) {
    out.SetNull();
  } else {
    const std::string& text = node.Scalar();
    if (node.Tag() == "?") {  // plain scalar
      if (text == "true" || text == "false") {
        out.SetBool(text == "true");
        return;
      }
      std::int64_t integer = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
      if (ec == std::errc() && end == text.data() + text.size()) {
        out.SetInt64(integer);
        return;
      }
      double number = 0;
      const auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (dec == std::errc() && dend == text.data() + text.size()) {
        out.SetDouble(number);
        return;
      }
    }
    out.SetString(text.c_str(), rapidjson::SizeType(text.size()), allocator);
  }
}

rapidjson::Document schema_json() {
  rapidjson::Document schema;
  schema.Parse(embedded::config_schema_json.data(), embedded::config_schema_json.size());
  EXPECT_FALSE(schema.HasParseError()) << "schemas/config.schema.json is not valid JSON";
  return schema;
}

TEST(ConfigSchemaTest, ExamplesLoadAndValidateAgainstTheSchema) {
  const rapidjson::Document schema_doc = schema_json();
  const rapidjson::SchemaDocument schema(schema_doc);
  const auto files = example_files();
  ASSERT_GE(files.size(), 2u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    EXPECT_NO_THROW(load_config_file(file, example_options(nullptr)));

    rapidjson::Document json;
    to_json(YAML::LoadFile(file), json, json.GetAllocator());
    rapidjson::SchemaValidator validator(schema);
    if (!json.Accept(validator)) {
      rapidjson::StringBuffer where, rule;
      validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
      validator.GetInvalidSchemaPointer().StringifyUriFragment(rule);
      ADD_FAILURE() << "invalid at " << where.GetString() << ": schema rule " << rule.GetString()
                    << " (" << validator.GetInvalidSchemaKeyword() << ")";
    }
  }
}

TEST(ConfigSchemaTest, SchemaRejectsWhatTheLoaderRejects) {
  const rapidjson::Document schema_doc = schema_json();
  const rapidjson::SchemaDocument schema(schema_doc);
  for (const char* text : {
           R"({"sources": [{"type": "graph_alerts"}], "sinks": [{"type": "file"}]})",
           R"({"sources": [{"type": "graph_alerts", "intervall": "5m"}],
               "sinks": [{"type": "file", "path": "-"}]})",
           R"({"sources": [{"type": "graph_alerts", "interval": "30"}],
               "sinks": [{"type": "file", "path": "-"}]})",
           R"({"sources": [{"type": "graph_incidents", "page_size": 51}],
               "sinks": [{"type": "file", "path": "-"}]})",
           R"({"sources": [{"type": "graph_alerts"}],
               "sinks": [{"type": "syslog", "url": "http://x"}]})",
       }) {
    rapidjson::Document json;
    json.Parse(text);
    ASSERT_FALSE(json.HasParseError()) << text;
    rapidjson::SchemaValidator validator(schema);
    EXPECT_FALSE(json.Accept(validator)) << text;
  }
}

// ---- key catalog comparison

const rapidjson::Value& resolve(const rapidjson::Value& root, const rapidjson::Value& node) {
  const auto ref = node.FindMember("$ref");
  if (ref == node.MemberEnd()) return node;
  const std::string pointer = std::string(ref->value.GetString()).substr(1);  // drop '#'
  const rapidjson::Value* target = rapidjson::Pointer(pointer.c_str()).Get(root);
  EXPECT_NE(target, nullptr) << pointer;
  return target != nullptr ? *target : node;
}

void collect_schema_keys(const rapidjson::Value& root, const rapidjson::Value& node_in,
                         const std::string& path, std::set<std::string>& keys) {
  const rapidjson::Value& node = resolve(root, node_in);
  if (!node.IsObject()) return;
  if (const auto props = node.FindMember("properties"); props != node.MemberEnd()) {
    for (const auto& member : props->value.GetObject()) {
      const std::string key =
          path.empty() ? member.name.GetString() : path + "." + member.name.GetString();
      keys.insert(key);
      collect_schema_keys(root, member.value, key, keys);
    }
  }
  if (const auto items = node.FindMember("items"); items != node.MemberEnd()) {
    const rapidjson::Value& item = resolve(root, items->value);
    const auto one_of = item.FindMember("oneOf");
    if (one_of == item.MemberEnd()) {
      collect_schema_keys(root, item, path + "[]", keys);
      return;
    }
    // A list of typed components: sources[graph_alerts], sinks[syslog], ...
    for (const auto& branch : one_of->value.GetArray()) {
      const rapidjson::Value& type = branch["properties"]["type"]["enum"][0];
      collect_schema_keys(root, branch, path + "[" + type.GetString() + "]", keys);
    }
  }
}

// Every section and every alternative the examples do not show.
std::string alternatives_yaml() {
  const std::string common = R"(
    filter: {kinds: [alert]}
    queue: {max_events: 10}
    retry: {initial: 1s}
    buffer: {type: memory}
    batch: {max_events: 10})";
  return testing::yaml(R"(
clouds:
  global: {login_url: "https://l"}
  usgov: {login_url: "https://l"}
  usgov_dod: {login_url: "https://l"}
  china: {login_url: "https://l"}
tenants:
  - id: 00000000-0000-0000-0000-000000000001
    client_id: 11111111-1111-1111-1111-111111111111
    certificate: {pfx_file: /x.pfx}
sources:
  - type: eventhub
    name: hub-oauth
    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: ns}
    topic: t
  - type: eventhub
    name: hub-kafka
    kafka: {bootstrap_servers: "h:1"}
    topic: t
sinks:
  - type: syslog
    url: udp://h)" + common +
                       R"(
  - type: kafka
    connection_string: "Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey=a"
    topic: t)" + common +
                       R"(
  - type: kafka
    name: bus-oauth
    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: ns}
    topic: t
  - type: kafka
    name: bus-plain
    bootstrap_servers: "h:1"
    topic: t)" + common +
                       R"(
  - type: log_analytics
    endpoint: https://dce
    dcr_immutable_id: dcr-ab
    stream_alerts: Custom-A)" +
                       common + R"(
  - type: file
    path: "-")" + common +
                       "\n");
}

TEST(ConfigSchemaTest, LoaderAndSchemaKnowTheSameKeys) {
  std::set<std::string> loader_keys;
  for (const std::string& file : example_files()) {
    load_config_file(file, example_options(&loader_keys));
  }
  load_config_string(alternatives_yaml(), "alternatives.yaml", example_options(&loader_keys));
  // `type` is read before dispatching on it, under the untyped list name.
  std::erase_if(loader_keys, [](const std::string& key) {
    return key.starts_with("sources[].") || key.starts_with("sinks[].");
  });
  for (const char* list : {"sources", "sinks"}) {
    for (const std::string& key : std::set<std::string>(loader_keys)) {
      if (key.starts_with(std::string(list) + "[") && key.find("].") != std::string::npos) {
        loader_keys.insert(key.substr(0, key.find("].") + 2) + "type");
      }
    }
  }

  const rapidjson::Document schema = schema_json();
  std::set<std::string> schema_keys;
  collect_schema_keys(schema, schema, "", schema_keys);

  std::vector<std::string> only_loader, only_schema;
  std::set_difference(loader_keys.begin(), loader_keys.end(), schema_keys.begin(),
                      schema_keys.end(), std::back_inserter(only_loader));
  std::set_difference(schema_keys.begin(), schema_keys.end(), loader_keys.begin(),
                      loader_keys.end(), std::back_inserter(only_schema));
  EXPECT_EQ(only_loader, std::vector<std::string>{}) << "keys missing from the schema";
  EXPECT_EQ(only_schema, std::vector<std::string>{}) << "schema keys the loader rejects";
  EXPECT_GT(loader_keys.size(), 150u);  // the walk really covered the sections
}

}  // namespace
}  // namespace secfeed
