#include "connector/net/decompress.hpp"

#include <zlib.h>

#include "connector/core/text.hpp"

namespace secfeed::net {
namespace {

// window_bits: 15+32 = zlib or gzip (auto-detected), -15 = raw deflate.
DecodeStatus inflate_all(std::string_view body, int window_bits, std::size_t max_bytes,
                         std::string& out) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) return DecodeStatus::corrupt;
  out.clear();
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  char chunk[16384];
  int rc = Z_OK;
  DecodeStatus status = DecodeStatus::ok;
  while (rc != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      status = DecodeStatus::corrupt;  // includes Z_BUF_ERROR: truncated input
      break;
    }
    const std::size_t produced = sizeof chunk - stream.avail_out;
    if (out.size() + produced > max_bytes) {
      status = DecodeStatus::too_large;
      break;
    }
    out.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && stream.avail_in == 0) {
      status = DecodeStatus::corrupt;  // input ended before the stream did
      break;
    }
  }
  inflateEnd(&stream);
  return status;
}

}  // namespace

DecodeStatus decode_content(std::string_view content_encoding, std::string_view body,
                            std::size_t max_bytes, std::string& out) {
  const std::string_view encoding = trim(content_encoding);
  if (encoding.empty() || iequals(encoding, "identity")) {
    if (body.size() > max_bytes) return DecodeStatus::too_large;
    out.assign(body);
    return DecodeStatus::ok;
  }
  if (iequals(encoding, "gzip") || iequals(encoding, "x-gzip")) {
    return inflate_all(body, 15 + 32, max_bytes, out);
  }
  if (iequals(encoding, "deflate")) {
    const auto status = inflate_all(body, 15 + 32, max_bytes, out);
    return status == DecodeStatus::corrupt ? inflate_all(body, -15, max_bytes, out) : status;
  }
  return DecodeStatus::unsupported;
}

std::string gzip_compress(std::string_view data, int level) {
  z_stream stream{};
  // 15 + 16: gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? stream.total_out : 0);
  deflateEnd(&stream);
  return out;
}

}  // namespace secfeed::net
