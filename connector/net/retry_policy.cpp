#include "connector/net/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <random>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"
#include "connector/core/time.hpp"
#include "connector/net/redact.hpp"

namespace secfeed::net {
namespace {

using std::chrono::milliseconds;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<unsigned> month_index(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (iequals(name, kMonths[i])) return i + 1;
  }
  return std::nullopt;
}

// "HH:MM:SS" -> seconds of the day.
std::optional<int> parse_clock(std::string_view text) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const auto h = parse_int(text.substr(0, 2));
  const auto m = parse_int(text.substr(3, 2));
  const auto s = parse_int(text.substr(6, 2));
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
  return *h * 3600 + *m * 60 + *s;
}

std::optional<std::int64_t> to_epoch(int year, unsigned month, int day, int seconds_of_day) {
  if (year < 1970 || year > 9999 || day < 1 || day > 31) return std::nullopt;
  return days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 + seconds_of_day;
}

std::vector<std::string_view> date_tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',' || text[pos] == '-')) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != ',' && text[pos] != '-') ++pos;
    if (pos > start) tokens.push_back(text.substr(start, pos - start));
  }
  return tokens;
}

bool is_alpha_word(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool is_transient_transport_error(HttpError error) {
  switch (error) {
    case HttpError::dns:
    case HttpError::connect:
    case HttpError::proxy:
    case HttpError::timeout:
    case HttpError::reset:
      return true;
    default:
      return false;  // TLS verification, oversized bodies, protocol errors: retrying won't help
  }
}

std::uint64_t default_jitter(std::uint64_t upper) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_int_distribution<std::uint64_t>(0, upper)(engine);
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  const auto tokens = date_tokens(trim(text));
  if (tokens.size() < 5 || !is_alpha_word(tokens[0])) return std::nullopt;
  if (tokens.size() == 6 && iequals(tokens[5], "GMT")) {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
    const auto day = parse_int(tokens[1]);
    const auto month = month_index(tokens[2]);
    auto year = parse_int(tokens[3]);
    const auto clock = parse_clock(tokens[4]);
    if (!day || !month || !year || !clock) return std::nullopt;
    if (tokens[3].size() == 2)
      *year += *year < 70 ? 2000 : 1900;
    else if (tokens[3].size() != 4)
      return std::nullopt;
    return to_epoch(*year, *month, *day, *clock);
  }
  if (tokens.size() == 5) {
    // asctime "Sun Nov  6 08:49:37 1994".
    const auto month = month_index(tokens[1]);
    const auto day = parse_int(tokens[2]);
    const auto clock = parse_clock(tokens[3]);
    const auto year = parse_int(tokens[4]);
    if (!day || !month || !year || !clock || tokens[4].size() != 4) return std::nullopt;
    return to_epoch(*year, *month, *day, *clock);
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_epoch_s) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // Huge values saturate instead of failing: the caller caps them anyway.
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds(INT32_MAX);
    if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, *date - now_epoch_s));
}

RetryPolicy::RetryPolicy(RetryOptions options, JitterSource jitter)
    : options_(options), jitter_(jitter ? std::move(jitter) : JitterSource(default_jitter)) {}

milliseconds RetryPolicy::backoff(int attempt) const {
  const auto cap =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, options_.max_backoff.count()));
  const auto base =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, options_.base_delay.count()));
  std::uint64_t ceiling = base;
  for (int i = 0; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  return milliseconds(static_cast<std::int64_t>(std::min(jitter_(ceiling), ceiling)));
}

RetryDecision RetryPolicy::decide(int attempt, const HttpResult& result, std::int64_t now_epoch_s,
                                  bool token_refreshed) const {
  const bool attempts_left = options_.max_attempts <= 0 || attempt < options_.max_attempts;
  if (!result.transport_ok()) {
    if (!attempts_left || !is_transient_transport_error(result.error)) return {};
    return {RetryAction::retry, backoff(attempt)};
  }
  const int status = result.status;
  if (status == 401) {
    if (token_refreshed) return {};
    return {RetryAction::refresh_token_then_retry, milliseconds(0)};
  }
  if (!attempts_left) return {};
  if (status == 429 || status == 503 || status == 504) {
    if (const auto header = result.headers.find("Retry-After")) {
      if (const auto wait = parse_retry_after(*header, now_epoch_s)) {
        const auto wait_ms = std::chrono::duration_cast<milliseconds>(*wait);
        return {RetryAction::retry, std::min(wait_ms, options_.max_retry_after)};
      }
    }
    return {RetryAction::retry, backoff(attempt)};
  }
  if (status == 408 || status >= 500) return {RetryAction::retry, backoff(attempt)};
  return {};
}

std::optional<GraphError> parse_graph_error(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const auto* error = find_member(doc, "error");
  if (error == nullptr || !error->IsObject()) return std::nullopt;
  auto text = [](const rapidjson::Value* object, std::string_view key) {
    if (object == nullptr || !object->IsObject()) return std::string();
    const auto* value = find_member(*object, key, KeyMatch::case_insensitive);
    return (value && value->IsString()) ? std::string(json_string(*value)) : std::string();
  };
  GraphError out;
  out.code = text(error, "code");
  out.message = text(error, "message");
  const auto* inner = find_member(*error, "innerError", KeyMatch::case_insensitive);
  out.request_id = text(inner, "request-id");
  out.client_request_id = text(inner, "client-request-id");
  out.date = text(inner, "date");
  if (out.code.empty() && out.message.empty()) return std::nullopt;
  return out;
}

std::string format_failure(const HttpRequest& request, const HttpResult& result) {
  std::string line = request.method + " " + request.url.to_string() + " -> ";
  if (!result.transport_ok()) {
    line += std::string(to_string(result.error)) + " error: " + result.error_message;
    return redact(line);
  }
  line += "HTTP " + std::to_string(result.status);
  std::string request_id(result.headers.find("request-id").value_or(""));
  std::string client_request_id(result.headers.find("client-request-id").value_or(""));
  if (const auto graph = parse_graph_error(result.body)) {
    line += ": " + graph->code;
    if (!graph->message.empty()) line += ": " + graph->message;
    if (request_id.empty()) request_id = graph->request_id;
    if (client_request_id.empty()) client_request_id = graph->client_request_id;
  } else if (!result.body.empty()) {
    // Not the Graph shape: a short, single-line, valid UTF-8 excerpt of the body.
    constexpr std::size_t kExcerpt = 200;
    const std::string_view body(result.body);
    const auto cut = utf8_truncation_point(body, kExcerpt);
    std::string excerpt;
    append_utf8_sanitized(excerpt, body.substr(0, cut));
    std::replace_if(
        excerpt.begin(), excerpt.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    line += ": " + excerpt;
    if (cut < body.size()) line += "...";
  }
  if (const auto warning = result.headers.find("Warning"))
    line += " (Warning: " + std::string(*warning) + ")";
  if (!request_id.empty() || !client_request_id.empty()) {
    line += " (request-id=" + request_id + ", client-request-id=" + client_request_id + ")";
  }
  return redact(line);
}

}  // namespace secfeed::net
