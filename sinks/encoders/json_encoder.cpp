// The normalized event as one JSON line; the shape is schemas/event.schema.json.
// Empty optional fields are left out, so a consumer tests presence, never "".
#include <cmath>

#include <rapidjson/reader.h>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed {
namespace {

// Bumped when a field changes meaning or type (additions keep the version).
constexpr int kEventSchemaVersion = 1;

class EventJsonWriter {
 public:
  explicit EventJsonWriter(std::string& out) : stream_(out), writer_(stream_) {}

  void write(const Event& event) {
    writer_.StartObject();
    key("schema_version");
    writer_.Int(kEventSchemaVersion);
    key("kind");
    string(to_string(event.kind));
    key("id");
    string(event.id);
    optional_string("provider_id", event.provider_id);
    if (!event.tenant_id.empty() || !event.tenant_name.empty()) {
      key("tenant");
      writer_.StartObject();
      optional_string("id", event.tenant_id);
      optional_string("name", event.tenant_name);
      writer_.EndObject();
    }
    optional_string("source", event.source);
    optional_string("payload_kind", event.payload_kind);
    optional_string("vendor", event.vendor);
    optional_string("product", event.product);
    optional_string("product_version", event.product_version);
    optional_string("title", event.title);
    optional_string("description", event.description);
    key("severity");
    writer_.StartObject();
    key("label");
    string(to_string(event.severity));
    key("score");
    writer_.Int(event.severity_score < 0    ? 0
                : event.severity_score > 10 ? 10
                                            : event.severity_score);
    writer_.EndObject();
    optional_string("status", event.status);
    optional_string("category", event.category);
    optional_string("classification", event.classification);
    optional_string("determination", event.determination);
    optional_string("assigned_to", event.assigned_to);
    optional_string("detection_source", event.detection_source);
    optional_string("service_source", event.service_source);
    optional_string("detector_id", event.detector_id);
    optional_string("incident_id", event.incident_id);
    optional_string("url", event.url);
    optional_string("remediation", event.remediation);
    optional_string("subscription_id", event.subscription_id);
    optional_string("resource_id", event.resource_id);
    optional_time("time", event.time_ms);
    optional_time("created_time", event.created_ms);
    optional_time("updated_time", event.updated_ms);
    optional_time("first_activity_time", event.first_activity_ms);
    optional_time("last_activity_time", event.last_activity_ms);
    optional_time("resolved_time", event.resolved_ms);
    optional_list("tactics", event.tactics);
    optional_list("techniques", event.techniques);
    optional_list("tags", event.tags);
    optional_list("recommended_actions", event.recommended_actions);
    if (!event.entities.empty()) {
      key("entities");
      writer_.StartArray();
      for (const Entity& entity : event.entities) write(entity);
      writer_.EndArray();
    }
    if (!event.attributes.empty()) {
      key("attributes");
      writer_.StartObject();
      for (std::size_t i = 0; i < event.attributes.size(); ++i) {
        if (!is_first_with_key(event, i)) continue;
        write(event.attributes[i]);
      }
      writer_.EndObject();
    }
    writer_.EndObject();
  }

 private:
  void write(const Entity& entity) {
    writer_.StartObject();
    key("type");
    string(to_string(entity.type));
    optional_string("type_name", entity.type_name);
    optional_string("role", entity.role);
    optional_string("verdict", entity.verdict);
    optional_string("name", entity.name);
    optional_string("id", entity.id);
    optional_string("domain", entity.domain);
    optional_string("upn", entity.upn);
    optional_string("sid", entity.sid);
    optional_string("display_name", entity.display_name);
    optional_string("address", entity.address);
    optional_string("country", entity.country);
    optional_string("path", entity.path);
    optional_string("sha1", entity.sha1);
    optional_string("sha256", entity.sha256);
    optional_string("md5", entity.md5);
    optional_string("url", entity.url);
    optional_string("command_line", entity.command_line);
    optional_string("user", entity.user);
    optional_string("os", entity.os);
    optional_string("subscription", entity.subscription);
    if (entity.size >= 0) {
      key("size");
      writer_.Int64(entity.size);
    }
    writer_.EndObject();
  }

