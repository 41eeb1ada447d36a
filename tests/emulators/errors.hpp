// Error bodies in the formats the real services use, so clients' error parsing is tested.
#pragma once

#include <string_view>

#include "clock.hpp"
#include "http_types.hpp"

namespace secfeed::emulator {

// Graph: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}
void set_graph_error(Response& response, int status, std::string_view code,
                     std::string_view message, const Request& request, Ticks now);

// Entra ID token endpoint: {"error","error_description":"AADSTS<code>: ... Trace ID: ...",
// "error_codes":[code],"timestamp","trace_id","correlation_id","error_uri"}.
void set_aad_error(Response& response, int status, std::string_view error, int aadsts_code,
                   std::string_view description, const Request& request, Ticks now);

// Azure Monitor (Logs Ingestion): {"error":{"code","message"}}.
void set_azure_error(Response& response, int status, std::string_view code,
                     std::string_view message);

// The standard message per status, for injected faults.
std::string_view graph_code_for_status(int status);

}  // namespace secfeed::emulator
