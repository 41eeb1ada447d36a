// Independent parser check: our CEF and syslog output parsed by jc (Debian's `jc`,
// wrapping pycef), compared with the values the encoder meant to write.
//
// jc 1.22.5 quirks this test works around (see shared/specs/cef-syslog.md):
//   * its header pattern rejects any backslash or '=' in a header field: the events
//     here have plain headers (header escaping is checked by exact bytes elsewhere);
//   * in processed mode it strips values and unescapes with chained str.replace, which
//     misreads an escaped backslash followed by 'n', '=' ...; so values are compared
//     (a) in raw mode (-r), escaped text undone by a strict reference unescaper, for
//     every field, and (b) in processed mode for values without backslashes;
//   * processed mode renames each labeled custom key to its label (cs1Label=TenantId
//     cs1=x -> "TenantId": "x") and converts cn*/ports to int and cfp* to float;
//   * `jc --syslog` unescapes \\ \" \] in MSG, so the CEF payload is compared in raw mode.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/text.hpp"
#include "connector/normalize/normalizer.hpp"
#include "connector/normalize/payload_reader.hpp"
#include "sinks/encoders/cef_mapping.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/syslog_framing.hpp"
#include "tests/unit/encoder_test_events.hpp"

namespace secfeed {
namespace {

bool jc_available() {
  return std::system("command -v jc >/dev/null 2>&1") == 0;
}

// Runs `jc <args>` on `input` (through a temp file) and returns its stdout.
std::optional<std::string> run_jc(const std::string& args, const std::string& input) {
  std::string path = testing::TempDir() + "secfeed_jc_XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return std::nullopt;
  const bool written = write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size());
  close(fd);
  std::optional<std::string> output;
  if (written) {
    const std::string command = "timeout 60 jc " + args + " < '" + path + "'";
    if (FILE* pipe = popen(command.c_str(), "r")) {
      std::string text;
      char buffer[65536];
      std::size_t n;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
      if (pclose(pipe) == 0) output = std::move(text);
    }
  }
  unlink(path.c_str());
  return output;
}

// Strict CEF extension unescaping: \\ \= \n \r; anything else is kept as is.
std::string cef_unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[i + 1];
      if (next == '\\' || next == '=' || next == 'n' || next == 'r') {
        out.push_back(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
        ++i;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

struct ExpectedField {
  std::string key, label_key, label, value;  // value: unescaped, as the receiver stores it
  CefValueType type;
};

std::vector<ExpectedField> expected_fields(const Event& event) {
  std::vector<ExpectedField> fields;
  visit_cef_fields(event, [&](const CefFieldRule& rule, const CefValue& value) {
    ExpectedField& field = fields.emplace_back();
    field.key = rule.key;
    field.label_key = rule.label_key;
    field.label = rule.label;
    field.type = rule.type;
    append_cef_value(field.value, rule, value, CefContext::unescaped, CefOptions{}, nullptr);
  });
  return fields;
}

std::string member_string(const rapidjson::Value& object, const std::string& name) {
  const auto it = object.FindMember(name.c_str());
  if (it == object.MemberEnd() || !it->value.IsString()) return "<missing " + name + ">";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// Hostile extension values; headers stay plain for jc's sake.
Event hostile_event_with_plain_header() {
  static const std::string megabyte(1 << 20, 'M');
  Event e;
  e.kind = EventKind::alert;
  e.id = "hostile-1";
  e.title = "Plain title with spaces";
  e.product = "Product";
  e.severity = Severity::critical;
  e.severity_score = 10;
  e.time_ms = test::kT0;
  e.description = test::hostile_text();
  e.status = megabyte;               // act: cut at 63
  e.detector_id = "plain-detector";  // else the hostile category becomes the class id
  e.category = "a=b c=d e\\=f";
  e.classification = "ends with backslash\\";
  e.determination = "  spaced  ";
  e.tenant_id = "x\\ny";  // a literal backslash-n, not a newline
  e.incident_id = "\xe2\x82\xac\xe2\x82\xac\xff";
  e.tactics = {"Tactic=One", "Two|Pipe", "Three\\Back"};
  e.techniques = {"T1", "", "T3"};
  e.detection_source = "cr\r\nlf";
  e.url = "https://example/?a=1&b=2 c=3";
  Entity& user = e.add_entity(EntityType::user);
  user.name = "=start";
  Entity& file = e.add_entity(EntityType::file);
  file.path = "C:\\dir\\";
  file.name = "name with = and \\ and | ";
  file.size = 0;
  e.add_entity(EntityType::ip).address = "2001:db8::7";
  return e;
}

// Encodes `events` as CEF, parses them with jc (raw and processed modes) and compares
// every extension field with the value the encoder's visitor meant to write.
void expect_jc_roundtrip(const std::vector<Event>& events) {
  std::string input;
  for (const Event& event : events) {
    encode_cef(event, input);
    input.push_back('\n');
  }
  const std::optional<std::string> raw_text = run_jc("--cef -r", input);
  const std::optional<std::string> processed_text = run_jc("--cef", input);
  ASSERT_TRUE(raw_text && processed_text) << "jc failed";
  rapidjson::Document raw, processed;
  raw.Parse(raw_text->c_str());
  processed.Parse(processed_text->c_str());
  ASSERT_TRUE(raw.IsArray() && processed.IsArray()) << *raw_text;
  ASSERT_EQ(raw.Size(), events.size());
  ASSERT_EQ(processed.Size(), events.size());

  for (std::size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i) + " (" + std::string(to_string(events[i].kind)) +
                 ")");
    const Event& event = events[i];
    const rapidjson::Value& r = raw[static_cast<rapidjson::SizeType>(i)];
    const rapidjson::Value& p = processed[static_cast<rapidjson::SizeType>(i)];
    const std::vector<ExpectedField> fields = expected_fields(event);

    // Header: exact values where jc can parse it (no backslash, '=' or '|').
    const auto plain = [](std::string_view text) {
      return text.find_first_of("\\=|") == std::string_view::npos;
    };
    if (!plain(event.product) || !plain(event.title) || !plain(event.detector_id) ||
        !plain(event.category)) {
      continue;  // header escaping is checked by exact bytes in cef_encoder_test
    }
    EXPECT_EQ(member_string(r, "deviceVendor"), "Microsoft");
    EXPECT_EQ(member_string(r, "deviceProduct"),
              event.product.empty() ? "Security" : std::string(event.product));
    EXPECT_EQ(member_string(r, "name"), event.title.empty() ? to_string(event.kind) : event.title);

    // Raw mode: every key present once, nothing split or merged.
    std::size_t labels = 0;
    for (const ExpectedField& field : fields) {
      EXPECT_EQ(cef_unescape(member_string(r, field.key)), field.value) << field.key;
      if (!field.label_key.empty()) {
        ++labels;
        EXPECT_EQ(member_string(r, field.label_key), field.label);
      }
    }
    EXPECT_EQ(r.MemberCount(), 7 + fields.size() + labels);

    // Processed mode: labeled keys renamed, numbers converted, values unescaped.
    for (const ExpectedField& field : fields) {
      const std::string name = field.label.empty() ? field.key : field.label;
      const auto it = p.FindMember(name.c_str());
      ASSERT_NE(it, p.MemberEnd()) << name;
      if (it->value.IsNumber()) {
        EXPECT_DOUBLE_EQ(it->value.GetDouble(), std::stod(field.value)) << name;
        continue;
      }
      ASSERT_TRUE(it->value.IsString()) << name;
      if (field.value.find('\\') != std::string::npos) continue;  // jc's unescape quirk
      std::string expected = field.value;
      // jc strips values (Python str.strip: ASCII whitespace here).
      while (!expected.empty() && std::isspace(static_cast<unsigned char>(expected.back()))) {
        expected.pop_back();
      }
      while (!expected.empty() && std::isspace(static_cast<unsigned char>(expected.front()))) {
        expected.erase(0, 1);
      }
      EXPECT_EQ(std::string(it->value.GetString(), it->value.GetStringLength()), expected) << name;
    }
    if (event.time_ms != kNoTime) {
      ASSERT_TRUE(p.HasMember("rt_epoch"));
      EXPECT_EQ(p["rt_epoch"].GetInt64(), event.time_ms / 1000);
    }
  }
}

TEST(JcRoundTrip, CefExtensionsParseBackToTheVisitorValues) {
  if (!jc_available()) GTEST_SKIP() << "jc is not installed";
  std::vector<Event> events = test::sample_events_of_every_kind();
  events.push_back(hostile_event_with_plain_header());
  expect_jc_roundtrip(events);
}

// Every fixture payload (Graph responses, Defender export bodies) through the real
// normalizers, then the same jc check: what `secfeed convert` prints for realistic
// input parses back to the intended fields.
TEST(JcRoundTrip, EveryFixtureEventParsesBackToTheVisitorValues) {
  if (!jc_available()) GTEST_SKIP() << "jc is not installed";
  std::size_t total = 0;
  for (const char* dir : {"tests/fixtures/graph", "tests/fixtures/defender"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(SECFEED_SOURCE_DIR) + "/" + dir)) {
      if (entry.path().extension() != ".json") continue;
      SCOPED_TRACE(entry.path().string());
      std::ifstream file(entry.path());
      std::stringstream text;
      text << file.rdbuf();
      const std::string payload = text.str();
      // One read() of a single-document file keeps its document alive for all items.
      PayloadReader reader;
      Arena arena;
      EventBatch batch;
      std::string error;
      reader.read(
          payload,
          [&](const PayloadItem& item) {
            const std::optional<PayloadKind> kind = detect_payload_kind(item.value, item.context);
            if (!kind) return;
            NormalizeContext ctx{arena, "test", "", "", item.raw_text};
            normalize_item(*kind, item.value, ctx, batch, error);
          },
          [](const PayloadError&) {});
      std::vector<Event> events(batch.begin(), batch.end());
      total += events.size();
      expect_jc_roundtrip(events);
    }
  }
  EXPECT_GT(total, 50u) << "the corpus must really be exercised";
}

TEST(JcRoundTrip, HostileValuesReallyAreHostile) {
  // Guards the test above: the hostile event must exercise escapes, truncation,
  // replacement characters and IPv6.
  std::string line;
  EncodeStats stats;
  encode_cef(hostile_event_with_plain_header(), line, {}, &stats);
  EXPECT_EQ(stats.truncated_fields, 1u);
  for (std::string_view needle :
       {"\\=", "\\\\", "\\n", "\\r", "\xEF\xBF\xBD", "c6a2=2001:db8::7"}) {
    EXPECT_NE(line.find(needle), std::string::npos) << needle;
  }
}

TEST(JcRoundTrip, Rfc5424MessagesParse) {
  if (!jc_available()) GTEST_SKIP() << "jc is not installed";
  SyslogHeaderOptions options;
  options.hostname = "collector-1.example";
  options.procid = "4242";
  options.msgid = "CEF";
  std::string cef_line;
  encode_cef(test::sample_alert(), cef_line);
  std::string input;
  append_syslog_message(input, options, syslog_severity_for(test::sample_alert()), test::kT0,
                        cef_line);
  input.push_back('\n');
  options.hostname = "";
  options.procid = "";
  options.msgid = "";
  options.facility = 4;
  append_syslog_message(input, options, 2, test::kT0 + 1, "plain message");
  input.push_back('\n');
  const std::optional<std::string> output = run_jc("--syslog", input);
  ASSERT_TRUE(output);
  rapidjson::Document parsed;
  parsed.Parse(output->c_str());
  ASSERT_TRUE(parsed.IsArray() && parsed.Size() == 2) << *output;
  const rapidjson::Value& first = parsed[0];
  EXPECT_EQ(first["priority"].GetInt(), 20 * 8 + 4);
  EXPECT_EQ(first["version"].GetInt(), 1);
  EXPECT_EQ(member_string(first, "timestamp"), "2024-05-01T10:20:30.456Z");
  EXPECT_EQ(first["timestamp_epoch_utc"].GetInt64(), test::kT0 / 1000);
  EXPECT_EQ(member_string(first, "hostname"), "collector-1.example");
  EXPECT_EQ(member_string(first, "appname"), "secfeed");
  EXPECT_EQ(first["proc_id"].GetInt(), 4242);
  EXPECT_EQ(member_string(first, "msg_id"), "CEF");
  EXPECT_TRUE(first["structured_data"].IsNull());
  // Processed mode applies RFC 5424 SD-PARAM unescaping to MSG too (a jc quirk that
  // would halve CEF's "\\"): compare the message in raw mode.
  const std::optional<std::string> raw_output = run_jc("--syslog -r", input);
  ASSERT_TRUE(raw_output);
  rapidjson::Document raw;
  raw.Parse(raw_output->c_str());
  ASSERT_TRUE(raw.IsArray() && raw.Size() == 2) << *raw_output;
  EXPECT_EQ(member_string(raw[0], "message"), cef_line);
  const rapidjson::Value& second = parsed[1];
  EXPECT_EQ(second["priority"].GetInt(), 34);
  EXPECT_EQ(member_string(second, "timestamp"), "2024-05-01T10:20:30.457Z");
  EXPECT_TRUE(second["hostname"].IsNull());
  EXPECT_TRUE(second["proc_id"].IsNull());
  EXPECT_TRUE(second["msg_id"].IsNull());
  EXPECT_EQ(member_string(second, "message"), "plain message");
}

TEST(JcRoundTrip, Rfc3164MessagesParse) {
  if (!jc_available()) GTEST_SKIP() << "jc is not installed";
  SyslogHeaderOptions options;
  options.protocol = SyslogProtocol::rfc3164;
  options.hostname = "collector-1";
  std::string cef_line;
  encode_cef(test::sample_incident(), cef_line);
  std::string input;
  append_syslog_message(input, options, 3, test::kT0, cef_line);
  input.push_back('\n');
  const std::optional<std::string> output = run_jc("--syslog-bsd", input);
  ASSERT_TRUE(output);
  rapidjson::Document parsed;
  parsed.Parse(output->c_str());
  ASSERT_TRUE(parsed.IsArray() && parsed.Size() == 1) << *output;
  EXPECT_EQ(parsed[0]["priority"].GetInt(), 163);
  EXPECT_EQ(member_string(parsed[0], "date"), "May  1 10:20:30");
  EXPECT_EQ(member_string(parsed[0], "hostname"), "collector-1");
  EXPECT_EQ(member_string(parsed[0], "tag"), "secfeed");
  EXPECT_EQ(member_string(parsed[0], "content"), cef_line);
}

}  // namespace
}  // namespace secfeed
