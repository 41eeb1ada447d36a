// Thin helpers over rapidjson's Writer so renderers read as field lists.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed::emulator {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void json_key(JsonWriter& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}
inline void json_string(JsonWriter& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
inline void json_field(JsonWriter& w, std::string_view key, std::string_view value) {
  json_key(w, key);
  json_string(w, value);
}
inline void json_field(JsonWriter& w, std::string_view key, const char* value) {
  json_field(w, key, std::string_view(value));
}
inline void json_field(JsonWriter& w, std::string_view key, const std::string& value) {
  json_field(w, key, std::string_view(value));
}
inline void json_field(JsonWriter& w, std::string_view key, std::int64_t value) {
  json_key(w, key);
  w.Int64(value);
}
inline void json_field(JsonWriter& w, std::string_view key, int value) {
  json_key(w, key);
  w.Int(value);
}
inline void json_field(JsonWriter& w, std::string_view key, double value) {
  json_key(w, key);
  w.Double(value);
}
inline void json_field(JsonWriter& w, std::string_view key, bool value) {
  json_key(w, key);
  w.Bool(value);
}
inline void json_null(JsonWriter& w, std::string_view key) {
  json_key(w, key);
  w.Null();
}
inline void json_empty_array(JsonWriter& w, std::string_view key) {
  json_key(w, key);
  w.StartArray();
  w.EndArray();
}

// rapidjson parses, copies and frees recursively: a hostile body nested a million levels
// deep would overflow the stack. Check this before Parse() on anything a client sent.
inline bool json_nesting_within(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}
inline constexpr int kMaxJsonNesting = 64;

// Typed reads from a parsed request body; nullopt when absent or of another type.
inline std::optional<std::string> json_get_string(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return std::nullopt;
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
inline std::optional<std::int64_t> json_get_int(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return std::nullopt;
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

}  // namespace secfeed::emulator
