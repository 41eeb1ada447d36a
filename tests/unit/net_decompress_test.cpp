#include <gtest/gtest.h>

#include <string>

#include <zlib.h>

#include "connector/net/decompress.hpp"
#include "connector/net/http_types.hpp"

namespace secfeed::net {
namespace {

std::string deflate_with(std::string_view data, int window_bits) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

const std::string kText = [] {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "alert " + std::to_string(i) + "; ";
  return text;
}();

TEST(NetDecompress, GzipRoundTripAndEncodings) {
  const std::string gz = gzip_compress(kText);
  ASSERT_FALSE(gz.empty());
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  std::string out;
  EXPECT_EQ(decode_content("gzip", gz, 1 << 20, out), DecodeStatus::ok);
  EXPECT_EQ(out, kText);
  EXPECT_EQ(decode_content(" X-GZIP ", gz, 1 << 20, out), DecodeStatus::ok);
  EXPECT_EQ(out, kText);
  EXPECT_EQ(decode_content("deflate", deflate_with(kText, 15), 1 << 20, out), DecodeStatus::ok);
  EXPECT_EQ(out, kText);
  EXPECT_EQ(decode_content("deflate", deflate_with(kText, -15), 1 << 20, out), DecodeStatus::ok);
  EXPECT_EQ(out, kText);
  EXPECT_EQ(decode_content("", "plain", 5, out), DecodeStatus::ok);
  EXPECT_EQ(out, "plain");
  EXPECT_EQ(decode_content("identity", "plain", 4, out), DecodeStatus::too_large);
  EXPECT_EQ(decode_content("br", "x", 10, out), DecodeStatus::unsupported);
}

TEST(NetDecompress, LimitsAndCorruptInput) {
  const std::string gz = gzip_compress(kText);
  std::string out;
  EXPECT_EQ(decode_content("gzip", gz, kText.size() - 1, out), DecodeStatus::too_large);
  EXPECT_LE(out.size(), kText.size() - 1);
  EXPECT_EQ(decode_content("gzip", gz, kText.size(), out), DecodeStatus::ok);
  EXPECT_EQ(decode_content("gzip", gz.substr(0, gz.size() / 2), 1 << 20, out),
            DecodeStatus::corrupt);
  EXPECT_EQ(decode_content("gzip", "not gzip at all", 1 << 20, out), DecodeStatus::corrupt);
  EXPECT_EQ(decode_content("deflate", "", 1 << 20, out), DecodeStatus::corrupt);
  // A small bomb: 64 MiB of zeros compresses to ~64 KiB; the limit stops it early.
  const std::string bomb = gzip_compress(std::string(64 << 20, '\0'), 9);
  EXPECT_EQ(decode_content("gzip", bomb, 1 << 20, out), DecodeStatus::too_large);
}

TEST(NetHttpHeaders, CaseInsensitiveFindAndSet) {
  HttpHeaders headers;
  headers.add("Retry-After", "5");
  headers.add("request-id", "a");
  headers.add("Request-Id", "b");
  EXPECT_EQ(headers.find("retry-after"), "5");
  EXPECT_EQ(headers.find("REQUEST-ID"), "a");
  EXPECT_FALSE(headers.find("Warning"));
  headers.set("REQUEST-ID", "c");
  EXPECT_EQ(headers.find("request-id"), "c");
  EXPECT_EQ(headers.fields().size(), 2u);
  EXPECT_EQ(to_string(HttpError::body_too_large), "body_too_large");
}

}  // namespace
}  // namespace secfeed::net