  void write(const Attribute& attribute) {
    key(attribute.key);
    switch (attribute.type) {
      case Attribute::Type::string:
        string(attribute.text);
        return;
      case Attribute::Type::integer:
        writer_.Int64(attribute.integer);
        return;
      case Attribute::Type::number:
        // JSON has no NaN/Infinity; rapidjson would write nothing and break the line.
        if (std::isfinite(attribute.number)) {
          writer_.Double(attribute.number);
        } else {
          writer_.Null();
        }
        return;
      case Attribute::Type::boolean:
        writer_.Bool(attribute.boolean);
        return;
      case Attribute::Type::json:
        embedded_json(attribute.text);
        return;
    }
    writer_.Null();
  }

  // Attribute keys are unique in the output (the first wins, as in find_attribute).
  static bool is_first_with_key(const Event& event, std::size_t index) {
    for (std::size_t j = 0; j < index; ++j) {
      if (event.attributes[j].key == event.attributes[index].key) return false;
    }
    return true;
  }

  // A json attribute is embedded as a JSON value, re-serialized compactly through a
  // validating parse so a malformed text can never corrupt the line; one that does not
  // parse is written as a string instead.
  void embedded_json(std::string_view text) {
    thread_local std::string scratch;
    scratch.clear();
    StringAppendStream scratch_stream(scratch);
    JsonAppendWriter scratch_writer(scratch_stream);
    rapidjson::Reader reader;
    rapidjson::MemoryStream memory(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
    constexpr unsigned kFlags =
        rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag;
    if (text.empty() || !reader.Parse<kFlags>(input, scratch_writer) ||
        !trim(text.substr(memory.Tell())).empty()) {
      string(text);
      return;
    }
    writer_.RawValue(scratch.data(), scratch.size(), raw_type(scratch.front()));
  }

  static rapidjson::Type raw_type(char first) {
    switch (first) {
      case '{':
        return rapidjson::kObjectType;
      case '[':
        return rapidjson::kArrayType;
      case '"':
        return rapidjson::kStringType;
      case 't':
        return rapidjson::kTrueType;
      case 'f':
        return rapidjson::kFalseType;
      case 'n':
        return rapidjson::kNullType;
      default:
        return rapidjson::kNumberType;
    }
  }

  void key(std::string_view name) { string(name); }

  // Invalid UTF-8 would make the line invalid JSON: such strings are written with
  // U+FFFD replacements (control characters are escaped by the writer).
  void string(std::string_view text) {
    if (is_valid_utf8(text)) {
      writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return;
    }
    thread_local std::string sanitized;
    sanitized.clear();
    append_utf8_sanitized(sanitized, text);
    writer_.String(sanitized.data(), static_cast<rapidjson::SizeType>(sanitized.size()));
  }

  void optional_string(std::string_view name, std::string_view text) {
    if (text.empty()) return;
    key(name);
    string(text);
  }

  void optional_time(std::string_view name, std::int64_t ms) {
    if (ms == kNoTime) return;
    key(name);
    thread_local std::string text;  // reused: no allocation per timestamp
    text.clear();
    append_iso8601_ms(text, ms);
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }

  void optional_list(std::string_view name, const std::vector<std::string_view>& items) {
    if (items.empty()) return;
    key(name);
    writer_.StartArray();
    for (std::string_view item : items) string(item);
    writer_.EndArray();
  }

  StringAppendStream stream_;
  JsonAppendWriter writer_;
};

}  // namespace

void encode_json(const Event& event, std::string& out) {
  out.reserve(out.size() + 1024 + event.description.size());
  EventJsonWriter(out).write(event);
}

}  // namespace secfeed
