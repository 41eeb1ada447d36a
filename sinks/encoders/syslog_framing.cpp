#include "sinks/encoders/syslog_framing.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "connector/core/text.hpp"
#include "connector/core/time.hpp"
#include "sinks/encoders/cef_encoder.hpp"

namespace secfeed {
namespace {

constexpr std::size_t kHostnameLimit = 255;
constexpr std::size_t kAppNameLimit = 48;
constexpr std::size_t kProcidLimit = 128;
constexpr std::size_t kMsgidLimit = 32;
constexpr std::size_t kTagLimit = 32;

constexpr std::int64_t kMinRfc3339Ms = -62167219200000;  // 0000-01-01T00:00:00Z
constexpr std::int64_t kMaxRfc3339Ms = 253402300799999;  // 9999-12-31T23:59:59.999Z

void append_number(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// A header field: printable ASCII only, cut to `limit`, "-" when empty. `reserved`
// bytes are replaced too (a 3164 TAG must not contain the ':' '[' ']' that end it).
void append_header_field(std::string& out, std::string_view text, std::size_t limit,
                         std::string_view reserved = {}) {
  if (text.empty()) {
    out.push_back('-');
    return;
  }
  text = text.substr(0, limit);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool printable = byte >= 33 && byte <= 126 && reserved.find(c) == reserved.npos;
    out.push_back(printable ? c : '_');
  }
}

void append_two_digits(std::string& out, unsigned value, char pad) {
  out.push_back(value >= 10 ? static_cast<char>('0' + value / 10) : pad);
  out.push_back(static_cast<char>('0' + value % 10));
}

void append_rfc3164_timestamp(std::string& out, std::int64_t timestamp_ms) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (timestamp_ms == kNoTime || timestamp_ms < kMinRfc3339Ms || timestamp_ms > kMaxRfc3339Ms) {
    timestamp_ms = 0;
  }
  // Reuse the ISO formatter, then pick the fields: one date algorithm in the code base.
  thread_local std::string scratch;  // reused: no allocation per message
  scratch.clear();
  append_iso8601_ms(scratch, timestamp_ms);
  const std::string_view text = scratch;  // YYYY-MM-DDThh:mm:ss.mmmZ
  const unsigned month = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  const unsigned day = static_cast<unsigned>((text[8] - '0') * 10 + (text[9] - '0'));
  out.append(kMonths[std::clamp(month, 1u, 12u) - 1]);
  out.push_back(' ');
  append_two_digits(out, day, ' ');
  out.push_back(' ');
  out.append(text.substr(11, 8));
}

}  // namespace

std::string_view to_string(SyslogProtocol protocol) {
  return protocol == SyslogProtocol::rfc3164 ? "rfc3164" : "rfc5424";
}

std::optional<SyslogProtocol> syslog_protocol_from_string(std::string_view text) {
  if (iequals(text, "rfc5424") || iequals(text, "5424")) return SyslogProtocol::rfc5424;
  if (iequals(text, "rfc3164") || iequals(text, "3164") || iequals(text, "bsd")) {
    return SyslogProtocol::rfc3164;
  }
  return std::nullopt;
}

std::string_view to_string(SyslogFraming framing) {
  switch (framing) {
    case SyslogFraming::none:
      return "none";
    case SyslogFraming::lf:
      return "lf";
    case SyslogFraming::octet_counting:
      break;
  }
  return "octet-counting";
}

std::optional<SyslogFraming> syslog_framing_from_string(std::string_view text) {
  if (iequals(text, "octet-counting") || iequals(text, "octet_counting")) {
    return SyslogFraming::octet_counting;
  }
  if (iequals(text, "lf") || iequals(text, "non-transparent")) return SyslogFraming::lf;
  return std::nullopt;
}

int syslog_severity_for(const Event& event) {
  if (cef_severity(event) == "Unknown") return 6;
  const int score = std::clamp(event.severity_score, 0, 10);
  if (score >= 9) return 2;
  if (score >= 7) return 3;
  if (score >= 4) return 4;
  if (score >= 2) return 5;
  return 6;
}

void append_syslog_message(std::string& out, const SyslogHeaderOptions& options,
                           int syslog_severity, std::int64_t timestamp_ms, std::string_view msg) {
  const int pri = std::clamp(options.facility, 0, 23) * 8 + std::clamp(syslog_severity, 0, 7);
  out.reserve(out.size() + 128 + msg.size());
  out.push_back('<');
  append_number(out, pri);
  out.push_back('>');
  if (options.protocol == SyslogProtocol::rfc5424) {
    out.append("1 ");
    if (timestamp_ms == kNoTime || timestamp_ms < kMinRfc3339Ms || timestamp_ms > kMaxRfc3339Ms) {
      out.push_back('-');
    } else {
      append_iso8601_ms(out, timestamp_ms);
    }
    out.push_back(' ');
    append_header_field(out, options.hostname, kHostnameLimit);
    out.push_back(' ');
    append_header_field(out, options.app_name, kAppNameLimit);
    out.push_back(' ');
    append_header_field(out, options.procid, kProcidLimit);
    out.push_back(' ');
    append_header_field(out, options.msgid, kMsgidLimit);
    out.append(" -");  // no STRUCTURED-DATA
    if (!msg.empty()) {
      out.push_back(' ');
      out.append(msg);
    }
    return;
  }
  append_rfc3164_timestamp(out, timestamp_ms);
  out.push_back(' ');
  append_header_field(out, options.hostname, kHostnameLimit);
  out.push_back(' ');
  append_header_field(out, options.app_name, kTagLimit, ":[]");
  if (!options.procid.empty()) {
    out.push_back('[');
    append_header_field(out, options.procid, kProcidLimit, ":[]");
    out.push_back(']');
  }
  out.append(": ");
  out.append(msg);
}

bool truncate_message(std::string& out, std::size_t message_start, std::size_t max_bytes) {
  if (message_start > out.size() || out.size() - message_start <= max_bytes) return false;
  const std::string_view message = std::string_view(out).substr(message_start);
  out.resize(message_start + utf8_truncation_point(message, max_bytes));
  return true;
}

void append_octet_counted(std::string& out, std::string_view message) {
  append_number(out, static_cast<std::int64_t>(message.size()));
  out.push_back(' ');
  out.append(message);
}

void frame_octet_counted_in_place(std::string& out, std::size_t message_start) {
  char prefix[24];
  const auto result = std::to_chars(prefix, prefix + sizeof prefix - 1,
                                    static_cast<std::uint64_t>(out.size() - message_start));
  *result.ptr = ' ';
  out.insert(message_start, prefix, static_cast<std::size_t>(result.ptr + 1 - prefix));
}

void append_lf_framed(std::string& out, std::string_view message) {
  const std::size_t start = out.size();
  out.append(message);
  frame_lf_in_place(out, start);
}

void frame_lf_in_place(std::string& out, std::size_t message_start) {
  // memchr scans many bytes per step; a CEF or JSON message rarely holds a raw CR or LF.
  char* const end = out.data() + out.size();
  for (const char terminator : {'\n', '\r'}) {
    char* p = out.data() + message_start;
    while ((p = static_cast<char*>(std::memchr(p, terminator, std::size_t(end - p)))) != nullptr) {
      *p++ = ' ';
    }
  }
  out.push_back('\n');
}

}  // namespace secfeed
