// Test support for the Graph normalizer tests: loads a fixture through PayloadReader
// (the same splitter the sources use), keeps deep copies of its items, and normalizes
// them into a batch.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/core/json_reader.hpp"
#include "connector/core/time.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"

namespace secfeed::testing {

inline std::string read_fixture_text(std::string_view relative_path) {
  const std::string path =
      std::string(SECFEED_SOURCE_DIR) + "/tests/fixtures/graph/" + std::string(relative_path);
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << "cannot open " << path;
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return std::move(buffer).str();
}

// The items of one fixture file, copied out of PayloadReader (whose items only live
// during its callback), with the @odata.context each came with.
class Fixture {
 public:
  explicit Fixture(std::string_view relative_path) {
    document_.SetArray();
    PayloadReader reader;
    reader.read(
        read_fixture_text(relative_path),
        [&](const PayloadItem& item) {
          rapidjson::Value copy = copy_json(item.value, document_.GetAllocator());
          document_.PushBack(copy, document_.GetAllocator());
          contexts_.emplace_back(item.context);
        },
        [&](const PayloadError& error) {
          ADD_FAILURE() << relative_path << ": " << error.position << ": " << error.reason;
        });
  }

  std::size_t size() const { return document_.Size(); }
  const rapidjson::Value& item(std::size_t i) const {
    return document_[static_cast<rapidjson::SizeType>(i)];
  }
  std::string_view context(std::size_t i) const { return contexts_[i]; }

 private:
  rapidjson::Document document_;
  std::vector<std::string> contexts_;
};

// One normalization: its arena, batch and error, kept together because events point
// into the arena.
struct Normalized {
  Arena arena;
  EventBatch batch;
  std::string error;

  bool run(PayloadKind kind, const rapidjson::Value& item) {
    const NormalizeContext ctx{arena, "graph-test", "fallback-tenant", "Contoso", {}};
    return normalize_item(kind, item, ctx, batch, error);
  }
};

inline std::int64_t ms(std::string_view iso) {
  return parse_iso8601_ms(iso).value_or(-1);
}

inline std::vector<std::string_view> attribute_keys(const Event& event) {
  std::vector<std::string_view> keys;
  for (const Attribute& a : event.attributes) keys.push_back(a.key);
  return keys;
}

// Attribute value as text for compact assertions: strings as is, integers and
// booleans formatted, json as its text. Numbers are checked with number_attribute.
inline std::string attribute_text(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  if (a == nullptr) return "<missing>";
  switch (a->type) {
    case Attribute::Type::string:
      return "s:" + std::string(a->text);
    case Attribute::Type::json:
      return "j:" + std::string(a->text);
    case Attribute::Type::integer:
      return "i:" + std::to_string(a->integer);
    case Attribute::Type::boolean:
      return a->boolean ? "b:true" : "b:false";
    case Attribute::Type::number:
      return "n:" + std::to_string(a->number);
  }
  return "<?>";
}

inline std::optional<double> number_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  if (a == nullptr || a->type != Attribute::Type::number) return std::nullopt;
  return a->number;
}

}  // namespace secfeed::testing

namespace secfeed::testing {

// "host name=tempDns id=73e7 os=Windows10 ..." with every non-empty field in a fixed
// order, so a list of entities compares exactly and reads well in a failure.
inline std::string describe(const Entity& e) {
  std::string out(to_string(e.type));
  const auto field = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    out += ' ';
    out += name;
    out += '=';
    out += value;
  };
  field("type_name", e.type_name);
  field("name", e.name);
  field("id", e.id);
  field("domain", e.domain);
  field("upn", e.upn);
  field("sid", e.sid);
  field("display_name", e.display_name);
  field("address", e.address);
  field("country", e.country);
  field("path", e.path);
  field("sha1", e.sha1);
  field("sha256", e.sha256);
  field("md5", e.md5);
  field("url", e.url);
  field("command_line", e.command_line);
  field("user", e.user);
  field("os", e.os);
  field("subscription", e.subscription);
  if (e.size >= 0) out += " size=" + std::to_string(e.size);
  field("role", e.role);
  field("verdict", e.verdict);
  field("remediation_status", e.remediation_status);
  return out;
}

inline std::vector<std::string> describe_entities(const Event& event) {
  std::vector<std::string> out;
  for (const Entity& e : event.entities) out.push_back(describe(e));
  return out;
}

}  // namespace secfeed::testing
