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
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

// rapidjson frees its parse stacks after every parse (the reader's and the document's,
// both from this allocator) and grows them again by reallocation on the next: this keeps
// their blocks for the reader's lifetime instead. rapidjson calls Free statically, so
// blocks cannot be returned one by one: each parse calls start_parse(), and a request
// for a new block (a null `original`) takes the next one of this parse.
class RetainedStackAllocator {
 public:
  static const bool kNeedFree = true;
  RetainedStackAllocator() = default;
  RetainedStackAllocator(const RetainedStackAllocator&) = delete;
  RetainedStackAllocator& operator=(const RetainedStackAllocator&) = delete;
  ~RetainedStackAllocator();
  void start_parse() { next_ = 0; }
  void* Malloc(std::size_t size) { return Realloc(nullptr, 0, size); }
  void* Realloc(void* original, std::size_t original_size, std::size_t new_size);
  static void Free(void*) {}

 private:
  struct Block {
    void* memory = nullptr;
    std::size_t capacity = 0;
  };
  std::vector<Block> blocks_;
  std::size_t next_ = 0;
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

  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                              RetainedStackAllocator>;
  static constexpr std::size_t kPoolBlock = 64 * 1024;

  std::string terminated_;  // the text being parsed, NUL-terminated; in-situ strings point here
  // The document's nodes go into pool_block_ first (kept across parses: Clear() frees
  // only the extra chunks a large payload needed), so a typical message allocates nothing.
  std::unique_ptr<char[]> pool_block_ = std::make_unique<char[]>(kPoolBlock);
  rapidjson::MemoryPoolAllocator<> allocator_{pool_block_.get(), kPoolBlock, kPoolBlock};
  RetainedStackAllocator stack_allocator_;
  Document document_{&allocator_, 1024, &stack_allocator_};
  std::string position_;
  std::size_t items_ = 0;
};

// "Missing a comma or '}' after an object member." etc., with the byte offset.
std::string describe_json_parse_error(const rapidjson::ParseResult& result);

}  // namespace secfeed
