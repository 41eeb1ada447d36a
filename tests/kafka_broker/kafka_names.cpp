#include "tests/kafka_broker/kafka_names.hpp"

#include <array>
#include <string>

#include "connector/core/text.hpp"
#include "tests/kafka_broker/kafka_handle.hpp"

namespace secfeed::testkafka {
namespace {

struct ApiKeyName {
  std::string_view name;
  int16_t key;
};

// The first entry for a key is its canonical name; later ones are accepted aliases.
constexpr std::array<ApiKeyName, 30> kApiKeys{{
    {"Produce", 0},
    {"Fetch", 1},
    {"ListOffsets", 2},
    {"Offset", 2},
    {"Metadata", 3},
    {"OffsetCommit", 8},
    {"OffsetFetch", 9},
    {"FindCoordinator", 10},
    {"GroupCoordinator", 10},
    {"JoinGroup", 11},
    {"Heartbeat", 12},
    {"LeaveGroup", 13},
    {"SyncGroup", 14},
    {"DescribeGroups", 15},
    {"ListGroups", 16},
    {"SaslHandshake", 17},
    {"ApiVersions", 18},
    {"ApiVersion", 18},
    {"CreateTopics", 19},
    {"DeleteTopics", 20},
    {"DeleteRecords", 21},
    {"InitProducerId", 22},
    {"OffsetForLeaderEpoch", 23},
    {"AddPartitionsToTxn", 24},
    {"AddOffsetsToTxn", 25},
    {"EndTxn", 26},
    {"TxnOffsetCommit", 28},
    {"SaslAuthenticate", 36},
    {"DeleteGroups", 42},
    {"OffsetDelete", 47},
}};

struct ErrorAlias {
  std::string_view name;
  rd_kafka_resp_err_t code;
};

// Names newer Kafka versions (KIP-392 etc.) use for codes librdkafka 2.0.2 names
// differently, plus the aliases rdkafka.h only offers as macros.
constexpr std::array<ErrorAlias, 4> kErrorAliases{{
    {"NOT_LEADER_OR_FOLLOWER", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION},
    {"GROUP_LOAD_IN_PROGRESS", RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS},
    {"GROUP_COORDINATOR_NOT_AVAILABLE", RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE},
    {"NOT_COORDINATOR_FOR_GROUP", RD_KAFKA_RESP_ERR_NOT_COORDINATOR},
}};

constexpr std::string_view kErrorPrefix = "RD_KAFKA_RESP_ERR_";

}  // namespace

std::optional<int16_t> api_key_by_name(std::string_view name) {
  for (const ApiKeyName& entry : kApiKeys) {
    if (iequals(entry.name, name)) return entry.key;
  }
  const std::optional<int64_t> number = parse_int(name);
  if (number && *number >= 0 && *number <= INT16_MAX) return static_cast<int16_t>(*number);
  return std::nullopt;
}

std::string api_key_name(int16_t api_key) {
  for (const ApiKeyName& entry : kApiKeys) {
    if (entry.key == api_key) return std::string(entry.name);
  }
  return "ApiKey" + std::to_string(api_key);
}

std::optional<rd_kafka_resp_err_t> error_by_name(std::string_view name) {
  if (istarts_with(name, kErrorPrefix)) name.remove_prefix(kErrorPrefix.size());
  if (name.empty()) return std::nullopt;
  for (const ErrorAlias& alias : kErrorAliases) {
    if (iequals(alias.name, name)) return alias.code;
  }
  const rd_kafka_err_desc* descs = nullptr;
  std::size_t count = 0;
  rd_kafka_get_err_descs(&descs, &count);
  for (std::size_t i = 0; i < count; ++i) {
    // The table has holes: entries without a name.
    if (descs[i].name != nullptr && iequals(descs[i].name, name)) return descs[i].code;
  }
  const std::optional<int64_t> number = parse_int(name);
  if (number && *number >= INT16_MIN && *number <= INT16_MAX) {
    return static_cast<rd_kafka_resp_err_t>(*number);
  }
  return std::nullopt;
}

}  // namespace secfeed::testkafka
