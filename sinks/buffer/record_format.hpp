// The on-disk form of one buffered SinkMessage (disk buffer WAL, see disk_queue.hpp):
//
//   header (12 bytes, little endian): magic "SFB1" | payload length u32 | CRC-32 of payload
//   payload: version u8 (1) | kind u8 | syslog severity u8 | reserved u8 | time_ms i64 |
//            id, tenant_id, source, bytes: each u32 length + bytes
//
// The CRC is zlib's CRC-32 (the same value `python3 -c zlib.crc32` gives), so a damaged
// record is recognised whatever was damaged: the magic finds record starts again after
// damage, the length and CRC tell a complete record from a cut or altered one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sinks/sink.hpp"

namespace secfeed::buffer {

inline constexpr std::uint32_t kRecordMagic = 0x31424653;  // "SFB1" in file order
inline constexpr std::size_t kRecordHeaderSize = 12;
// Larger messages are refused (dead-lettered): a length field that large is damage.
inline constexpr std::uint32_t kMaxRecordPayload = 1u << 30;

struct RecordHeader {
  std::uint32_t magic = 0;
  std::uint32_t length = 0;
  std::uint32_t crc = 0;
};

std::uint32_t record_crc(std::string_view payload);

// The payload's size for `message` (what kMaxRecordPayload limits).
std::size_t record_payload_size(const SinkMessage& message);

// Appends header + payload of `message` to `out`.
void append_record(const SinkMessage& message, std::string& out);

RecordHeader parse_header(const char* header);  // kRecordHeaderSize bytes

// Rebuilds a message (without its ack handle) from a payload whose CRC matched; false
// when the payload does not parse (unknown version, lengths past its end).
bool decode_payload(std::string_view payload, SinkMessage& message);

}  // namespace secfeed::buffer
