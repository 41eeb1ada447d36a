// Name lookups for the broker's control commands: Kafka ApiKeys and librdkafka error codes.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed::testkafka {

// Kafka protocol ApiKey by its protocol name ("Fetch", "OffsetCommit", ...), compared
// case-insensitively, or as a plain number. librdkafka does not install
// rdkafka_protocol.h, so the numbers live here.
std::optional<int16_t> api_key_by_name(std::string_view name);

// Protocol name of an ApiKey, or "ApiKey<n>" for one not in the table.
std::string api_key_name(int16_t api_key);

// librdkafka error code by name, case-insensitively: the enum name with or without the
// RD_KAFKA_RESP_ERR_ prefix ("NOT_LEADER_FOR_PARTITION", "_TRANSPORT"), the newer
// Kafka names librdkafka 2.0.2 lacks ("NOT_LEADER_OR_FOLLOWER"), or a number.
std::optional<rd_kafka_resp_err_t> error_by_name(std::string_view name);

}  // namespace secfeed::testkafka
