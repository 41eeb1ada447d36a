#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed {

void encode_raw(const Event& event, std::string& out) {
  if (!event.raw_text.empty()) {
    // A pretty-printed source text would split a JSON-lines file or an LF-framed
    // syslog stream; outside strings a newline is whitespace (and inside a JSON string a
    // raw one is invalid anyway), so a space keeps the text's meaning on one line.
    const std::size_t start = out.size();
    out.append(event.raw_text);
    for (std::size_t i = start; i < out.size(); ++i) {
      if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
    }
    return;
  }
  if (event.raw_value != nullptr) {
    const std::size_t start = out.size();
    bool written;
    {
      StringAppendStream stream(out);  // flushed when it goes out of scope
      JsonAppendWriter writer(stream);
      written = event.raw_value->Accept(writer);
    }
    // Accept fails only on a non-finite number, which a parsed document cannot hold;
    // still never leave half a value behind.
    if (written) return;
    out.resize(start);
  }
  out.append("{}");
}

}  // namespace secfeed
