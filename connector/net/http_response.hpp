// The client side of an HTTP response, shared by HttpClient and the HTTP response fuzzer
// (tests/fuzz/fuzz_http_response.cpp), so the fuzzer parses exactly what the client does.
// Both functions are defined in http_client.cpp: Beast's HTTP templates stay instantiated
// in that one translation unit.
#pragma once

#include <cstddef>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "connector/net/http_types.hpp"

namespace secfeed::net {

using ResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

// Header block cap; a longer header is a protocol error, not an allocation.
inline constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;

// Body and header limits (`max_body_bytes` applies to the body as received, before
// Content-Encoding is removed); a HEAD response has no body.
void configure_response_parser(ResponseParser& parser, std::size_t max_body_bytes,
                               bool head_request);

// Status, headers and the body with Content-Encoding removed (at most `max_body_bytes`
// decoded), or an HttpResult with error body_too_large / protocol.
HttpResult to_http_result(const ResponseParser::value_type& response, std::size_t max_body_bytes);

}  // namespace secfeed::net
