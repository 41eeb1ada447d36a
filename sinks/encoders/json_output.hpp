// Low-level JSON output into a caller's std::string: escaped strings and a rapidjson
// output stream, so encoders write straight into the sink's reusable buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/writer.h>

#include "connector/core/event.hpp"

namespace secfeed {

// Appends `text` as a JSON string literal (quotes included): `"` `\` and control
// characters escaped, invalid UTF-8 bytes replaced by U+FFFD, so the output is valid
// JSON for any input. Plain runs are copied in one go.
void append_json_string(std::string& out, std::string_view text);

// Appends a double as a JSON number (shortest round-trip form, always with a '.' or an
// exponent so readers keep it a float); non-finite values become null.
void append_json_double(std::string& out, double value);

void append_json_integer(std::string& out, std::int64_t value);

// A rapidjson output stream over a std::string, buffered: rapidjson writes one
// character at a time, and a local buffer keeps that cheap. Flushed by the Writer at
// the end of each top-level value and by the destructor.
class StringAppendStream {
 public:
  using Ch = char;
  explicit StringAppendStream(std::string& out) : out_(out) {}
  StringAppendStream(const StringAppendStream&) = delete;
  StringAppendStream& operator=(const StringAppendStream&) = delete;
  ~StringAppendStream() { Flush(); }

  void Put(char c) {
    if (used_ == sizeof buffer_) Flush();
    buffer_[used_++] = c;
  }
  void Flush() {
    out_.append(buffer_, used_);
    used_ = 0;
  }

 private:
  std::string& out_;
  char buffer_[512];
  std::size_t used_ = 0;
};

using JsonAppendWriter = rapidjson::Writer<StringAppendStream>;

// Writes one JSON value with a fixed layout by direct appends, tracking where commas go.
// The nesting is shallow and fixed, so one flag suffices: every opener clears it, every
// completed value sets it. Shared by the json and ocsf encoders.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) {}

  std::string& out() { return out_; }

  void begin_object() {
    comma();
    out_.push_back('{');
    need_comma_ = false;
  }
  void end_object() {
    out_.push_back('}');
    need_comma_ = true;
  }
  void begin_array() {
    comma();
    out_.push_back('[');
    need_comma_ = false;
  }
  void end_array() {
    out_.push_back(']');
    need_comma_ = true;
  }
  // Writes `"name":`; the next value needs no comma of its own. Names are written as
  // is: callers pass literals or keys that need no escaping (attribute keys go through
  // key_escaped).
  void key(std::string_view name) {
    comma();
    out_.push_back('"');
    out_.append(name);
    out_.append("\":", 2);
    need_comma_ = false;
  }
  void key_escaped(std::string_view name) {
    comma();
    append_json_string(out_, name);
    out_.push_back(':');
    need_comma_ = false;
  }
  void string(std::string_view text) {
    comma();
    append_json_string(out_, text);
    need_comma_ = true;
  }
  void integer(std::int64_t value) {
    comma();
    append_json_integer(out_, value);
    need_comma_ = true;
  }
  void number(double value) {
    comma();
    append_json_double(out_, value);
    need_comma_ = true;
  }
  void boolean(bool value) {
    comma();
    out_.append(value ? "true" : "false");
    need_comma_ = true;
  }
  void raw(std::string_view json) {
    comma();
    out_.append(json);
    need_comma_ = true;
  }
  // An ISO 8601 time string (`"2024-05-01T10:20:30.456Z"`).
  void iso_time(std::int64_t ms);
  // JSON text embedded as a value, re-serialized compactly through a validating parse
  // so a malformed text can never corrupt the output; one that does not parse is
  // written as a string instead.
  void embedded_json(std::string_view text);
  // An attribute's value by its type.
  void attribute_value(const Attribute& attribute);

  void optional_string(std::string_view name, std::string_view text) {
    if (text.empty()) return;
    key(name);
    string(text);
  }
  // `"name":{"field":"text"}`, or nothing when text is empty.
  void optional_object_of(std::string_view name, std::string_view field, std::string_view text) {
    if (text.empty()) return;
    key(name);
    begin_object();
    optional_string(field, text);
    end_object();
  }
  void optional_time(std::string_view name, std::int64_t ms) {
    if (ms == kNoTime) return;
    key(name);
    iso_time(ms);
  }
  void optional_time_ms(std::string_view name, std::int64_t ms) {
    if (ms == kNoTime) return;
    key(name);
    integer(ms);
  }
  void optional_list(std::string_view name, const std::vector<std::string_view>& items) {
    if (items.empty()) return;
    key(name);
    begin_array();
    for (std::string_view item : items) string(item);
    end_array();
  }
  // `"name":{...}` with every attribute of `event` (the first of each key wins, as in
  // Event::find_attribute); nothing when there are none.
  void optional_attributes(std::string_view name, const Event& event);
  // The same object without its key (the caller wrote it), `{}` when there are none.
  void attributes_object(const Event& event);

  // A position to rewind() to: drops what was written after it (a value found too large
  // once written, say) and restores the comma state.
  struct Mark {
    std::size_t size;
    bool need_comma;
  };
  Mark mark() const { return {out_.size(), need_comma_}; }
  void rewind(Mark mark) {
    out_.resize(mark.size);
    need_comma_ = mark.need_comma;
  }

 private:
  void comma() {
    if (need_comma_) out_.push_back(',');
  }

  std::string& out_;
  bool need_comma_ = false;
};

// One entity as a JSON object: "type" plus every non-empty field (normalized JSON and
// Sentinel rows write entities the same way).
void write_entity(JsonLine& json, const Entity& entity);

}  // namespace secfeed
