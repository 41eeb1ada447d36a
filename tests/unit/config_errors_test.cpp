// The exact text of every class of configuration error: position, key path, what was
// expected. None may contain a secret (load_error() asserts that for every case).
#include <gtest/gtest.h>

#include "config_test_util.hpp"
#include "connector/core/config.hpp"

namespace secfeed {
namespace {

using testing::kTenantYaml;
using testing::load_error;
using testing::yaml;

// kTenantYaml is lines 1-4; these start at line 5.
const std::string kAlertsToFile = yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-"}]
)");

TEST(ConfigErrorsTest, YamlSyntaxErrorHasItsPosition) {
  EXPECT_EQ(load_error("sources:\n  - type: graph_alerts\n   bad: [\n"),
            "test.yaml:3:4: invalid YAML: end of sequence not found");
  EXPECT_EQ(load_error("sinks: b: c\n"), "test.yaml:1:9: invalid YAML: illegal map value");
}

TEST(ConfigErrorsTest, EmptyOrNonMappingDocument) {
  EXPECT_EQ(load_error(""),
            "test.yaml: the file is empty; expected a mapping with tenants, sources and sinks");
  EXPECT_EQ(load_error("- a\n"),
            "test.yaml:1:1: expected a mapping with tenants, sources and sinks");
}

TEST(ConfigErrorsTest, OnlyOneYamlDocument) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "---\nstate_dir: /x\n"),
            "test.yaml:7:1: expected one YAML document, found a second one here");
}

TEST(ConfigErrorsTest, UnknownKeyWithSuggestion) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, intervall: 5m}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:32: sources[0].intervall: unknown key (did you mean \"interval\"?)");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "sink: []\n"),
            "test.yaml:7:1: sink: unknown key (did you mean \"sinks\"?)");
  // Nested sections and per-type keys suggest from their own key set.
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: syslog
    url: tls://h:1
    tsl: {ca_file: /x}
)")),
            "test.yaml:9:5: sinks[0].tsl: unknown key (did you mean \"tls\"?)");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: syslog
    url: tls://h:1
    tls: {ca_fiel: /x}
)")),
            "test.yaml:9:11: sinks[0].tls.ca_fiel: unknown key (did you mean \"ca_file\"?)");
}

TEST(ConfigErrorsTest, UnknownKeyWithoutCloseMatch) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "routes: []\n"),
            "test.yaml:7:1: routes: unknown key");
}

TEST(ConfigErrorsTest, KeysOfAnotherTypeAreUnknown) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, backfill_days: 3}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:32: sources[0].backfill_days: unknown key");
}

TEST(ConfigErrorsTest, MissingRequiredKeys) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: syslog
    format: cef
)")),
            "test.yaml:7:5: sinks[0].url: required key is missing");
  EXPECT_EQ(load_error(kTenantYaml + "sources: [{name: x}]\n"),
            "test.yaml:5:11: sources[0].type: required key is missing");
  EXPECT_EQ(load_error(kTenantYaml + "sources: [{type: graph_alerts}]\n"),
            "test.yaml:1:1: sinks: required key is missing (nowhere to send)");
  EXPECT_EQ(load_error(yaml(R"(
tenants:
  - id: 00000000-0000-0000-0000-000000000001
    client_secret: x
)") + kAlertsToFile),
            "test.yaml:2:5: tenants[0].client_id: required key is missing");
}

TEST(ConfigErrorsTest, WrongTypes) {
  EXPECT_EQ(load_error(kTenantYaml + "sources: {type: graph_alerts}\n"),
            "test.yaml:5:10: sources: expected a list, got a mapping");
  EXPECT_EQ(load_error(kTenantYaml + "sources: [graph_alerts]\n"),
            "test.yaml:5:11: sources[0]: expected a mapping, got a scalar");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "log: debug\n"),
            "test.yaml:7:6: log: expected a mapping, got a scalar");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "state_dir: [a]\n"),
            "test.yaml:7:12: state_dir: expected a string, got a list");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "metrics: {enabled: maybe}\n"),
            "test.yaml:7:20: metrics.enabled: expected true or false, got \"maybe\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, page_size: 1.5}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:43: sources[0].page_size: expected an integer 1..1000, got \"1.5\"");
}

