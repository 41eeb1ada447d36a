#include "sinks/log_analytics/ingestion_request.hpp"

#include <algorithm>

#include "connector/net/retry_policy.hpp"

namespace secfeed {

std::string ingestion_url(std::string_view endpoint, std::string_view dcr_immutable_id,
                          std::string_view stream) {
  while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
  std::string url;
  url.reserve(endpoint.size() + dcr_immutable_id.size() + stream.size() + 64);
  url.append(endpoint).append("/dataCollectionRules/").append(dcr_immutable_id);
  url.append("/streams/").append(stream).append("?api-version=").append(kLogsIngestionApiVersion);
  return url;
}

std::size_t body_size(std::span<const SinkMessage> rows) {
  std::size_t size = 2 + (rows.empty() ? 0 : rows.size() - 1);
  for (const SinkMessage& row : rows) size += row.bytes.size();
  return size;
}

std::size_t chunk_end(std::span<const SinkMessage> rows, std::size_t begin, std::size_t limit,
                      std::size_t max_body_bytes) {
  limit = std::min(limit, rows.size());
  if (begin >= limit) return limit;
  std::size_t size = 2 + rows[begin].bytes.size();
  std::size_t end = begin + 1;
  while (end < limit && size + 1 + rows[end].bytes.size() <= max_body_bytes) {
    size += 1 + rows[end].bytes.size();
    ++end;
  }
  return end;
}

void append_body(std::string& out, std::span<const SinkMessage> rows) {
  out.push_back('[');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(rows[i].bytes);
  }
  out.push_back(']');
}

IngestionOutcome classify_ingestion(const net::HttpResult& result) {
  if (!result.transport_ok()) return IngestionOutcome::retry;
  switch (result.status) {
    case 204:
      return IngestionOutcome::accepted;
    case 413:
      return IngestionOutcome::too_large;
    case 400:
      return IngestionOutcome::rejected;
    case 401:
      return IngestionOutcome::unauthorized;
    case 403:
      return IngestionOutcome::forbidden;
    default:
      // Anything else, 2xx included, is a failure by the API's contract (success is
      // exactly 204); retrying can store a batch twice, losing it cannot be undone.
      return IngestionOutcome::retry;
  }
}

std::optional<std::chrono::milliseconds> ingestion_retry_after(const net::HttpResult& result,
                                                               std::int64_t now_epoch_s,
                                                               std::chrono::milliseconds cap) {
  if (!result.transport_ok()) return std::nullopt;
  const std::optional<std::string_view> header = result.headers.find("Retry-After");
  if (!header) return std::nullopt;
  const std::optional<std::chrono::seconds> wait = net::parse_retry_after(*header, now_epoch_s);
  if (!wait) return std::nullopt;
  return std::min<std::chrono::milliseconds>(*wait, cap);
}

}  // namespace secfeed
