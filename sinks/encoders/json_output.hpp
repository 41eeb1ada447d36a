// rapidjson output stream that appends to a caller's std::string, so encoders write
// JSON straight into the sink's reusable buffer (no intermediate StringBuffer copy).
#pragma once

#include <string>

#include <rapidjson/writer.h>

namespace secfeed {

class StringAppendStream {
 public:
  using Ch = char;
  explicit StringAppendStream(std::string& out) : out_(out) {}
  void Put(char c) { out_.push_back(c); }
  void Flush() {}

 private:
  std::string& out_;
};

using JsonAppendWriter = rapidjson::Writer<StringAppendStream>;

}  // namespace secfeed