TEST(ConfigErrorsTest, ValuesOutOfRangeOrMalformed) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_incidents, page_size: 51}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:46: sources[0].page_size: expected an integer 1..50, got 51");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: secure_score, backfill_days: 91}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:47: sources[0].backfill_days: expected an integer 1..90, got 91");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, interval: 30}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:42: sources[0].interval: expected a duration such as 250ms, 30s, 5m, "
            "1h or 7d, got \"30\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, interval: 10ms}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:42: sources[0].interval: must be at least 1000ms");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-", buffer: {max_size: 1XB}}]
)")),
            "test.yaml:6:52: sinks[0].buffer.max_size: expected a size such as 65536, 512KiB, "
            "1MB or 10GiB, got \"1XB\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: log_analytics
    endpoint: https://x.ingest.monitor.azure.com
    dcr_immutable_id: dcr-1
    stream: Custom-X
    max_batch_bytes: 2MiB
)")),
            "test.yaml:11:22: sinks[0].max_batch_bytes: expected a size from 1024 to 1048576 "
            "bytes, got 2MiB");
}

TEST(ConfigErrorsTest, BadChoices) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "log: {level: verbose}\n"),
            "test.yaml:7:14: log.level: expected debug, info, warn or error, got \"verbose\"");
  EXPECT_EQ(load_error(kTenantYaml + "sources: [{type: graph_alert}]\n"),
            "test.yaml:5:18: sources[0].type: expected graph_alerts, graph_incidents, "
            "graph_legacy_alerts, secure_score or eventhub, got \"graph_alert\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: syslog, url: "udp://h", format: ocsf}]
)")),
            "test.yaml:6:48: sinks[0].format: expected cef, json or raw for a syslog sink, got "
            "\"ocsf\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-", filter: {kinds: [alert, alerts]}}]
)")),
            "test.yaml:6:49: sinks[0].filter.kinds: expected event kinds among alert, incident, "
            "secure_score, control_score, control_profile, recommendation, finding, compliance "
            "or score_change, got \"alerts\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-", filter: {min_severity: severe}}]
)")),
            "test.yaml:6:56: sinks[0].filter.min_severity: expected unknown, informational, low, "
            "medium, high or critical, got \"severe\"");
}

TEST(ConfigErrorsTest, SyslogUrl) {
  const auto sink = [](std::string_view url) {
    return load_error(kTenantYaml + "sources: [{type: graph_alerts}]\nsinks:\n  - type: syslog\n" +
                      "    url: " + std::string(url) + "\n");
  };
  EXPECT_EQ(sink("\"http://x\""),
            "test.yaml:8:10: sinks[0].url: expected udp://, tcp:// or tls://host:port, got "
            "\"http://x\"");
  EXPECT_EQ(sink("tcp://host:99999"),
            "test.yaml:8:10: sinks[0].url: expected udp://, tcp:// or tls://host:port, got "
            "\"tcp://host:99999\"");
  EXPECT_EQ(sink("tcp://:514"),
            "test.yaml:8:10: sinks[0].url: expected udp://, tcp:// or tls://host:port, got "
            "\"tcp://:514\"");
  EXPECT_EQ(sink("udp://h\n    framing: lf"),
            "test.yaml:9:14: sinks[0].framing: applies to tcp:// and tls:// only");
  EXPECT_EQ(sink("tcp://h\n    tls: {insecure_skip_verify: true}"),
            "test.yaml:9:10: sinks[0].tls: applies to tls:// URLs only");
  EXPECT_EQ(sink("udp://h\n    facility: local9"),
            "test.yaml:9:15: sinks[0].facility: expected a facility 0..23 or a name such as "
            "local4, got \"local9\"");
}

