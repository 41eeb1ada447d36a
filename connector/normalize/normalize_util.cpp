#include "connector/normalize/normalize_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"

namespace secfeed {

std::string_view subscription_from_resource_id(std::string_view resource_id) {
  constexpr std::string_view kMarker = "/subscriptions/";
  for (std::size_t i = 0; i + kMarker.size() <= resource_id.size(); ++i) {
    if (iequals(resource_id.substr(i, kMarker.size()), kMarker)) {
      std::string_view rest = resource_id.substr(i + kMarker.size());
      return rest.substr(0, rest.find('/'));
    }
  }
  return {};
}

std::string_view last_path_segment(std::string_view resource_id) {
  while (!resource_id.empty() && resource_id.back() == '/') resource_id.remove_suffix(1);
  const std::size_t slash = resource_id.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : resource_id.substr(slash + 1);
}

void split_list(std::string_view text, char separator, std::vector<std::string_view>& out) {
  while (!text.empty()) {
    const std::size_t end = text.find(separator);
    const std::string_view part = trim(text.substr(0, end));
    if (!part.empty()) out.push_back(part);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

void append_strings(const rapidjson::Value* array, std::vector<std::string_view>& out) {
  if (array == nullptr || !array->IsArray()) return;
  for (const rapidjson::Value& element : array->GetArray()) {
    if (element.IsString() && element.GetStringLength() > 0) out.push_back(json_string(element));
  }
}

std::string_view json_text(const rapidjson::Value& value, Arena& arena) {
  // Reused per thread: a fresh buffer and writer would allocate on every call (the
  // writer's nesting stack too); Clear/Reset keep their capacity.
  thread_local rapidjson::StringBuffer buffer;
  thread_local rapidjson::Writer<rapidjson::StringBuffer> writer;
  buffer.Clear();
  writer.Reset(buffer);
  value.Accept(writer);
  return arena.store({buffer.GetString(), buffer.GetSize()});
}

namespace {

constexpr bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Writes the snake_case form of `key` to `out` (when not null) and returns its length;
// run twice so the arena gets exactly the bytes it needs and nothing touches the heap.
std::size_t write_snake_case(std::string_view key, char* out) {
  std::size_t n = 0;
  bool pending_separator = false;
  const auto emit = [&](char c) {
    if (pending_separator && n > 0) {
      if (out) out[n] = '_';
      ++n;
    }
    pending_separator = false;
    if (out) out[n] = c;
    ++n;
  };
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (is_upper(c)) {
      const char prev = i > 0 ? key[i - 1] : '\0';
      const char next = i + 1 < key.size() ? key[i + 1] : '\0';
      // A word starts at an upper-case letter after a lower-case letter or digit
      // ("scoreIn"), or at the last capital of an acronym ("MFARegistration").
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next))) {
        pending_separator = true;
      }
      emit(ascii_lower(c));
    } else if (is_lower(c) || is_digit(c)) {
      emit(c);
    } else {
      pending_separator = true;
    }
  }
  return n;
}

}  // namespace

std::string_view join_in_arena(std::string_view first, char separator, std::string_view second,
                               Arena& arena) {
  const std::size_t size = first.size() + 1 + second.size();
  char* out = arena.allocate(size);
  first.copy(out, first.size());
  out[first.size()] = separator;
  second.copy(out + first.size() + 1, second.size());
  return {out, size};
}

std::string_view snake_case_key(std::string_view key, Arena& arena) {
  const std::size_t size = write_snake_case(key, nullptr);
  if (size == 0) return "_";
  char* out = arena.allocate(size);
  write_snake_case(key, out);
  return {out, size};
}

void add_json_typed_attribute(Event& event, std::string_view key, const rapidjson::Value& value,
                              Arena& arena) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      event.add_boolean(key, value.GetBool());
      return;
    case rapidjson::kStringType:
      event.add_string(key, json_string(value));
      return;
    case rapidjson::kNumberType:
      if (value.IsInt64()) {
        event.add_integer(key, value.GetInt64());
      } else if (value.IsDouble()) {
        event.add_number(key, value.GetDouble());
      } else {
        event.add_json(key, json_text(value, arena));  // uint64 beyond int64
      }
      return;
    case rapidjson::kObjectType:
    case rapidjson::kArrayType:
      event.add_json(key, json_text(value, arena));
      return;
  }
}

}  // namespace secfeed
