// Typed, error-reporting access to one JSON object of a source payload.
//
// Normalizers read every field through an ObjectReader so that
//   * a missing optional field or JSON null is simply "absent",
//   * a field of the wrong type records ONE clear error (the first) naming its path,
//     e.g. `evidence[2].userAccount.accountName: expected a string, got a number`,
//   * key matching can be case-insensitive (Defender export mixes casings).
// Strings returned are views into the rapidjson document.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace secfeed {

enum class KeyMatch { exact, case_insensitive };

std::string_view json_type_name(const rapidjson::Value& value);
inline std::string_view json_string(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// A deep copy that owns all its strings. PayloadReader parses in situ, so an item's
// strings point into the reader's buffer as "const" strings, which rapidjson's copy
// constructor and CopyFrom share instead of copying (rapidjson 1.1 has no
// copyConstStrings): use this to keep an item beyond its callback.
rapidjson::Value copy_json(const rapidjson::Value& value,
                           rapidjson::MemoryPoolAllocator<>& allocator);

// Member lookup without the allocation rapidjson's FindMember(const char*) avoids
// anyway, plus a case-insensitive variant.
const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view key,
                                    KeyMatch match = KeyMatch::exact);

class ObjectReader {
 public:
  // `error` is shared by the readers of one item: the first error recorded wins.
  ObjectReader(const rapidjson::Value& object, KeyMatch match, std::string& error);

  const rapidjson::Value& value() const { return object_; }
  const rapidjson::Value* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Missing or null -> empty view. Wrong type -> error, empty view.
  std::string_view string(std::string_view key);
  // Like string(), but missing/empty is an error too.
  std::string_view required_string(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);  // also integral doubles
  std::optional<double> number(std::string_view key);
  std::optional<bool> boolean(std::string_view key);  // also "true"/"false" strings
  // ISO 8601 string -> epoch ms; missing -> nullopt; unparsable -> error.
  std::optional<std::int64_t> time(std::string_view key);
  // Missing or null -> nullptr; wrong type -> error, nullptr.
  const rapidjson::Value* object(std::string_view key);
  const rapidjson::Value* array(std::string_view key);

  // A reader for a nested object, with its path extended ("a.b", "a[3]"). The path is
  // only built when an error is recorded, so a child must not outlive its parent.
  ObjectReader child(const rapidjson::Value& object, std::string_view key) const;
  ObjectReader element(const rapidjson::Value& object, std::string_view array_key,
                       std::size_t index) const;

  bool failed() const { return !error_.empty(); }
  std::string& error() const { return error_; }
  // Records "<path>: <message>" if no error was recorded yet.
  void fail(std::string_view key, std::string_view message) const;

 private:
  const rapidjson::Value* typed(std::string_view key, bool ok_type(const rapidjson::Value&),
                                std::string_view expected);
  void append_path(std::string& out) const;

  const rapidjson::Value* find_indexed(std::string_view key) const;

  const rapidjson::Value& object_;
  KeyMatch match_;
  std::string& error_;
  const ObjectReader* parent_ = nullptr;
  std::string_view key_;
  std::ptrdiff_t index_ = -1;
  // Member index of an object with many keys, built on the first lookup: a normalizer
  // reads dozens of keys of a 40-key alert, and a linear scan per key was its largest
  // cost. Open addressing over a small hash of the key; slot = member position + 1
  // (0 = empty), the first of duplicate keys wins, as in find_member.
  static constexpr std::size_t kIndexSlots = 128;
  mutable bool slots_built_ = false;
  mutable std::array<std::uint8_t, kIndexSlots> slots_;
};

}  // namespace secfeed
