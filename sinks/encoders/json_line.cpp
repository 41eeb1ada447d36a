#include "sinks/encoders/json_line.hpp"

#include <rapidjson/reader.h>

#include "connector/core/text.hpp"

namespace secfeed {
namespace {

// Attribute keys are unique in the output (the first wins, as in find_attribute).
bool is_first_with_key(const Event& event, std::size_t index) {
  for (std::size_t j = 0; j < index; ++j) {
    if (event.attributes[j].key == event.attributes[index].key) return false;
  }
  return true;
}

}  // namespace

void write_entity(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.key("type");
  json.string(to_string(entity.type));
  json.optional_string("type_name", entity.type_name);
  json.optional_string("role", entity.role);
  json.optional_string("verdict", entity.verdict);
  json.optional_string("name", entity.name);
  json.optional_string("id", entity.id);
  json.optional_string("domain", entity.domain);
  json.optional_string("upn", entity.upn);
  json.optional_string("sid", entity.sid);
  json.optional_string("display_name", entity.display_name);
  json.optional_string("address", entity.address);
  json.optional_string("country", entity.country);
  json.optional_string("path", entity.path);
  json.optional_string("sha1", entity.sha1);
  json.optional_string("sha256", entity.sha256);
  json.optional_string("md5", entity.md5);
  json.optional_string("url", entity.url);
  json.optional_string("command_line", entity.command_line);
  json.optional_string("user", entity.user);
  json.optional_string("os", entity.os);
  json.optional_string("subscription", entity.subscription);
  if (entity.size >= 0) {
    json.key("size");
    json.integer(entity.size);
  }
  json.end_object();
}

void write_embedded_json(JsonLine& json, std::string_view text) {
  thread_local std::string compact;  // reused: no allocation once warm
  compact.clear();
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag;
  bool parsed;
  {
    StringAppendStream stream(compact);  // flushed when it goes out of scope
    JsonAppendWriter writer(stream);
    rapidjson::Reader reader;
    parsed = !text.empty() && !reader.Parse<kFlags>(input, writer).IsError();
  }
  if (!parsed || !trim(text.substr(memory.Tell())).empty()) {
    json.string(text);
    return;
  }
  json.raw(compact);
}

void write_attribute_value(JsonLine& json, const Attribute& attribute) {
  switch (attribute.type) {
    case Attribute::Type::string:
      json.string(attribute.text);
      return;
    case Attribute::Type::integer:
      json.integer(attribute.integer);
      return;
    case Attribute::Type::number:
      json.number(attribute.number);
      return;
    case Attribute::Type::boolean:
      json.boolean(attribute.boolean);
      return;
    case Attribute::Type::json:
      write_embedded_json(json, attribute.text);
      return;
  }
  json.raw("null");
}

void write_attributes_object(JsonLine& json, const Event& event) {
  json.begin_object();
  for (std::size_t i = 0; i < event.attributes.size(); ++i) {
    if (!is_first_with_key(event, i)) continue;
    json.key(event.attributes[i].key);
    write_attribute_value(json, event.attributes[i]);
  }
  json.end_object();
}

}  // namespace secfeed
