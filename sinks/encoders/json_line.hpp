// Building blocks shared by the JSON-shaped encoders (normalized JSON, Sentinel rows):
// a comma-tracking writer that appends straight into the sink's buffer, and the JSON
// forms of entities and attributes, so every encoder writes them the same way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connector/core/event.hpp"
#include "connector/core/time.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed {

// Tracks where commas go; the nesting is shallow and fixed, so one flag suffices:
// every opener clears it, every completed value sets it.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) {}

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
  // Writes `"name":`; the next value needs no comma of its own.
  void key(std::string_view name) {
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

  void optional_string(std::string_view name, std::string_view text) {
    if (text.empty()) return;
    key(name);
    string(text);
  }
  void optional_time(std::string_view name, std::int64_t ms) {
    if (ms == kNoTime) return;
    key(name);
    comma();
    out_.push_back('"');
    append_iso8601_ms(out_, ms);  // digits, '-', ':', '.', 'T', 'Z': nothing to escape
    out_.push_back('"');
    need_comma_ = true;
  }
  void optional_list(std::string_view name, const std::vector<std::string_view>& items) {
    if (items.empty()) return;
    key(name);
    begin_array();
    for (std::string_view item : items) string(item);
    end_array();
  }

 private:
  void comma() {
    if (need_comma_) out_.push_back(',');
  }

  std::string& out_;
  bool need_comma_ = false;
};

// One entity as a JSON object: "type" plus every non-empty field.
void write_entity(JsonLine& json, const Entity& entity);

// An attribute's JSON value (after its key has been written).
void write_attribute_value(JsonLine& json, const Attribute& attribute);

// The event's attributes as one JSON object (keys unique: the first wins, as in
// Event::find_attribute).
void write_attributes_object(JsonLine& json, const Event& event);

// `text` embedded as a JSON value, re-serialized compactly through a validating parse
// so a malformed text can never corrupt the output; a text that does not parse is
// written as a JSON string instead.
void write_embedded_json(JsonLine& json, std::string_view text);

}  // namespace secfeed
