// Random hostile Events (fixed seed, so failures reproduce) through every encoder:
// the output must stay well-formed whatever the bytes.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/text.hpp"
#include "sinks/encoders/cef_escape.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/syslog_framing.hpp"

namespace secfeed {
namespace {

class RandomEvents {
 public:
  explicit RandomEvents(unsigned seed) : rng_(seed) {}

  // Fills `e` with random text drawn from bytes CEF/JSON/syslog treat specially.
  void fill(Event& e) {
    e.clear();
    texts_.clear();
    texts_.reserve(64);  // views below must not move
    e.kind = static_cast<EventKind>(pick(kEventKindCount));
    e.severity = static_cast<Severity>(pick(6));
    e.severity_score = static_cast<int>(pick(15)) - 2;
    e.id = text();
    e.title = text();
    e.product = text();
    e.product_version = text();
    e.detector_id = text();
    e.description = text();
    e.status = text();
    e.tenant_id = text();
    e.url = text();
    e.time_ms = pick(2) ? static_cast<std::int64_t>(rng_()) * 1000 : kNoTime;
    e.tactics = {text(), text()};
    for (int i = 0; i < 3; ++i) {
      Entity& entity = e.add_entity(static_cast<EntityType>(pick(10)));
      entity.name = text();
      entity.address = text();
      entity.role = text();
      entity.upn = text();
    }
    e.add_string(text(), text());
    e.add_json("j", text());
    e.add_number("current_score", static_cast<double>(rng_()) / 7.0);
  }

 private:
  std::size_t pick(std::size_t n) { return rng_() % n; }

  std::string_view text() {
    static constexpr char kAlphabet[] = "ab|\\=\n\r\t \"]{}:,.\x7f\xc3\xa9\xe2\x82\xac\xff\x80";
    std::string& s = texts_.emplace_back();
    const std::size_t length = pick(4) == 0 ? pick(3000) : pick(24);
    for (std::size_t i = 0; i < length; ++i) {
      s.push_back(pick(20) == 0 ? static_cast<char>(pick(32))
                                : kAlphabet[pick(sizeof kAlphabet - 1)]);
    }
    return s;
  }

  std::mt19937 rng_;
  std::vector<std::string> texts_;
};

// Splits a CEF header on unescaped pipes and undoes the header escapes.
std::vector<std::string> header_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < line.size() && fields.size() < 8; ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      fields.back().push_back(line[++i]);
    } else if (line[i] == '|') {
      fields.emplace_back();
    } else {
      fields.back().push_back(line[i]);
    }
  }
  return fields;
}

TEST(EncoderProperties, RandomEventsAlwaysEncodeWellFormed) {
  RandomEvents random(20240501);
  Event e;
  std::string cef, json, raw, framed;
  for (int round = 0; round < 500; ++round) {
    random.fill(e);
    SCOPED_TRACE("round " + std::to_string(round));
    cef.clear();
    encode_cef(e, cef);
    ASSERT_TRUE(is_valid_utf8(cef));
    for (char c : cef) {
      const auto byte = static_cast<unsigned char>(c);
      ASSERT_TRUE(byte >= 0x20 && byte != 0x7F) << "raw control byte " << int(byte);
    }
    const std::vector<std::string> header = header_fields(cef);
    ASSERT_EQ(header.size(), 8u) << cef.substr(0, 200);
    EXPECT_EQ(header[0], "CEF:0");
    std::string expected_name;
    append_cef_limited(expected_name, e.title.empty() ? to_string(e.kind) : e.title,
                       CefContext::unescaped, 512, nullptr);
    for (char& c : expected_name) {
      if (c == '\n' || c == '\r') c = ' ';  // the header has no escape for them
    }
    EXPECT_EQ(header[5], expected_name);

    json.clear();
    encode_json(e, json);
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    ASSERT_FALSE(document.HasParseError()) << json.substr(0, 300);
    EXPECT_EQ(json.find('\n'), std::string::npos);

    framed.clear();
    SyslogHeaderOptions options;
    options.hostname = e.tenant_id;
    options.app_name = e.status;
    append_syslog_message(framed, options, syslog_severity_for(e), e.time_ms, cef);
    append_lf_framed(raw, framed);
    EXPECT_EQ(raw.find('\n'), raw.size() - 1);
    raw.clear();
  }
}

}  // namespace
}  // namespace secfeed
