#include "tests/kafka_broker/kafka_handle.hpp"

#include <charconv>

namespace secfeed::testkafka {

std::optional<Setting> split_setting(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  return Setting{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

ConfPtr make_conf(const std::vector<Setting>& settings, std::string* error) {
  ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      *error = key + ": " + errstr;
      return nullptr;
    }
  }
  return conf;
}

KafkaPtr make_client(rd_kafka_type_t type, ConfPtr conf, std::string* error) {
  char errstr[512];
  rd_kafka_t* client = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (client == nullptr) {
    *error = errstr;
    return nullptr;
  }
  conf.release();  // Owned by the client now.
  return KafkaPtr(client);
}

int partition_count(rd_kafka_t* client, const std::string& topic, int timeout_ms,
                    std::string* error) {
  // A topic handle restricts the request to this topic (and lets the mock auto-create it).
  rd_kafka_topic_t* topic_handle = rd_kafka_topic_new(client, topic.c_str(), nullptr);
  if (topic_handle == nullptr) {
    *error = describe(rd_kafka_last_error());
    return -1;
  }
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client, 0, topic_handle, &raw, timeout_ms);
  rd_kafka_topic_destroy(topic_handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    *error = "metadata for " + topic + ": " + describe(err);
    return -1;
  }
  MetadataPtr metadata(raw);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& entry = metadata->topics[i];
    if (topic != entry.topic) continue;
    if (entry.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      *error = "topic " + topic + ": " + describe(entry.err);
      return -1;
    }
    return entry.partition_cnt;
  }
  *error = "topic " + topic + " missing from metadata";
  return -1;
}

std::string describe(rd_kafka_resp_err_t err) {
  return std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace secfeed::testkafka
