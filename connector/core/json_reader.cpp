#include "connector/core/json_reader.hpp"

#include <cmath>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"

namespace secfeed {
namespace {

// A case-insensitive reader reports a key as the data spells it (`Properties.Status`
// even when the code asked for "properties.status"), so the path can be found in the
// record as is. Only runs when an error is recorded.
std::string_view spelled_as_in_data(const rapidjson::Value& object, std::string_view key,
                                    KeyMatch match) {
  if (match == KeyMatch::exact || !object.IsObject()) return key;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view name = json_string(it->name);
    if (iequals(name, key)) return name;
  }
  return key;
}

}  // namespace

rapidjson::Value copy_json(const rapidjson::Value& value,
                           rapidjson::MemoryPoolAllocator<>& allocator) {
  rapidjson::Value copy;
  if (value.IsString()) {
    copy.SetString(value.GetString(), value.GetStringLength(), allocator);
  } else if (value.IsObject()) {
    copy.SetObject();
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      copy.AddMember(copy_json(it->name, allocator), copy_json(it->value, allocator), allocator);
    }
  } else if (value.IsArray()) {
    copy.SetArray();
    copy.Reserve(value.Size(), allocator);
    for (const rapidjson::Value& element : value.GetArray()) {
      copy.PushBack(copy_json(element, allocator), allocator);
    }
  } else {
    copy.CopyFrom(value, allocator);  // a number, bool or null: nothing to share
  }
  return copy;
}

std::string_view json_type_name(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view key,
                                    KeyMatch match) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view name = json_string(it->name);
    if (match == KeyMatch::exact ? name == key : iequals(name, key)) return &it->value;
  }
  return nullptr;
}

ObjectReader::ObjectReader(const rapidjson::Value& object, KeyMatch match, std::string& error)
    : object_(object), match_(match), error_(error) {}

void ObjectReader::append_path(std::string& out) const {
  if (parent_ == nullptr) return;
  parent_->append_path(out);
  if (!out.empty()) out += '.';
  out += spelled_as_in_data(parent_->object_, key_, match_);
  if (index_ >= 0) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  }
}

namespace {

// Objects smaller than this are scanned: building the index would cost more. Larger
// than kMaxIndexed members keep the scan too (the table stays at most ~80% full).
constexpr rapidjson::SizeType kMinIndexed = 8;
constexpr rapidjson::SizeType kMaxIndexed = 100;

// Length and three characters: cheap, and distinct for the keys of one API object;
// collisions only cost a comparison. Case-folded for case-insensitive readers.
std::size_t key_hash(std::string_view key, KeyMatch match) {
  if (key.empty()) return 0;
  const auto fold = [match](char c) {
    return static_cast<std::size_t>(
        static_cast<unsigned char>(match == KeyMatch::exact ? c : ascii_lower(c)));
  };
  const std::size_t h = key.size() * 0x9E3779B1u ^ fold(key.front()) * 0x85EBCA6Bu ^
                        fold(key.back()) * 0xC2B2AE35u ^ fold(key[key.size() / 2]) * 0x27D4EB2Fu;
  return h ^ (h >> 15);
}

bool key_matches(std::string_view name, std::string_view key, KeyMatch match) {
  return match == KeyMatch::exact ? name == key : iequals(name, key);
}

}  // namespace

const rapidjson::Value* ObjectReader::find_indexed(std::string_view key) const {
  const auto members = object_.MemberBegin();
  const rapidjson::SizeType count = object_.MemberCount();
  constexpr std::size_t kMask = kIndexSlots - 1;
  if (!slots_built_) {
    slots_.fill(0);
    for (rapidjson::SizeType i = 0; i < count; ++i) {
      const std::string_view name = json_string(members[i].name);
      std::size_t slot = key_hash(name, match_) & kMask;
      while (slots_[slot] != 0 &&
             !key_matches(json_string(members[slots_[slot] - 1].name), name, match_)) {
        slot = (slot + 1) & kMask;
      }
      if (slots_[slot] == 0) slots_[slot] = static_cast<std::uint8_t>(i + 1);
    }
    slots_built_ = true;
  }
  for (std::size_t slot = key_hash(key, match_) & kMask; slots_[slot] != 0;
       slot = (slot + 1) & kMask) {
    const auto& member = members[slots_[slot] - 1];
    if (key_matches(json_string(member.name), key, match_)) return &member.value;
  }
  return nullptr;
}

