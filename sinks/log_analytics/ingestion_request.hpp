// Pure pieces of the Logs Ingestion protocol (shared/specs/sentinel-logs-ingestion.md),
// kept apart from the sink's I/O so they are unit-tested directly: the request URL,
// cutting rows into request bodies, and what an answer means for the rows sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "connector/net/http_types.hpp"
#include "sinks/sink.hpp"

namespace secfeed {

inline constexpr std::string_view kLogsIngestionApiVersion = "2023-01-01";

// {endpoint}/dataCollectionRules/{dcr}/streams/{stream}?api-version=2023-01-01; a
// trailing '/' of the endpoint is not doubled.
std::string ingestion_url(std::string_view endpoint, std::string_view dcr_immutable_id,
                          std::string_view stream);

// Bytes of the JSON array body holding rows[begin, end): brackets and commas included.
std::size_t body_size(std::span<const SinkMessage> rows);

// The end of the longest run rows[begin, end) with end <= limit whose body fits in
// `max_body_bytes`; at least begin + 1 (a row too big alone is the caller's to reject).
std::size_t chunk_end(std::span<const SinkMessage> rows, std::size_t begin, std::size_t limit,
                      std::size_t max_body_bytes);

// Appends `[row,row,...]`.
void append_body(std::string& out, std::span<const SinkMessage> rows);

enum class IngestionOutcome {
  accepted,      // 204: every row is stored
  too_large,     // 413: split the request, never send it again unchanged
  rejected,      // 400: the rows (or one of them) do not fit the DCR: split, then dead-letter
  unauthorized,  // 401: the token was refused: refresh it once
  forbidden,     // 403: the app lacks "Monitoring Metrics Publisher" on the DCR
  retry,         // 429, 5xx, transport errors, anything unexpected: back off and retry
};

IngestionOutcome classify_ingestion(const net::HttpResult& result);

// The wait the answer asks for (Retry-After as seconds or HTTP-date), capped at `cap`.
std::optional<std::chrono::milliseconds> ingestion_retry_after(const net::HttpResult& result,
                                                               std::int64_t now_epoch_s,
                                                               std::chrono::milliseconds cap);

}  // namespace secfeed
