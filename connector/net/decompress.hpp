// Content-Encoding decoding (gzip, deflate) with an output size limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secfeed::net {

enum class DecodeStatus { ok, too_large, corrupt, unsupported };

// Decodes `body` per `content_encoding` ("", "identity", "gzip", "x-gzip", "deflate";
// "deflate" accepts both zlib-wrapped and raw streams, as servers send either).
// On ok, `out` holds the decoded bytes; `out` never grows beyond `max_bytes`.
DecodeStatus decode_content(std::string_view content_encoding, std::string_view body,
                            std::size_t max_bytes, std::string& out);

// gzip-compresses `data` (for the Logs Ingestion sink's Content-Encoding: gzip).
std::string gzip_compress(std::string_view data, int level = 6);

}  // namespace secfeed::net