TEST(ConfigErrorsTest, DuplicateNamesAndKeys) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}, {type: graph_alerts}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:33: sources[1].name: duplicate source name \"graph_alerts\" (set a "
            "distinct name:)");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - {type: file, path: a, name: out}
  - {type: file, path: b, name: out}
)")),
            "test.yaml:8:33: sinks[1].name: duplicate sink name \"out\"");
  EXPECT_EQ(load_error(kTenantYaml + kTenantYaml.substr(9) + kAlertsToFile),
            "test.yaml:5:9: tenants[1].id: duplicate tenant id "
            "\"00000000-0000-0000-0000-000000000001\"");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "state_dir: a\nstate_dir: b\n"),
            "test.yaml:8:1: state_dir: duplicate key (first at line 7)");
}

TEST(ConfigErrorsTest, UnknownReferences) {
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, tenants: [contoso.com]}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:41: sources[0].tenants: unknown tenant \"contoso.com\" (configured: "
            "00000000-0000-0000-0000-000000000001)");
  EXPECT_EQ(load_error(yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:1:11: sources[0].tenants: needs at least one tenant; none are configured");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-", filter: {sources: [graph_incidents]}}]
)")),
            "test.yaml:6:51: sinks[0].filter.sources: unknown source \"graph_incidents\"");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "dead_letter: {sink: nope}\n"),
            "test.yaml:7:21: dead_letter.sink: unknown sink \"nope\"");
  EXPECT_EQ(load_error(kTenantYaml + yaml(R"(
sources: [{type: eventhub, oauth: {tenant: other.com, namespace: ns}, topic: t}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:5:44: sources[0].oauth.tenant: unknown tenant \"other.com\" (configured: "
            "00000000-0000-0000-0000-000000000001)");
}

TEST(ConfigErrorsTest, TenantCredentials) {
  const std::string head =
      "tenants:\n  - id: 00000000-0000-0000-0000-000000000001\n"
      "    client_id: 11111111-1111-1111-1111-111111111111\n";
  EXPECT_EQ(load_error(head + kAlertsToFile),
            "test.yaml:2:5: tenants[0]: a credential is required: client_secret, "
            "client_secret_file or certificate");
  EXPECT_EQ(load_error(head + "    client_secret: S3cr3t-Client-Value\n" +
                       "    certificate: {pfx_file: /x.pfx}\n" + kAlertsToFile),
            "test.yaml:5:18: tenants[0].certificate: give either client_secret or certificate, "
            "not both");
  EXPECT_EQ(load_error(head + "    client_secret: S3cr3t-Client-Value\n" +
                       "    client_secret_file: /run/secret\n" + kAlertsToFile),
            "test.yaml:5:25: tenants[0].client_secret_file: give either client_secret or "
            "client_secret_file, not both");
  EXPECT_EQ(load_error(head + "    client_secret_file: /nonexistent/secret\n" + kAlertsToFile),
            "test.yaml:4:25: tenants[0].client_secret_file: cannot read \"/nonexistent/secret\": "
            "No such file or directory");
  EXPECT_EQ(load_error(head + "    certificate: {cert_file: /c.pem}\n" + kAlertsToFile),
            "test.yaml:4:18: tenants[0].certificate.key_file: required with cert_file");
  EXPECT_EQ(
      load_error(head + "    certificate: {pfx_file: /c.pfx, key_file: /k}\n" + kAlertsToFile),
      "test.yaml:4:29: tenants[0].certificate.pfx_file: give either cert_file + key_file "
      "or pfx_file, not both");
  EXPECT_EQ(load_error(head + "    client_secret: {value: S3cr3t-Client-Value}\n" + kAlertsToFile),
            "test.yaml:4:20: tenants[0].client_secret: expected a string, got a mapping");
  EXPECT_EQ(load_error("tenants:\n  - id: not a tenant\n"),
            "test.yaml:2:9: tenants[0].id: expected a tenant GUID or domain "
            "(contoso.onmicrosoft.com), got \"not a tenant\"");
}

TEST(ConfigErrorsTest, InterpolationErrorsNameTheKey) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "state_dir: ${STATE}/x\n"),
            "test.yaml:7:12: state_dir: environment variable STATE is not set");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "state_dir: ${STATE\n"),
            "test.yaml:7:12: state_dir: unterminated ${ (write $${ for a literal ${)");
  const std::string head =
      "tenants:\n  - id: 00000000-0000-0000-0000-000000000001\n"
      "    client_id: 11111111-1111-1111-1111-111111111111\n";
  EXPECT_EQ(load_error(head + "    client_secret: S3cr3t-${Client-Value}\n" + kAlertsToFile),
            "test.yaml:4:20: tenants[0].client_secret: invalid ${...} reference: a variable "
            "name is letters, digits and _");
}

