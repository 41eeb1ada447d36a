// Test support for the Defender for Cloud normalizer tests: loads a fixture from
// tests/fixtures/defender/ through PayloadReader (as the Event Hub source does) and
// normalizes every item with PayloadKind::mdc.
#pragma once

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"

namespace secfeed::testing {

inline std::string read_defender_fixture(const std::string& name) {
  std::ifstream file(std::string(SECFEED_SOURCE_DIR) + "/tests/fixtures/defender/" + name,
                     std::ios::binary);
  EXPECT_TRUE(file.good()) << name;
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return std::move(buffer).str();
}

struct ItemResult {
  std::string position;
  bool ok = false;
  std::string error;
  std::size_t events = 0;  // how many events the item produced
};

// Normalizes a fixture that is ONE JSON document (object, array or {"records":[...]}).
// The events stay valid while this object lives: PayloadReader keeps the parsed
// document until its next read().
class DefenderFixture {
 public:
  explicit DefenderFixture(const std::string& name) : text_(read_defender_fixture(name)) {
    reader_.read(
        text_,
        [&](const PayloadItem& item) {
          ItemResult result;
          result.position = std::string(item.position);
          const std::size_t before = batch_.size();
          NormalizeContext ctx{arena_, "mdc-test", "", "", item.raw_text};
          result.ok = normalize_item(PayloadKind::mdc, item.value, ctx, batch_, result.error);
          result.events = batch_.size() - before;
          results_.push_back(result);
        },
        [&](const PayloadError& error) { ADD_FAILURE() << name << ": " << error.reason; });
  }

  const EventBatch& events() const { return batch_; }
  const std::vector<ItemResult>& results() const { return results_; }

 private:
  std::string text_;
  PayloadReader reader_;
  Arena arena_;
  EventBatch batch_;
  std::vector<ItemResult> results_;
};

// Runs `check` on every item of an NDJSON fixture (its items only live during the
// callback) after normalizing it into a fresh batch.
inline void for_each_ndjson_item(
    const std::string& name,
    const std::function<void(const PayloadItem&, bool ok, const std::string& error,
                             const EventBatch& batch)>& check) {
  const std::string text = read_defender_fixture(name);
  PayloadReader reader;
  Arena arena;
  EventBatch batch;
  reader.read(
      text,
      [&](const PayloadItem& item) {
        batch.clear();
        std::string error;
        NormalizeContext ctx{arena, "mdc-test", "", "", item.raw_text};
        const bool ok = normalize_item(PayloadKind::mdc, item.value, ctx, batch, error);
        check(item, ok, error, batch);
      },
      [&](const PayloadError& error) { ADD_FAILURE() << name << ": " << error.reason; });
}

// One literal JSON record normalized as PayloadKind::mdc (through the dispatcher).
struct NormalizedRecord {
  rapidjson::Document document;
  Arena arena;
  EventBatch batch;
  std::string error;
  bool ok = false;
  explicit NormalizedRecord(std::string_view json, std::string_view tenant = {}) {
    document.Parse(json.data(), json.size());
    EXPECT_FALSE(document.HasParseError()) << json.substr(0, 200);
    NormalizeContext ctx{arena, "src", tenant, "", {}};
    ok = normalize_item(PayloadKind::mdc, document, ctx, batch, error);
  }
};

inline const Attribute* attribute(const Event& event, std::string_view key) {
  return event.find_attribute(key);
}

inline std::string string_attribute(const Event& event, std::string_view key) {
  const Attribute* a = event.find_attribute(key);
  if (a == nullptr) return "<absent>";
  EXPECT_EQ(a->type, Attribute::Type::string) << key;
  return std::string(a->text);
}

}  // namespace secfeed::testing