const rapidjson::Value* ObjectReader::find(std::string_view key) const {
  if (!object_.IsObject()) return nullptr;
  const rapidjson::SizeType count = object_.MemberCount();
  const rapidjson::Value* v = count >= kMinIndexed && count <= kMaxIndexed
                                  ? find_indexed(key)
                                  : find_member(object_, key, match_);
  return (v == nullptr || v->IsNull()) ? nullptr : v;
}

void ObjectReader::fail(std::string_view key, std::string_view message) const {
  if (!error_.empty()) return;
  append_path(error_);
  if (!error_.empty() && !key.empty()) error_ += '.';
  error_ += spelled_as_in_data(object_, key, match_);
  error_ += ": ";
  error_ += message;
}

const rapidjson::Value* ObjectReader::typed(std::string_view key,
                                            bool ok_type(const rapidjson::Value&),
                                            std::string_view expected) {
  const rapidjson::Value* v = find(key);
  if (v == nullptr) return nullptr;
  if (!ok_type(*v)) {
    std::string message = "expected ";
    message += expected;
    message += ", got ";
    message += json_type_name(*v);
    fail(key, message);
    return nullptr;
  }
  return v;
}

std::string_view ObjectReader::string(std::string_view key) {
  const rapidjson::Value* v = typed(
      key, [](const rapidjson::Value& x) { return x.IsString(); }, "a string");
  return v ? json_string(*v) : std::string_view{};
}

std::string_view ObjectReader::required_string(std::string_view key) {
  const rapidjson::Value* raw = find(key);
  if (raw == nullptr) {
    fail(key, "required field is missing");
    return {};
  }
  const std::string_view s = string(key);
  if (s.empty() && !failed()) fail(key, "required field is empty");
  return s;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key) {
  const rapidjson::Value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) {
      return static_cast<std::int64_t>(d);
    }
    fail(key, "expected an integer, got a fractional number");
    return std::nullopt;
  }
  if (v->IsUint64()) {
    fail(key, "integer out of range");
    return std::nullopt;
  }
  fail(key, std::string("expected an integer, got ") + std::string(json_type_name(*v)));
  return std::nullopt;
}

std::optional<double> ObjectReader::number(std::string_view key) {
  const rapidjson::Value* v = typed(
      key, [](const rapidjson::Value& x) { return x.IsNumber(); }, "a number");
  return v ? std::optional<double>(v->GetDouble()) : std::nullopt;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const rapidjson::Value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (v->IsBool()) return v->GetBool();
  if (v->IsString()) {
    const std::string_view s = json_string(*v);
    if (iequals(s, "true")) return true;
    if (iequals(s, "false")) return false;
  }
  fail(key, std::string("expected a boolean, got ") + std::string(json_type_name(*v)));
  return std::nullopt;
}

std::optional<std::int64_t> ObjectReader::time(std::string_view key) {
  const rapidjson::Value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->IsString()) {
    fail(key,
         std::string("expected an ISO 8601 time string, got ") + std::string(json_type_name(*v)));
    return std::nullopt;
  }
  const std::string_view s = json_string(*v);
  if (s.empty()) return std::nullopt;
  std::optional<std::int64_t> ms = parse_iso8601_ms(s);
  if (!ms) fail(key, "not an ISO 8601 time");
  return ms;
}

const rapidjson::Value* ObjectReader::object(std::string_view key) {
  return typed(
      key, [](const rapidjson::Value& x) { return x.IsObject(); }, "an object");
}

const rapidjson::Value* ObjectReader::array(std::string_view key) {
  return typed(
      key, [](const rapidjson::Value& x) { return x.IsArray(); }, "an array");
}

ObjectReader ObjectReader::child(const rapidjson::Value& object, std::string_view key) const {
  ObjectReader reader(object, match_, error_);
  reader.parent_ = this;
  reader.key_ = key;
  return reader;
}

ObjectReader ObjectReader::element(const rapidjson::Value& object, std::string_view array_key,
                                   std::size_t index) const {
  ObjectReader reader(object, match_, error_);
  reader.parent_ = this;
  reader.key_ = array_key;
  reader.index_ = static_cast<std::ptrdiff_t>(index);
  return reader;
}

}  // namespace secfeed