TEST(ConfigErrorsTest, ConnectionStringErrorsNeverShowTheKey) {
  const auto hub = [](std::string_view connection_string) {
    return load_error(yaml(R"(
sources: [{type: eventhub, connection_string: "${EH}"}]
sinks: [{type: file, path: "-"}]
)"),
                      {{"EH", std::string(connection_string)}});
  };
  EXPECT_EQ(hub("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;"
                "SharedAccessKey=AcCeSsKeY0123456789+/="),
            "test.yaml:1:11: sources[0].topic: required key is missing (the connection string "
            "has no EntityPath)");
  EXPECT_EQ(hub("Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=k;"
                "SharedAccessKey=AcCeSsKeY0123456789+/="),
            "test.yaml:1:47: sources[0].connection_string: connection string Endpoint must "
            "start with sb://");
  EXPECT_EQ(hub("AcCeSsKeY0123456789+/="),  // the key pasted alone
            "test.yaml:1:47: sources[0].connection_string: connection string has no "
            "Endpoint=sb://<namespace>.servicebus.windows.net/");
  EXPECT_EQ(hub("Endpoint=sb://ns/;SharedAccessKeyName=k;AcCeSsKeY0123456789+/"),
            "test.yaml:1:47: sources[0].connection_string: connection string segment 3 is not "
            "Name=Value");
}

