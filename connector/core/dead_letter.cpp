#include "connector/core/dead_letter.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"

namespace secfeed {

void encode_dead_letter(const DeadLetter& letter, std::string& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::string scratch;
  const auto field = [&](const char* key, std::string_view value) {
    writer.Key(key);
    // The payload may be anything (that is often why it is here): keep it valid JSON.
    scratch.clear();
    append_utf8_sanitized(scratch, value);
    writer.String(scratch.data(), static_cast<rapidjson::SizeType>(scratch.size()));
  };
  writer.StartObject();
  std::string time;
  append_iso8601_ms(time, letter.time_ms);
  field("time", time);
  field("stage", letter.stage);
  field("source", letter.source);
  field("sink", letter.sink);
  field("tenant_id", letter.tenant_id);
  field("position", letter.position);
  field("reason", letter.reason);
  field("payload", letter.payload);
  writer.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
}

}  // namespace secfeed
