#include "connector/pipeline/kafka_conf.hpp"

namespace secfeed {

rd_kafka_conf_t* make_kafka_conf(const KafkaProperties& properties, std::string_view owner,
                                 std::string& error) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      error = std::string(owner) + ": Kafka property " + key + ": " + errstr;
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  }
  return conf;
}

}  // namespace secfeed
