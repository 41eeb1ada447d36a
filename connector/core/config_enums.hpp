// The spelling of every configuration enum, used by the loader (parsing, error text
// listing the choices) and by to_string for messages and `secfeed validate`.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "connector/core/config.hpp"

namespace secfeed {

template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

inline constexpr EnumName<LogLevel> kLogLevelNames[] = {{"debug", LogLevel::debug},
                                                        {"info", LogLevel::info},
                                                        {"warn", LogLevel::warn},
                                                        {"error", LogLevel::error}};
inline constexpr EnumName<LogFormat> kLogFormatNames[] = {{"text", LogFormat::text},
                                                          {"json", LogFormat::json}};
inline constexpr EnumName<Cloud> kCloudNames[] = {{"global", Cloud::global},
                                                  {"usgov", Cloud::usgov},
                                                  {"usgov_dod", Cloud::usgov_dod},
                                                  {"china", Cloud::china}};
inline constexpr EnumName<JwtAlgorithm> kJwtAlgorithmNames[] = {{"PS256", JwtAlgorithm::ps256},
                                                                {"RS256", JwtAlgorithm::rs256}};
inline constexpr EnumName<SourceType> kSourceTypeNames[] = {
    {"graph_alerts", SourceType::graph_alerts},
    {"graph_incidents", SourceType::graph_incidents},
    {"graph_legacy_alerts", SourceType::graph_legacy_alerts},
    {"secure_score", SourceType::secure_score},
    {"eventhub", SourceType::eventhub}};
inline constexpr EnumName<KafkaSecurityProtocol> kKafkaSecurityProtocolNames[] = {
    {"plaintext", KafkaSecurityProtocol::plaintext},
    {"ssl", KafkaSecurityProtocol::ssl},
    {"sasl_plaintext", KafkaSecurityProtocol::sasl_plaintext},
    {"sasl_ssl", KafkaSecurityProtocol::sasl_ssl}};
inline constexpr EnumName<SaslMechanism> kSaslMechanismNames[] = {
    {"none", SaslMechanism::none},
    {"PLAIN", SaslMechanism::plain},
    {"SCRAM-SHA-256", SaslMechanism::scram_sha_256},
    {"SCRAM-SHA-512", SaslMechanism::scram_sha_512},
    {"OAUTHBEARER", SaslMechanism::oauthbearer}};
inline constexpr EnumName<Rebalance> kRebalanceNames[] = {{"cooperative", Rebalance::cooperative},
                                                          {"eager", Rebalance::eager}};
inline constexpr EnumName<StartFrom> kStartFromNames[] = {{"earliest", StartFrom::earliest},
                                                          {"latest", StartFrom::latest}};
inline constexpr EnumName<SinkType> kSinkTypeNames[] = {{"syslog", SinkType::syslog},
                                                        {"kafka", SinkType::kafka},
                                                        {"log_analytics", SinkType::log_analytics},
                                                        {"file", SinkType::file}};
inline constexpr EnumName<OutputFormat> kOutputFormatNames[] = {
    {"cef", OutputFormat::cef},
    {"json", OutputFormat::json},
    {"raw", OutputFormat::raw},
    {"ocsf", OutputFormat::ocsf},
    {"sentinel", OutputFormat::sentinel}};
inline constexpr EnumName<EventKind> kEventKindNames[] = {
    {"alert", EventKind::alert},
    {"incident", EventKind::incident},
    {"secure_score", EventKind::secure_score},
    {"control_score", EventKind::control_score},
    {"control_profile", EventKind::control_profile},
    {"recommendation", EventKind::recommendation},
    {"finding", EventKind::finding},
    {"compliance", EventKind::compliance},
    {"score_change", EventKind::score_change}};
inline constexpr EnumName<Severity> kSeverityNames[] = {
    {"unknown", Severity::unknown}, {"informational", Severity::informational},
    {"low", Severity::low},         {"medium", Severity::medium},
    {"high", Severity::high},       {"critical", Severity::critical}};
inline constexpr EnumName<BufferType> kBufferTypeNames[] = {{"memory", BufferType::memory},
                                                            {"disk", BufferType::disk}};
inline constexpr EnumName<WhenFull> kWhenFullNames[] = {{"block", WhenFull::block},
                                                        {"drop_oldest", WhenFull::drop_oldest}};
inline constexpr EnumName<SyslogProtocol> kSyslogProtocolNames[] = {
    {"rfc5424", SyslogProtocol::rfc5424}, {"rfc3164", SyslogProtocol::rfc3164}};
inline constexpr EnumName<SyslogFraming> kSyslogFramingNames[] = {
    {"octet_counting", SyslogFraming::octet_counting}, {"lf", SyslogFraming::lf}};
inline constexpr EnumName<KafkaKey> kKafkaKeyNames[] = {
    {"id", KafkaKey::id}, {"tenant", KafkaKey::tenant}, {"none", KafkaKey::none}};
inline constexpr EnumName<KafkaCompression> kKafkaCompressionNames[] = {
    {"none", KafkaCompression::none},
    {"gzip", KafkaCompression::gzip},
    {"snappy", KafkaCompression::snappy},
    {"lz4", KafkaCompression::lz4},
    {"zstd", KafkaCompression::zstd}};
// Syslog facility names (RFC 5424 table); numbers 0..23 are accepted as well.
inline constexpr EnumName<int> kSyslogFacilityNames[] = {
    {"kern", 0},          {"user", 1},    {"mail", 2},    {"daemon", 3},    {"auth", 4},
    {"syslog", 5},        {"lpr", 6},     {"news", 7},    {"uucp", 8},      {"cron", 9},
    {"authpriv", 10},     {"ftp", 11},    {"ntp", 12},    {"security", 13}, {"console", 14},
    {"solaris-cron", 15}, {"local0", 16}, {"local1", 17}, {"local2", 18},   {"local3", 19},
    {"local4", 20},       {"local5", 21}, {"local6", 22}, {"local7", 23}};

template <typename E>
std::string_view enum_name(std::span<const EnumName<E>> table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

// "a, b or c" for error messages.
template <typename E>
std::string enum_choices(std::span<const EnumName<E>> table) {
  std::string text;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i > 0) text += (i + 1 == table.size()) ? " or " : ", ";
    text += table[i].name;
  }
  return text;
}

}  // namespace secfeed
