// Failure reasons for the `secfeed check` table: the kind of failure first (DNS error,
// connect error, TLS error, timeout, AADSTS code, HTTP status), then what to do.
#pragma once

#include <string>
#include <string_view>

#include "connector/net/http_types.hpp"

namespace secfeed::check {

// A request that got no HTTP answer: "DNS error: ...", "connect error: ...",
// "TLS error: ...", "timeout: ...", "proxy error: ...".
std::string describe_transport_failure(const net::HttpResult& result);

// A token provider's error ("token request (tenant .., client .., scope ..) failed: ...")
// shortened to what the table needs: "AADSTS7000215: <hint>" for Entra errors (the hint
// says what to fix), the transport failure otherwise.
std::string describe_token_failure(std::string_view error);

// "HTTP 404 NotFound: <Graph/Azure error message>" or "HTTP 502" (+ a short body excerpt).
std::string describe_http_status(const net::HttpResult& result);

}  // namespace secfeed::check
