#include "sinks/encoders/syslog_framing.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/encoder_test_events.hpp"

namespace secfeed {
namespace {

using test::kT0;  // 2024-05-01T10:20:30.456Z

SyslogHeaderOptions options_5424() {
  SyslogHeaderOptions options;
  options.protocol = SyslogProtocol::rfc5424;
  options.facility = 20;
  options.hostname = "collector-1";
  options.app_name = "secfeed";
  options.procid = "1234";
  options.msgid = "CEF";
  return options;
}

std::string message(const SyslogHeaderOptions& options, int severity, std::int64_t ms,
                    std::string_view msg) {
  std::string out;
  append_syslog_message(out, options, severity, ms, msg);
  return out;
}

TEST(Syslog5424, FullMessage) {
  EXPECT_EQ(message(options_5424(), 3, kT0, "CEF:0|a|b|1|c|d|8|x=y"),
            "<163>1 2024-05-01T10:20:30.456Z collector-1 secfeed 1234 CEF - CEF:0|a|b|1|c|d|8|x=y");
}

TEST(Syslog5424, NilFieldsAndEmptyMessage) {
  SyslogHeaderOptions options;
  options.facility = 1;
  options.app_name = "";
  EXPECT_EQ(message(options, 6, kNoTime, ""), "<14>1 - - - - - -");
}

TEST(Syslog5424, FieldsAreSanitizedAndCutToTheirLimits) {
  SyslogHeaderOptions options = options_5424();
  const std::string host(300, 'h'), app(60, 'a'), procid(200, 'p'), msgid(40, 'm');
  options.hostname = host;
  options.app_name = app;
  options.procid = procid;
  options.msgid = msgid;
  EXPECT_EQ(message(options, 0, kT0, "m"), "<160>1 2024-05-01T10:20:30.456Z " +
                                               std::string(255, 'h') + " " + std::string(48, 'a') +
                                               " " + std::string(128, 'p') + " " +
                                               std::string(32, 'm') + " - m");
  options = options_5424();
  options.hostname = "bad host\xff\n";
  options.app_name = "app\x01";
  EXPECT_EQ(message(options, 0, kT0, "m"),
            "<160>1 2024-05-01T10:20:30.456Z bad_host__ app_ 1234 CEF - m");
}

TEST(Syslog5424, PriorityIsClamped) {
  SyslogHeaderOptions options = options_5424();
  options.facility = 99;
  EXPECT_EQ(message(options, -1, kT0, "m").substr(0, 8), "<184>1 2");
  options.facility = -3;
  EXPECT_EQ(message(options, 42, kT0, "m").substr(0, 6), "<7>1 2");
}

TEST(Syslog5424, TimestampsOutsideRfc3339AreNil) {
  EXPECT_EQ(message(options_5424(), 5, 253402300800000, "m"),
            "<165>1 - collector-1 secfeed 1234 CEF - m");
  EXPECT_EQ(message(options_5424(), 5, 0, "m"),
            "<165>1 1970-01-01T00:00:00.000Z collector-1 secfeed 1234 CEF - m");
}

TEST(Syslog3164, FullMessageWithSpacePaddedDay) {
  SyslogHeaderOptions options = options_5424();
  options.protocol = SyslogProtocol::rfc3164;
  EXPECT_EQ(message(options, 4, kT0, "CEF:0|x"),
            "<164>May  1 10:20:30 collector-1 secfeed[1234]: CEF:0|x");
  options.procid = "";
  EXPECT_EQ(message(options, 4, kT0 + 14 * 86400000LL, "m"),
            "<164>May 15 10:20:30 collector-1 secfeed: m");
}

TEST(Syslog3164, TagIsCutAndCannotEndEarly) {
  SyslogHeaderOptions options = options_5424();
  options.protocol = SyslogProtocol::rfc3164;
  const std::string tag = "my:app[x]" + std::string(40, 't');
  options.app_name = tag;
  options.procid = "";
  options.hostname = "";
  EXPECT_EQ(message(options, 6, kNoTime, "m"),
            "<166>Jan  1 00:00:00 - my_app_x_" + std::string(23, 't') + ": m");
}

TEST(SyslogFraming, OctetCountingCountsBytes) {
  std::string out;
  append_octet_counted(out, "hello");
  append_octet_counted(out, "\xc3\xa9");
  append_octet_counted(out, "");
  EXPECT_EQ(out,
            "5 hello2 \xc3\xa9"
            "0 ");
}

TEST(SyslogFraming, OctetCountingInPlace) {
  std::string out = "1 a";
  const std::size_t start = out.size();
  out.append(1234, 'x');
  frame_octet_counted_in_place(out, start);
  EXPECT_EQ(out, "1 a1234 " + std::string(1234, 'x'));
}

TEST(SyslogFraming, LfFramingKeepsOneMessagePerLine) {
  std::string out;
  append_lf_framed(out, "a\nb\rc");
  append_lf_framed(out, "d");
  EXPECT_EQ(out, "a b c\nd\n");
  out = "x";
  out.append("y\nz");
  frame_lf_in_place(out, 1);
  EXPECT_EQ(out, "xy z\n");
}

TEST(SyslogFraming, TruncateMessageKeepsCharactersWhole) {
  std::string out = "prefix:ab\xe2\x82\xac";  // message "ab€" (5 bytes) after 7
  EXPECT_FALSE(truncate_message(out, 7, 5));
  EXPECT_EQ(out, "prefix:ab\xe2\x82\xac");
  EXPECT_TRUE(truncate_message(out, 7, 4));  // the cut falls inside "€": drop it whole
  EXPECT_EQ(out, "prefix:ab");
  EXPECT_TRUE(truncate_message(out, 7, 1));
  EXPECT_EQ(out, "prefix:a");
  EXPECT_FALSE(truncate_message(out, 99, 1));  // start past the end: nothing to cut
}

TEST(SyslogSeverity, FollowsTheCefScaleAndNeverPagesEveryone) {
  Event e;
  const auto severity = [&](Severity s, int score) {
    e.severity = s;
    e.severity_score = score;
    return syslog_severity_for(e);
  };
  EXPECT_EQ(severity(Severity::unknown, 0), 6);
  EXPECT_EQ(severity(Severity::informational, 1), 6);
  EXPECT_EQ(severity(Severity::low, 3), 5);
  EXPECT_EQ(severity(Severity::medium, 5), 4);
  EXPECT_EQ(severity(Severity::high, 8), 3);
  EXPECT_EQ(severity(Severity::critical, 10), 2);
  EXPECT_EQ(severity(Severity::critical, 50), 2);
}

TEST(SyslogNames, ParseAndPrint) {
  EXPECT_EQ(syslog_protocol_from_string("RFC3164"), SyslogProtocol::rfc3164);
  EXPECT_EQ(syslog_protocol_from_string("5424"), SyslogProtocol::rfc5424);
  EXPECT_EQ(syslog_protocol_from_string("rfc9999"), std::nullopt);
  EXPECT_EQ(to_string(SyslogProtocol::rfc3164), "rfc3164");
  EXPECT_EQ(syslog_framing_from_string("octet-counting"), SyslogFraming::octet_counting);
  EXPECT_EQ(syslog_framing_from_string("LF"), SyslogFraming::lf);
  EXPECT_EQ(syslog_framing_from_string("crlf"), std::nullopt);
  EXPECT_EQ(to_string(SyslogFraming::octet_counting), "octet-counting");
}

}  // namespace
}  // namespace secfeed
