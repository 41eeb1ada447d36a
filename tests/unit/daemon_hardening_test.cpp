#include "connector/app/daemon_hardening.hpp"

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace secfeed {
namespace {

using testing::load;
using testing::yaml;

TEST(SecurityWarnings, NoneForADefaultDeployment) {
  const Config config = load(yaml(R"(
sources:
  - {name: mdc, type: eventhub, kafka: {bootstrap_servers: "b:9092"}, topic: t}
sinks:
  - {type: file, path: "-"}
)"));
  EXPECT_TRUE(security_warnings(config).empty());
}

TEST(SecurityWarnings, KafkaVerificationOffAndMetricsOnTheNetwork) {
  const Config config = load(yaml(R"(
metrics: {listen: "0.0.0.0:9464"}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: "b:9093"}
    topic: t
    properties: {enable.ssl.certificate.verification: "FALSE", ssl.endpoint.identification.algorithm: none, fetch.min.bytes: "1"}
sinks:
  - {type: file, path: "-"}
)"));
  EXPECT_EQ(security_warnings(config),
            (std::vector<std::string>{
                "sources[mdc].properties.enable.ssl.certificate.verification=FALSE: the Kafka "
                "broker's certificate is not verified",
                "sources[mdc].properties.ssl.endpoint.identification.algorithm=none: the Kafka "
                "broker's host name is not verified",
                "metrics.listen 0.0.0.0:9464 is not a loopback address: /metrics and /readyz are "
                "served without authentication to the network (bind 127.0.0.1, or firewall the "
                "port)"}));
}

TEST(SecurityWarnings, LoopbackListenersAndDisabledMetricsAreQuiet) {
  for (const char* metrics :
       {R"({listen: "[::1]:9464"})", R"({listen: "localhost:0"})", R"({listen: "127.0.0.2:9464"})",
        R"({enabled: false, listen: "0.0.0.0:9464"})"}) {
    const Config config = load(std::string("metrics: ") + metrics + R"(
sources:
  - {name: mdc, type: eventhub, kafka: {bootstrap_servers: "b:9092"}, topic: t}
sinks:
  - {type: file, path: "-"}
)");
    EXPECT_TRUE(security_warnings(config).empty()) << metrics;
  }
}

}  // namespace
}  // namespace secfeed