TEST(ConfigErrorsTest, EventHubNeedsExactlyOneConnection) {
  EXPECT_EQ(load_error(yaml(R"(
sources: [{type: eventhub, topic: t}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:1:11: sources[0]: one of connection_string, connection_string_file, oauth "
            "or kafka is required");
  EXPECT_EQ(load_error(yaml(R"(
sources:
  - type: eventhub
    topic: t
    kafka: {bootstrap_servers: "h:1"}
    connection_string: S3cr3t-Client-Value
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:2:5: sources[0]: only one of connection_string, connection_string_file, "
            "oauth or kafka is required");
  EXPECT_EQ(load_error(yaml(R"(
sources:
  - type: eventhub
    topic: t
    kafka: {bootstrap_servers: "h:1", security_protocol: sasl_ssl, sasl_mechanism: PLAIN}
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:4:12: sources[0].kafka.sasl_username: required with SASL");
  EXPECT_EQ(load_error(yaml(R"(
sources:
  - type: eventhub
    topic: t
    kafka: {bootstrap_servers: "h"}
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:4:32: sources[0].kafka.bootstrap_servers: expected host:port, got \"h\"");
}

TEST(ConfigErrorsTest, KafkaSink) {
  const std::string base = kTenantYaml + "sources: [{type: graph_alerts}]\nsinks:\n" +
                           "  - type: kafka\n    bootstrap_servers: b:9092\n";
  EXPECT_EQ(load_error(base + "    topic: \"secfeed.{severity}\"\n"),
            "test.yaml:9:12: sinks[0].topic: unknown placeholder \"{severity}\"; expected "
            "{kind}, {tenant} or {source}");
  EXPECT_EQ(load_error(base + "    topic: t\n    acks: 1\n"),
            "test.yaml:10:11: sinks[0].acks: is always \"all\" (anything less can lose "
            "delivered events)");
  EXPECT_EQ(load_error(base + "    topic: t\n    compression: brotli\n"),
            "test.yaml:10:18: sinks[0].compression: expected none, gzip, snappy, lz4 or zstd, "
            "got \"brotli\"");
}

TEST(ConfigErrorsTest, KafkaSinkWithEntraIdTokens) {
  const std::string base =
      kTenantYaml + "sources: [{type: graph_alerts}]\nsinks:\n" + "  - type: kafka\n    topic: t\n";
  const std::string oauth =
      "    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: lake}\n";
  EXPECT_EQ(load_error(base + oauth + "    bootstrap_servers: b:9092\n"),
            "test.yaml:10:24: sinks[0].bootstrap_servers: give either oauth or "
            "bootstrap_servers");
  EXPECT_EQ(load_error(base + oauth + "    connection_string: Endpoint=sb://x/\n"),
            "test.yaml:9:12: sinks[0].oauth: give either connection_string or oauth");
  EXPECT_EQ(load_error(base + oauth + "    sasl_username: u\n"),
            "test.yaml:10:20: sinks[0].sasl_username: is implied by oauth");
  EXPECT_EQ(load_error(base + "    oauth: {tenant: other, namespace: lake}\n"),
            "test.yaml:9:21: sinks[0].oauth.tenant: unknown tenant \"other\" (configured: "
            "00000000-0000-0000-0000-000000000001)");
  EXPECT_EQ(load_error(base + "    oauth: {tenant: 00000000-0000-0000-0000-000000000001}\n"),
            "test.yaml:9:12: sinks[0].oauth.namespace: required key is missing");
  EXPECT_EQ(load_error(base + "    oauth: {tenant: 00000000-0000-0000-0000-000000000001, "
                              "namespace: lake, scope: x}\n"),
            "test.yaml:9:76: sinks[0].oauth.scope: unknown key");
  EXPECT_EQ(load_error(base + "    sasl_mechanism: OAUTHBEARER\n    bootstrap_servers: b:1\n"
                              "    security_protocol: sasl_ssl\n"),
            "test.yaml:9:21: sinks[0].sasl_mechanism: for Entra ID tokens use the oauth: "
            "section; other OAUTHBEARER setups go in properties");
}

TEST(ConfigErrorsTest, LogAnalyticsSink) {
  const std::string base = kTenantYaml + "sources: [{type: graph_alerts}]\nsinks:\n" +
                           "  - type: log_analytics\n    dcr_immutable_id: dcr-ab12\n";
  EXPECT_EQ(load_error(base + "    endpoint: http://dce.example.com\n    stream: Custom-A\n"),
            "test.yaml:9:15: sinks[0].endpoint: expected an https:// URL (http:// only for a "
            "loopback host), got \"http://dce.example.com\"");
  EXPECT_EQ(load_error(base + "    endpoint: https://dce\n    stream: SecfeedAlerts_CL\n"),
            "test.yaml:10:13: sinks[0].stream: expected a DCR stream name starting with Custom-, "
            "got \"SecfeedAlerts_CL\"");
  EXPECT_EQ(load_error(base + "    endpoint: https://dce\n    stream_alerts: Custom-A\n"),
            "test.yaml:7:5: sinks[0].stream_posture: required key is missing (posture events "
            "pass this sink's filter; restrict filter.kinds to alert, incident to leave it out)");
}

TEST(ConfigErrorsTest, NoErrorEverQuotesASecret) {
  // Every way a secret value can be wrong; load_error() asserts the secret is absent.
  const std::string head =
      "tenants:\n  - id: 00000000-0000-0000-0000-000000000001\n"
      "    client_id: 11111111-1111-1111-1111-111111111111\n";
  for (const std::string secret_line : {
           "    client_secret: [S3cr3t-Client-Value]\n",
           "    client_secret: S3cr3t-Client-Value\n    client_secret_file: /x\n",
           "    client_secret: ${S3cr3t-Client-Value}\n",
           "    client_secret: S3cr3t-Client-Value${\n",
           "    client_secret: S3cr3t-Client-Value\n    client_secret: S3cr3t-Client-Value\n",
       }) {
    EXPECT_NE(load_error(head + secret_line + kAlertsToFile), "") << secret_line;
  }
}

TEST(ConfigErrorsTest, UrlCredentialsAreNotEchoed) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile +
                       "proxy: {url: \"http://me:S3cr3t-Client-Value@proxy:3128\"}\n"),
            "test.yaml:7:14: proxy.url: expected http://host:port, got "
            "\"http://(credentials)@proxy:3128\"");
}

TEST(ConfigErrorsTest, WorldReadableLiteralSecretWarns) {
  ConfigLoadOptions options = testing::test_options({{"PW", "from-env"}});
  options.world_readable = true;
  const Config config = load_config_string(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: kafka
    bootstrap_servers: b:1
    topic: t
    security_protocol: sasl_plaintext
    sasl_mechanism: PLAIN
    sasl_username: u
    sasl_password: ${PW}
)"),
                                           "test.yaml", options);
  ASSERT_EQ(config.warnings.size(), 1u);  // the interpolated password is not literal
  EXPECT_EQ(config.warnings[0],
            "test.yaml:4:20: tenants[0].client_secret: a literal secret in a file every user "
            "can read; use client_secret_file, ${ENV_VAR} or chmod o-r");
}

TEST(ConfigErrorsTest, FileErrors) {
  try {
    load_config_file("/nonexistent/secfeed.yaml");
    FAIL() << "loaded a missing file";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/secfeed.yaml: cannot read: No such file or directory");
  }
  try {
    load_config_file("/tmp");
    FAIL() << "loaded a directory";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/tmp: cannot read: is a directory");
  }
  const std::string head =
      "tenants:\n  - id: 00000000-0000-0000-0000-000000000001\n"
      "    client_id: 11111111-1111-1111-1111-111111111111\n";
  EXPECT_EQ(load_error(head + "    client_secret_file: /dev/zero\n" + kAlertsToFile),
            "test.yaml:4:25: tenants[0].client_secret_file: cannot read \"/dev/zero\": larger "
            "than 65536 bytes");
  const testing::TempFile empty("\n");
  EXPECT_EQ(
      load_error(head + "    client_secret_file: " + empty.path() + "\n" + kAlertsToFile),
      "test.yaml:4:25: tenants[0].client_secret_file: the file \"" + empty.path() + "\" is empty");
}

TEST(ConfigErrorsTest, HttpConnectionLimits) {
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile + "http: {max_connections_per_host: 0}\n"),
            "test.yaml:7:34: http.max_connections_per_host: expected an integer 1..1024, "
            "got 0");
  EXPECT_EQ(load_error(kTenantYaml + kAlertsToFile +
                       "http: {max_connections_per_host: 100, max_connections_total: 50}\n"),
            "test.yaml:7:34: http.max_connections_per_host: is larger than "
            "max_connections_total (50)");
  const Config config =
      load_config_string(kTenantYaml + kAlertsToFile + "http: {max_connections_per_host: 48}\n",
                         "test.yaml", testing::test_options({}));
  EXPECT_EQ(config.http.max_connections_per_host, 48u);
  EXPECT_EQ(config.http.max_connections_total, 64u);
}

}  // namespace
}  // namespace secfeed
