// Syslog headers (RFC 5424 / RFC 3164) and TCP framing (RFC 6587) around an encoded
// message. The time is passed in (the sink's clock), which keeps tests exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connector/core/event.hpp"

namespace secfeed {

enum class SyslogProtocol { rfc5424, rfc3164 };
std::string_view to_string(SyslogProtocol protocol);
std::optional<SyslogProtocol> syslog_protocol_from_string(std::string_view text);

// none: one message per datagram (UDP); the stream framings are RFC 6587's.
enum class SyslogFraming { none, octet_counting, lf };
std::string_view to_string(SyslogFraming framing);
std::optional<SyslogFraming> syslog_framing_from_string(std::string_view text);

struct SyslogHeaderOptions {
  SyslogProtocol protocol = SyslogProtocol::rfc5424;
  // local4 (20): CEF should not share plain syslog's facility (see the spec), and
  // local4 is what Microsoft's CEF collector examples use.
  int facility = 20;
  std::string_view hostname;  // "" -> nil "-"
  std::string_view app_name = "secfeed";
  std::string_view procid;  // "" -> nil (5424) / no "[pid]" (3164)
  std::string_view msgid;   // "" -> nil (5424 only)
};

// Syslog severity (0 emergency .. 7 debug) for an event, from its CEF severity:
//   Unknown or 0-1 -> 6 informational, 2-3 -> 5 notice, 4-6 -> 4 warning,
//   7-8 -> 3 error, 9-10 -> 2 critical.
// Alert (1) and emergency (0) are never used: receivers broadcast those to every
// logged-in terminal, which a security alert forwarded from the cloud must not do.
int syslog_severity_for(const Event& event);

// Appends one syslog message (no framing, no trailing newline):
//   rfc5424: <PRI>1 YYYY-MM-DDThh:mm:ss.mmmZ HOSTNAME APP-NAME PROCID MSGID - MSG
//   rfc3164: <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PROCID]: MSG   (UTC, day space-padded)
// PRI = facility * 8 + severity, both clamped to their ranges. Header fields are cut
// to their RFC limits (HOSTNAME 255, APP-NAME 48, PROCID 128, MSGID 32, 3164 TAG 32)
// and every byte outside printable ASCII (33..126) becomes '_'; empty -> "-". A
// timestamp outside years 0000..9999 (or kNoTime) is written as nil "-" (5424) or the
// epoch (3164, which has no nil). MSG is written as is (no BOM).
void append_syslog_message(std::string& out, const SyslogHeaderOptions& options,
                           int syslog_severity, std::int64_t timestamp_ms, std::string_view msg);

// Cuts the message at out[message_start..] to at most `max_bytes` (e.g. a UDP
// datagram limit) without splitting a UTF-8 character. Returns true when it cut, so
// the sink can count it; a cut CEF line loses trailing extension fields, never its
// header's integrity.
bool truncate_message(std::string& out, std::size_t message_start, std::size_t max_bytes);

// RFC 6587 octet counting: "<len> <message>".
void append_octet_counted(std::string& out, std::string_view message);
// Same, for a message already at out[message_start..]: inserts the length prefix.
void frame_octet_counted_in_place(std::string& out, std::size_t message_start);

// RFC 6587 non-transparent framing: message + LF. A raw LF or CR inside the message
// would split it at the receiver, so each becomes a space (CEF and JSON output never
// contain one; raw vendor text might).
void append_lf_framed(std::string& out, std::string_view message);
void frame_lf_in_place(std::string& out, std::size_t message_start);

}  // namespace secfeed
