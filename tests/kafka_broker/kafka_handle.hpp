// RAII ownership and small helpers for librdkafka's C API, shared by the test broker,
// the test producer and the test consumer (tests/kafka_broker/).
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secfeed::testkafka {

struct KafkaDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct HeadersDeleter {
  void operator()(rd_kafka_headers_t* headers) const { rd_kafka_headers_destroy(headers); }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};

using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

using Setting = std::pair<std::string, std::string>;

// Splits "key=value" at the first '='. Empty key or no '=' -> nullopt.
std::optional<Setting> split_setting(std::string_view text);

// Builds a configuration from settings applied in order (later ones win).
// On failure returns null and sets *error to "<key>: <librdkafka message>".
ConfPtr make_conf(const std::vector<Setting>& settings, std::string* error);

// Creates a client; takes ownership of `conf` only on success, as librdkafka does.
KafkaPtr make_client(rd_kafka_type_t type, ConfPtr conf, std::string* error);

// Number of partitions of `topic` from a metadata request, or -1 with *error set.
int partition_count(rd_kafka_t* client, const std::string& topic, int timeout_ms,
                    std::string* error);

// "NAME: description" for an error code, the form every helper prints.
std::string describe(rd_kafka_resp_err_t err);

// Strict decimal parse of the whole text: an optional '-' and digits, nothing else.
std::optional<int64_t> parse_int(std::string_view text);

}  // namespace secfeed::testkafka
