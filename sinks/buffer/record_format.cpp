#include "sinks/buffer/record_format.hpp"

#include <boost/crc.hpp>

namespace secfeed::buffer {
namespace {

constexpr std::uint8_t kPayloadVersion = 1;
constexpr std::size_t kFixedPayload = 4 + 8;  // version, kind, severity, reserved, time_ms

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Takes a length-prefixed string off the front of `in`.
bool take_string(std::string_view& in, std::string& out) {
  if (in.size() < 4) return false;
  const std::uint32_t length = get_u32(in.data());
  in.remove_prefix(4);
  if (length > in.size()) return false;
  out.assign(in.data(), length);
  in.remove_prefix(length);
  return true;
}

}  // namespace

std::uint32_t record_crc(std::string_view payload) {
  boost::crc_32_type crc;
  crc.process_bytes(payload.data(), payload.size());
  return crc.checksum();
}

std::size_t record_payload_size(const SinkMessage& m) {
  return kFixedPayload + 4 * 4 + m.id.size() + m.tenant_id.size() + m.source.size() +
         m.bytes.size();
}

void append_record(const SinkMessage& m, std::string& out) {
  const std::size_t header_at = out.size();
  out.append(kRecordHeaderSize, '\0');
  const std::size_t payload_at = out.size();
  out.push_back(static_cast<char>(kPayloadVersion));
  out.push_back(static_cast<char>(m.kind));
  out.push_back(static_cast<char>(static_cast<std::int8_t>(m.syslog_severity)));  // 0..7
  out.push_back('\0');
  put_u64(out, static_cast<std::uint64_t>(m.time_ms));
  put_string(out, m.id);
  put_string(out, m.tenant_id);
  put_string(out, m.source);
  put_string(out, m.bytes);
  const std::string_view payload(out.data() + payload_at, out.size() - payload_at);
  std::string header;
  put_u32(header, kRecordMagic);
  put_u32(header, static_cast<std::uint32_t>(payload.size()));
  put_u32(header, record_crc(payload));
  out.replace(header_at, kRecordHeaderSize, header);
}

RecordHeader parse_header(const char* header) {
  return RecordHeader{get_u32(header), get_u32(header + 4), get_u32(header + 8)};
}

bool decode_payload(std::string_view in, SinkMessage& m) {
  if (in.size() < kFixedPayload) return false;
  const auto version = static_cast<std::uint8_t>(in[0]);
  const auto kind = static_cast<std::uint8_t>(in[1]);
  if (version != kPayloadVersion || kind >= kEventKindCount) return false;
  m.kind = static_cast<EventKind>(kind);
  m.syslog_severity = static_cast<std::int8_t>(in[2]);
  m.time_ms = static_cast<std::int64_t>(get_u64(in.data() + 4));
  in.remove_prefix(kFixedPayload);
  m.ack.reset();
  m.end_of_stream = false;
  return take_string(in, m.id) && take_string(in, m.tenant_id) && take_string(in, m.source) &&
         take_string(in, m.bytes) && in.empty();
}

}  // namespace secfeed::buffer
