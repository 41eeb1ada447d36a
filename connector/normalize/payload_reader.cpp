#include "connector/normalize/payload_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <rapidjson/error/en.h>

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"

namespace secfeed {
namespace {

// Deeply nested hostile input must not exhaust the stack: the (recursive, faster than
// the iterative) parser reports every container to ParseGuard first, which stops the
// parse beyond kMaxDepth levels, so recursion never goes deeper than that.
// The text is parsed from a NUL-terminated copy: rapidjson's SIMD paths (RAPIDJSON_SSE2)
// skip whitespace 16 bytes at a time only for string streams; a MemoryStream goes one
// character at a time. Valid text is parsed in situ: strings are unescaped inside that
// copy and the document points into it instead of copying every string (the largest
// cost of parsing, ~40 % of a 3 KB alert's instructions). So a deep copy of an item must
// copy those strings too: copy_json() (connector/core/json_reader.hpp).
constexpr unsigned kParseFlags = rapidjson::kParseStopWhenDoneFlag;
constexpr unsigned kInsituParseFlags = kParseFlags | rapidjson::kParseInsituFlag;
// Validating UTF-8 inside the parser decodes every character; see parse().
constexpr unsigned kValidatingParseFlags = kParseFlags | rapidjson::kParseValidateEncodingFlag;
constexpr int kMaxDepth = 64;
constexpr std::size_t kUtf8MaxContinuationBytes = 3;  // after a 4-byte sequence's lead

// rapidjson rejects a \u escape of a lone high surrogate but decodes one of a lone low
// surrogate (U+DC00-U+DFFF) into bytes that are not UTF-8 (ED B0-BF xx): every encoder
// downstream would then write invalid UTF-8 (found by fuzz_normalize_mdc: a Sentinel row
// the Logs Ingestion API would refuse). Such text is rejected like any invalid JSON.
// Checking every string costs time, so only texts with such an escape are checked.
bool may_escape_low_surrogate(std::string_view text) {
  for (std::size_t at = text.find("\\u"); at != std::string_view::npos;
       at = text.find("\\u", at + 2)) {
    if (at + 3 < text.size() && (text[at + 2] | 0x20) == 'd' &&
        std::string_view("cdefCDEF").find(text[at + 3]) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// A UTF-8-encoded surrogate (ED A0-BF xx) in decoded string bytes.
bool has_encoded_surrogate(const char* text, rapidjson::SizeType length) {
  const char* const end = text + length;
  for (const char* p = text;
       (p = static_cast<const char*>(std::memchr(p, 0xED, std::size_t(end - p)))) != nullptr; ++p) {
    if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xA0) return true;
  }
  return false;
}

// Forwards the parser's SAX events to the document, refusing a container nested deeper
// than kMaxDepth and (when asked) a string holding an encoded surrogate; the parse then
// ends with kParseErrorTermination.
template <typename Document>
struct ParseGuard {
  Document& document;
  bool check_surrogates = false;
  int depth = 0;
  bool too_deep = false;
  bool lone_surrogate = false;

  bool Null() { return document.Null(); }
  bool Bool(bool b) { return document.Bool(b); }
  bool Int(int i) { return document.Int(i); }
  bool Uint(unsigned u) { return document.Uint(u); }
  bool Int64(std::int64_t i) { return document.Int64(i); }
  bool Uint64(std::uint64_t u) { return document.Uint64(u); }
  bool Double(double d) { return document.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
    return document.RawNumber(str, length, copy);
  }
  bool String(const char* str, rapidjson::SizeType length, bool copy) {
    return valid_text(str, length) && document.String(str, length, copy);
  }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    return valid_text(str, length) && document.Key(str, length, copy);
  }
  bool StartObject() { return enter() && document.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth;
    return document.EndObject(members);
  }
  bool StartArray() { return enter() && document.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth;
    return document.EndArray(elements);
  }

 private:
  bool valid_text(const char* str, rapidjson::SizeType length) {
    lone_surrogate = check_surrogates && has_encoded_surrogate(str, length);
    return !lone_surrogate;
  }
  bool enter() {
    too_deep = ++depth > kMaxDepth;
    return !too_deep;
  }
};

}  // namespace

std::string describe_json_parse_error(const rapidjson::ParseResult& result) {
  std::string reason = "invalid JSON at offset ";
  reason += std::to_string(result.Offset());
  reason += ": ";
  reason += rapidjson::GetParseError_En(result.Code());
  return reason;
}

RetainedStackAllocator::~RetainedStackAllocator() {
  for (Block& block : blocks_) std::free(block.memory);
}

void* RetainedStackAllocator::Realloc(void* original, std::size_t /*original_size*/,
                                      std::size_t new_size) {
  Block* block = nullptr;
  if (original == nullptr) {
    // A stack starting (again): the next block of this parse, kept from earlier parses.
    if (next_ == blocks_.size()) blocks_.emplace_back();
    block = &blocks_[next_++];
  } else {
    for (Block& b : blocks_) {
      if (b.memory == original) block = &b;
    }
    if (block == nullptr) return nullptr;  // not ours: cannot happen
  }
  if (new_size <= block->capacity) return block->memory;
  // Growing keeps the used part, as rapidjson expects of Realloc.
  void* grown = std::realloc(block->memory, new_size);
  if (grown == nullptr) return nullptr;
  block->memory = grown;
  block->capacity = new_size;
  return grown;
}

bool PayloadReader::parse(std::string_view text, std::size_t* consumed, std::string& error) {
  allocator_.Clear();
  document_.SetNull();
  // terminated_ reuses its capacity; a NUL inside the text ends it exactly as the end
  // of a MemoryStream did, so offsets and messages are unchanged.
  terminated_.assign(text);
  // rapidjson's UTF-8 validation takes a lead byte's continuation bytes without looking
  // for the terminator: a lead byte last in the text read up to 3 bytes past the NUL
  // (found by tests/fuzz/fuzz_http_response). The padding keeps those reads inside the
  // buffer; the first NUL still ends the text.
  terminated_.append(kUtf8MaxContinuationBytes, '\0');
  stack_allocator_.start_parse();
  // Valid UTF-8 (the normal case) is checked in one fast pass and parsed in situ without
  // the per-character validation; invalid text takes the validating parse so the error
  // and its offset are rapidjson's own, as before.
  std::size_t end = 0;
  rapidjson::ParseResult result;
  bool too_deep = false;
  bool lone_surrogate = false;
  const auto parse_into = [&](Document& document) {
    ParseGuard<Document> guard{document, may_escape_low_surrogate(text)};
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, RetainedStackAllocator> reader(
        &stack_allocator_);
    if (is_valid_utf8(text)) {
      rapidjson::InsituStringStream bytes(terminated_.data());
      result = reader.Parse<kInsituParseFlags>(bytes, guard);
      end = bytes.Tell();
    } else {
      rapidjson::StringStream bytes(terminated_.c_str());
      result = reader.Parse<kValidatingParseFlags>(bytes, guard);
      end = bytes.Tell();
    }
    too_deep = guard.too_deep;
    lone_surrogate = guard.lone_surrogate;
    return !result.IsError();
  };
  document_.Populate(parse_into);
  if (too_deep) {
    error = "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }
  if (lone_surrogate) {
    error = "invalid JSON at offset " + std::to_string(result.Offset()) +
            ": a \\u escape encodes a lone surrogate (U+DC00 to U+DFFF).";
    return false;
  }
  if (result.IsError()) {
    error = describe_json_parse_error(result);
    return false;
  }
  if (consumed != nullptr) {
    *consumed = end;
  } else if (!trim(text.substr(end)).empty()) {
    error = "invalid JSON at offset " + std::to_string(end) +
            ": The document root must not be followed by other values.";
    return false;
  }
  return true;
}

void PayloadReader::read_value(const rapidjson::Value& root, std::string_view root_text,
                               std::string_view line_label, const ItemHandler& on_item) {
  const auto emit_array = [&](const rapidjson::Value& array, std::string_view name,
                              std::string_view context) {
    std::size_t index = 0;
    for (const rapidjson::Value& element : array.GetArray()) {
      position_.assign(line_label);
      if (!position_.empty()) position_ += ' ';
      position_ += name;
      position_ += '[';
      position_ += std::to_string(index++);
      position_ += ']';
      ++items_;
      on_item(PayloadItem{element, position_, {}, context});
    }
  };
  if (root.IsArray()) {
    emit_array(root, "", {});
    return;
  }
  if (root.IsObject()) {
    // Graph list response: "value" is an array and the object has @odata keys or nothing
    // else that looks like an entity.
    const rapidjson::Value* value = find_member(root, "value");
    if (value != nullptr && value->IsArray()) {
      const rapidjson::Value* ctx = find_member(root, "@odata.context");
      emit_array(*value, "value", ctx != nullptr && ctx->IsString() ? json_string(*ctx) : "");
      return;
    }
    const rapidjson::Value* records = find_member(root, "records", KeyMatch::case_insensitive);
    if (records != nullptr && records->IsArray()) {
      emit_array(*records, "records", {});
      return;
    }
  }
  ++items_;
  on_item(PayloadItem{root, line_label, root_text, {}});
}

std::size_t PayloadReader::read(std::string_view text, const ItemHandler& on_item,
                                const ErrorHandler& on_error) {
  items_ = 0;
  if (trim(text).empty()) return 0;
  // Offsets in messages count from the start of the caller's text.
  const std::string_view whole = text;

  // One JSON text is the common case. If the first value parses and more text follows,
  // or the whole fails but its first line is a complete value, the input is NDJSON.
  std::string error;
  std::size_t consumed = 0;
  bool ndjson = false;
  if (parse(whole, &consumed, error)) {
    if (trim(whole.substr(consumed)).empty()) {
      read_value(document_, trim(whole), {}, on_item);
      return items_;
    }
    ndjson = true;
  } else {
    const std::string_view body = whole.substr(whole.find_first_not_of(" \t\r\n"));
    const std::size_t newline = body.find('\n');
    std::string first_error;
    ndjson = newline != std::string_view::npos &&
             parse(trim(body.substr(0, newline)), nullptr, first_error);
  }
  if (!ndjson) {
    on_error(PayloadError{{}, error});
    return 0;
  }

  std::size_t line_no = 0;
  std::string label;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    label = "line " + std::to_string(line_no);
    if (!parse(line, nullptr, error)) {
      on_error(PayloadError{label, error});
      continue;
    }
    read_value(document_, line, label, on_item);
  }
  return items_;
}

}  // namespace secfeed
