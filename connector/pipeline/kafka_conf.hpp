// Builds a librdkafka configuration from ordered properties (later entries win), for
// the eventhub source and the kafka sink alike.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <string_view>

#include "connector/core/kafka_client_properties.hpp"

namespace secfeed {

// nullptr with `error` ("<owner>: Kafka property <key>: <librdkafka's reason>") when a
// property is rejected. The value is never echoed: it may be a password or a
// connection string.
rd_kafka_conf_t* make_kafka_conf(const KafkaProperties& properties, std::string_view owner,
                                 std::string& error);

}  // namespace secfeed
