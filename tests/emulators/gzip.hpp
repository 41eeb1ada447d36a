// gzip (RFC 1952) decoding for Content-Encoding: gzip request bodies, bounded so a small
// compressed body cannot inflate without limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secfeed::emulator {

enum class InflateResult { ok, too_large, corrupt };

// Decodes into `out`; `too_large` as soon as the output would exceed `limit` bytes.
InflateResult gunzip(std::string_view compressed, std::size_t limit, std::string& out);

}  // namespace secfeed::emulator
