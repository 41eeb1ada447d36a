#include "sinks/encoders/json_output.hpp"

#include <charconv>
#include <cmath>

#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"

namespace secfeed {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  const auto flush = [&](std::size_t end) { out.append(text.data() + run_start, end - run_start); };
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\') {
      ++i;
      continue;
    }
    if (byte >= 0x80) {
      const std::size_t n = utf8_sequence_length(text, i);
      if (n != 0) {
        i += n;
        continue;
      }
      flush(i);
      out.append("\xEF\xBF\xBD");
      run_start = ++i;
      continue;
    }
    flush(i);
    switch (byte) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
    run_start = ++i;
  }
  flush(text.size());
  out.push_back('"');
}

void append_json_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");  // JSON has no NaN/Infinity
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  out.append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out.append(".0");
}

void append_json_integer(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void JsonLine::iso_time(std::int64_t ms) {
  comma();
  out_.push_back('"');
  append_iso8601_ms(out_, ms);  // digits, '-', ':', '.', 'T', 'Z': nothing to escape
  out_.push_back('"');
  need_comma_ = true;
}

void JsonLine::embedded_json(std::string_view text) {
  // Reused per thread, so nothing allocates once warm: a fresh reader or writer would
  // allocate its stack on every call; Clear/Reset keep the capacity.
  thread_local rapidjson::StringBuffer compact;
  thread_local rapidjson::Writer<rapidjson::StringBuffer> writer;
  thread_local rapidjson::Reader reader;
  compact.Clear();
  writer.Reset(compact);
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag;
  const bool parsed = !text.empty() && !reader.Parse<kFlags>(input, writer).IsError();
  if (!parsed || !trim(text.substr(memory.Tell())).empty()) {
    string(text);
    return;
  }
  raw({compact.GetString(), compact.GetSize()});
}

void JsonLine::attribute_value(const Attribute& attribute) {
  switch (attribute.type) {
    case Attribute::Type::string:
      string(attribute.text);
      return;
    case Attribute::Type::integer:
      integer(attribute.integer);
      return;
    case Attribute::Type::number:
      number(attribute.number);
      return;
    case Attribute::Type::boolean:
      boolean(attribute.boolean);
      return;
    case Attribute::Type::json:
      embedded_json(attribute.text);
      return;
  }
  raw("null");
}

namespace {

// Attribute keys are unique in the output (the first wins, as in find_attribute).
bool is_first_with_key(const Event& event, std::size_t index) {
  for (std::size_t j = 0; j < index; ++j) {
    if (event.attributes[j].key == event.attributes[index].key) return false;
  }
  return true;
}

}  // namespace

void JsonLine::optional_attributes(std::string_view name, const Event& event) {
  if (event.attributes.empty()) return;
  key(name);
  attributes_object(event);
}

void JsonLine::attributes_object(const Event& event) {
  begin_object();
  for (std::size_t i = 0; i < event.attributes.size(); ++i) {
    if (!is_first_with_key(event, i)) continue;
    key_escaped(event.attributes[i].key);
    attribute_value(event.attributes[i]);
  }
  end_object();
}

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

}  // namespace secfeed
