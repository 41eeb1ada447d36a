// Low-level JSON output into a caller's std::string: escaped strings and a rapidjson
// output stream, so encoders write straight into the sink's reusable buffer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/writer.h>

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

}  // namespace secfeed
