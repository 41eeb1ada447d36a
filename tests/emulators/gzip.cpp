#include "gzip.hpp"

#include <zlib.h>

namespace secfeed::emulator {

InflateResult gunzip(std::string_view compressed, std::size_t limit, std::string& out) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect the gzip wrapper (header and CRC) around the deflate data.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return InflateResult::corrupt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  out.clear();
  char chunk[16384];
  InflateResult result = InflateResult::corrupt;
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    const int status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
    if (out.size() > limit) {
      result = InflateResult::too_large;
      break;
    }
    if (status == Z_STREAM_END) {
      result = stream.avail_in == 0 ? InflateResult::ok : InflateResult::corrupt;
      break;
    }
    if (status != Z_OK) break;  // Z_BUF_ERROR here means truncated input
  }
  inflateEnd(&stream);
  return result;
}

}  // namespace secfeed::emulator
