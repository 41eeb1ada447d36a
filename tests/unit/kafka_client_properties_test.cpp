#include "connector/core/kafka_client_properties.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

std::string value_of(const KafkaProperties& properties, const std::string& key) {
  std::string found = "<absent>";
  for (const auto& [k, v] : properties) {
    if (k == key) found = v;  // the last one wins, as in librdkafka
  }
  return found;
}

TEST(KafkaClientProperties, EventHubsEndpointsGetMicrosoftsRecommendedDefaults) {
  KafkaClientConfig kafka;
  kafka.bootstrap_servers = "myns.servicebus.windows.net:9093";
  kafka.security_protocol = KafkaSecurityProtocol::sasl_ssl;
  kafka.sasl_mechanism = SaslMechanism::plain;
  kafka.sasl_username = "$ConnectionString";
  kafka.sasl_password = Secret("Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKey=k");
  kafka.properties = {{"session.timeout.ms", "45000"}};
  const KafkaProperties p = kafka_client_properties(kafka);
  EXPECT_EQ(value_of(p, "socket.keepalive.enable"), "true");
  EXPECT_EQ(value_of(p, "metadata.max.age.ms"), "180000");
  EXPECT_EQ(value_of(p, "request.timeout.ms"), "60000");
  EXPECT_EQ(value_of(p, "session.timeout.ms"), "45000") << "user properties win";
  EXPECT_EQ(value_of(p, "security.protocol"), "sasl_ssl");
  EXPECT_EQ(value_of(p, "sasl.mechanisms"), "PLAIN");
  EXPECT_EQ(value_of(p, "sasl.username"), "$ConnectionString");
  EXPECT_TRUE(is_event_hubs_endpoint("x.servicebus.usgovcloudapi.net:9093"));
}

TEST(KafkaClientProperties, PlainKafkaGetsNoEventHubsDefaults) {
  KafkaClientConfig kafka;
  kafka.bootstrap_servers = "127.0.0.1:9092,127.0.0.1:9093";
  const KafkaProperties p = kafka_client_properties(kafka);
  EXPECT_EQ(value_of(p, "bootstrap.servers"), "127.0.0.1:9092,127.0.0.1:9093");
  EXPECT_EQ(value_of(p, "security.protocol"), "plaintext");
  EXPECT_EQ(value_of(p, "socket.keepalive.enable"), "<absent>");
  EXPECT_EQ(value_of(p, "sasl.mechanisms"), "<absent>");
}

}  // namespace
}  // namespace secfeed
