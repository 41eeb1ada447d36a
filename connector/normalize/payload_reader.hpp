// Splits a source payload into items, whatever its shape:
//   * a Graph list response  {"value":[...], "@odata.context":..., "@odata.nextLink":...}
//   * an Event Hub body      {"records":[...]}
//   * a bare JSON array      [ {...}, {...} ]
//   * a single object        {...}
//   * NDJSON                 one of the above per line
// Shared by `secfeed convert`, the Event Hub source and the Graph pollers, so every
// entry point accepts the same forms and reports malformed parts the same way.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace secfeed {

struct PayloadItem {
  const rapidjson::Value& value;
  // Where the item sits, for messages: "value[3]", "records[0]", "[2]", "line 7",
  // "line 7 records[1]", or "" for a payload that is one object.
  std::string_view position;
  // The item's own JSON text when it was a whole line or document; empty for items
  // inside an array (encoders then re-serialize `value`).
  std::string_view raw_text;
  // @odata.context of the enclosing Graph list response (a kind hint), or "".
  std::string_view context;
};

struct PayloadError {
  std::string_view position;  // as above; "line N" for a bad NDJSON line, "" otherwise
  std::string reason;         // "invalid JSON at offset 17: Missing a comma or '}' ..."
};

class PayloadReader {
 public:
  using ItemHandler = std::function<void(const PayloadItem&)>;
  using ErrorHandler = std::function<void(const PayloadError&)>;

  // Calls on_item for each item and on_error for each part that is not valid JSON.
  // Items are only valid during the callback. Returns the number of items seen.
  std::size_t read(std::string_view text, const ItemHandler& on_item, const ErrorHandler& on_error);

  // The last parsed JSON value (for a single-document payload: the whole response, e.g.
  // a Graph list's @odata.nextLink). Valid until the next read().
  const rapidjson::Value& root() const { return document_; }

 private:
  void read_value(const rapidjson::Value& root, std::string_view root_text,
                  std::string_view line_label, const ItemHandler& on_item);
  // Parses `text` into document_. With `consumed`, stops after the first value and
  // reports where; without, anything but whitespace after the value is an error.
  bool parse(std::string_view text, std::size_t* consumed, std::string& error);

  std::string terminated_;  // the text being parsed, NUL-terminated; in-situ strings point here
  rapidjson::MemoryPoolAllocator<> allocator_{64 * 1024};
  rapidjson::Document document_{&allocator_};
  std::string position_;
  std::size_t items_ = 0;
};

// "Missing a comma or '}' after an object member." etc., with the byte offset.
std::string describe_json_parse_error(const rapidjson::Document& document);

}  // namespace secfeed
