// Loading valid configurations: defaults, derived values, every section's keys.
#include "connector/core/config.hpp"

#include <gtest/gtest.h>

#include "config_test_util.hpp"
#include "sinks/kafka/kafka_sink.hpp"

namespace secfeed {
namespace {

using testing::kTenantYaml;
using testing::load;
using testing::yaml;

TEST(ConfigTest, MinimalConfigGetsEveryDefault) {
  const Config config = load(kTenantYaml + yaml(R"(
sources:
  - type: graph_alerts
sinks:
  - type: syslog
    url: udp://10.0.0.5
)"));
  EXPECT_EQ(config.path, "test.yaml");
  EXPECT_EQ(config.state_dir, "/var/lib/secfeed");
  EXPECT_EQ(config.log.level, LogLevel::info);
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_TRUE(config.metrics.enabled);
  EXPECT_EQ(config.metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(config.dead_letter.path, "/var/lib/secfeed/dead-letter.jsonl");
  EXPECT_EQ(config.dead_letter.sink, "");
  EXPECT_TRUE(config.warnings.empty());

  ASSERT_EQ(config.tenants.size(), 1u);
  const TenantConfig& tenant = config.tenants[0];
  EXPECT_EQ(tenant.id, "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(tenant.name, tenant.id);
  EXPECT_EQ(tenant.cloud, Cloud::global);
  EXPECT_EQ(tenant.credential, CredentialKind::client_secret);
  EXPECT_EQ(tenant.client_secret.reveal(), "S3cr3t-Client-Value");
  EXPECT_EQ(tenant.login_url, "https://login.microsoftonline.com");
  EXPECT_EQ(tenant.graph_url, "https://graph.microsoft.com");

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.name, "graph_alerts");
  EXPECT_EQ(source.kind, SourceType::graph_alerts);
  EXPECT_TRUE(source.enabled);
  const auto& poll = std::get<GraphPollSourceConfig>(source.settings);
  EXPECT_EQ(poll.tenants, std::vector<std::string>{tenant.id});
  EXPECT_EQ(poll.interval, Duration(60'000));
  EXPECT_EQ(poll.lag, Duration(300'000));
  EXPECT_EQ(poll.overlap, Duration(60'000));
  EXPECT_EQ(poll.initial_lookback, Duration(86'400'000));
  EXPECT_EQ(poll.page_size, 1000);
  EXPECT_EQ(poll.timeout, Duration(30'000));

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  EXPECT_EQ(sink.name, "syslog");
  EXPECT_EQ(sink.kind, SinkType::syslog);
  EXPECT_EQ(sink.format, OutputFormat::cef);
  EXPECT_TRUE(sink.filter.kinds.empty());
  EXPECT_EQ(sink.filter.min_severity, Severity::unknown);
  EXPECT_EQ(sink.queue.max_events, 10000u);
  EXPECT_EQ(sink.retry.initial, Duration(1000));
  EXPECT_EQ(sink.retry.max, Duration(60'000));
  EXPECT_EQ(sink.retry.limit, 0u);
  EXPECT_EQ(sink.buffer.type, BufferType::memory);
  EXPECT_EQ(sink.buffer.max_size, 1ull << 30);
  EXPECT_EQ(sink.buffer.when_full, WhenFull::block);
  EXPECT_EQ(sink.buffer.path, "/var/lib/secfeed/buffer/syslog");
  const auto& syslog = std::get<SyslogSinkConfig>(sink.settings);
  EXPECT_EQ(syslog.transport, SyslogTransport::udp);
  EXPECT_EQ(syslog.host, "10.0.0.5");
  EXPECT_EQ(syslog.port, 514);
  EXPECT_EQ(syslog.protocol, SyslogProtocol::rfc5424);
  EXPECT_EQ(syslog.framing, SyslogFraming::none);
  EXPECT_EQ(syslog.facility, 20);
  EXPECT_EQ(syslog.app_name, "secfeed");
  EXPECT_FALSE(syslog.hostname.empty());
  EXPECT_EQ(syslog.max_message_size, 1472u);
}

TEST(ConfigTest, TopLevelSections) {
  const Config config = load(yaml(R"(
state_dir: /srv/secfeed/
log: {level: DEBUG, format: json}
metrics: {enabled: false, listen: "[::1]:9000"}
tls: {ca_file: /etc/ca.pem}
proxy:
  url: http://proxy:3128
  no_proxy: .corp
  username: u
  password: ${PROXY_PW}
)") + kTenantYaml + yaml(R"(
sources: [{type: secure_score}]
sinks:
  - {type: file, path: "-", name: out}
dead_letter: {sink: out}
)"),
                             {{"PROXY_PW", "pw"}});
  EXPECT_EQ(config.state_dir, "/srv/secfeed");
  EXPECT_EQ(config.log.level, LogLevel::debug);
  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_FALSE(config.metrics.enabled);
  EXPECT_EQ(config.metrics.listen, "[::1]:9000");
  EXPECT_EQ(config.tls.ca_file, "/etc/ca.pem");
  EXPECT_EQ(config.tenants[0].ca_file, "/etc/ca.pem");  // inherits the default
  EXPECT_EQ(config.proxy.url, "http://proxy:3128");
  EXPECT_EQ(config.proxy.no_proxy, std::vector<std::string>{".corp"});
  EXPECT_EQ(config.proxy.username, "u");
  EXPECT_EQ(config.proxy.password.reveal(), "pw");
  EXPECT_EQ(config.dead_letter.sink, "out");
  EXPECT_EQ(config.dead_letter.path, "");
  EXPECT_EQ(config.sinks[0].buffer.path, "/srv/secfeed/buffer/out");
}

TEST(ConfigTest, TenantCloudsDeriveEndpoints) {
  const Config config = load(yaml(R"(
clouds:
  china: {graph_url: "http://127.0.0.1:8080/"}
tenants:
  - id: contoso.onmicrosoft.us
    cloud: usgov_dod
    client_id: 11111111-1111-1111-1111-111111111111
    client_secret: x
  - id: contoso.partner.onmschina.cn
    cloud: china
    client_id: 11111111-1111-1111-1111-111111111111
    client_secret: x
  - id: 00000000-0000-0000-0000-000000000003
    cloud: usgov
    client_id: 11111111-1111-1111-1111-111111111111
    client_secret: x
    login_url: http://localhost:9999
sources: [{type: graph_legacy_alerts}]
sinks: [{type: file, path: out.jsonl}]
)"));
  ASSERT_EQ(config.tenants.size(), 3u);
  EXPECT_EQ(config.tenants[0].login_url, "https://login.microsoftonline.us");
  EXPECT_EQ(config.tenants[0].graph_url, "https://dod-graph.microsoft.us");
  EXPECT_EQ(config.tenants[1].login_url, "https://login.chinacloudapi.cn");
  EXPECT_EQ(config.tenants[1].graph_url, "http://127.0.0.1:8080");  // override, '/' trimmed
  EXPECT_EQ(config.tenants[2].login_url, "http://localhost:9999");
  EXPECT_EQ(config.tenants[2].graph_url, "https://graph.microsoft.us");
  EXPECT_EQ(config.endpoints(Cloud::china).monitor_scope, "https://monitor.azure.cn//.default");
  const auto& poll = std::get<GraphPollSourceConfig>(config.sources[0].settings);
  EXPECT_EQ(poll.tenants.size(), 3u);
}

TEST(ConfigTest, CertificateCredential) {
  const Config config = load(yaml(R"(
tenants:
  - id: 00000000-0000-0000-0000-000000000001
    client_id: 11111111-1111-1111-1111-111111111111
    certificate: {cert_file: /c.pem, key_file: /k.pem, key_password: kp}
  - id: 00000000-0000-0000-0000-000000000002
    client_id: 11111111-1111-1111-1111-111111111111
    certificate: {pfx_file: /c.pfx, algorithm: rs256, pfx_password: "${PFX_PW:-}"}
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-"}]
)"));
  const CertificateCredential& pem = config.tenants[0].certificate;
  EXPECT_EQ(config.tenants[0].credential, CredentialKind::certificate);
  EXPECT_EQ(pem.cert_file, "/c.pem");
  EXPECT_EQ(pem.key_file, "/k.pem");
  EXPECT_EQ(pem.key_password.reveal(), "kp");
  EXPECT_EQ(pem.algorithm, JwtAlgorithm::ps256);
  const CertificateCredential& pfx = config.tenants[1].certificate;
  EXPECT_EQ(pfx.pfx_file, "/c.pfx");
  EXPECT_TRUE(pfx.pfx_password.empty());  // ${PFX_PW:-} with PFX_PW unset: not given
  EXPECT_EQ(pfx.algorithm, JwtAlgorithm::rs256);
}

TEST(ConfigTest, SourcesOfEveryType) {
  const Config config = load(kTenantYaml + yaml(R"(
sources:
  - type: graph_incidents
    tenants: [00000000-0000-0000-0000-000000000001]
    interval: 2m30s
    lag: 0s
  - type: secure_score
    name: score
    enabled: false
    backfill_days: 7
    score_drop_threshold: 2.5
    control_regression: no
  - type: eventhub
    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: myns}
    topic: export
    rebalance: eager
    start_from: latest
    commit_interval: 250ms
    properties: {session.timeout.ms: 6000, "fetch.max.bytes": "1048576"}
sinks: [{type: file, path: "-"}]
)"));
  ASSERT_EQ(config.sources.size(), 3u);
  const auto& incidents = std::get<GraphPollSourceConfig>(config.sources[0].settings);
  EXPECT_EQ(incidents.page_size, 50);
  EXPECT_EQ(incidents.interval, Duration(150'000));
  EXPECT_EQ(incidents.lag, Duration(0));

  EXPECT_EQ(config.sources[1].name, "score");
  EXPECT_FALSE(config.sources[1].enabled);
  const auto& score = std::get<SecureScoreSourceConfig>(config.sources[1].settings);
  EXPECT_EQ(score.backfill_days, 7);
  EXPECT_EQ(score.interval, Duration(3'600'000));
  EXPECT_EQ(score.profiles_interval, Duration(86'400'000));
  EXPECT_DOUBLE_EQ(score.score_drop_threshold, 2.5);
  EXPECT_FALSE(score.control_regression);

  const auto& hub = std::get<EventHubSourceConfig>(config.sources[2].settings);
  EXPECT_EQ(hub.auth, EventHubAuth::oauth);
  EXPECT_EQ(hub.kafka.bootstrap_servers, "myns.servicebus.windows.net:9093");
  EXPECT_EQ(hub.kafka.security_protocol, KafkaSecurityProtocol::sasl_ssl);
  EXPECT_EQ(hub.kafka.sasl_mechanism, SaslMechanism::oauthbearer);
  EXPECT_EQ(hub.kafka.oauth_tenant, "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(hub.kafka.oauth_scope, "https://myns.servicebus.windows.net/.default");
  EXPECT_EQ(hub.topic, "export");
  EXPECT_EQ(hub.consumer_group, "secfeed");
  EXPECT_EQ(hub.rebalance, Rebalance::eager);
  EXPECT_EQ(hub.start_from, StartFrom::latest);
  EXPECT_EQ(hub.commit_interval, Duration(250));
  using Property = std::pair<std::string, std::string>;
  EXPECT_EQ(hub.kafka.properties, (std::vector<Property>{{"session.timeout.ms", "6000"},
                                                         {"fetch.max.bytes", "1048576"}}));
}

TEST(ConfigTest, EventHubConnectionStringGivesBootstrapAndTopic) {
  const Config config = load(yaml(R"(
sources:
  - type: eventhub
    connection_string: ${EH}
sinks: [{type: file, path: "-"}]
)"),
                             {{"EH",
                               "Endpoint=sb://ns1.servicebus.windows.net/;"
                               "SharedAccessKeyName=listen;SharedAccessKey=AcCeSsKeY0123456789+/=;"
                               "EntityPath=hub1"}});
  const auto& hub = std::get<EventHubSourceConfig>(config.sources[0].settings);
  EXPECT_EQ(hub.auth, EventHubAuth::connection_string);
  EXPECT_EQ(hub.topic, "hub1");
  EXPECT_EQ(hub.kafka.bootstrap_servers, "ns1.servicebus.windows.net:9093");
  EXPECT_EQ(hub.kafka.sasl_mechanism, SaslMechanism::plain);
  EXPECT_EQ(hub.kafka.sasl_username, "$ConnectionString");
  EXPECT_EQ(hub.kafka.sasl_password.reveal().substr(0, 9), "Endpoint=");
  EXPECT_TRUE(config.tenants.empty());  // an eventhub-only setup needs no tenant
}

TEST(ConfigTest, EventHubPlainKafka) {
  const Config config = load(yaml(R"(
sources:
  - type: eventhub
    kafka:
      bootstrap_servers: "127.0.0.1:9092,127.0.0.1:9093"
    topic: t
sinks: [{type: file, path: "-"}]
)"));
  const auto& hub = std::get<EventHubSourceConfig>(config.sources[0].settings);
  EXPECT_EQ(hub.auth, EventHubAuth::kafka);
  EXPECT_EQ(hub.kafka.bootstrap_servers, "127.0.0.1:9092,127.0.0.1:9093");
  EXPECT_EQ(hub.kafka.security_protocol, KafkaSecurityProtocol::plaintext);
  EXPECT_EQ(hub.kafka.sasl_mechanism, SaslMechanism::none);
}

TEST(ConfigTest, SinksOfEveryType) {
  const Config config = load(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts, name: a}]
sinks:
  - type: syslog
    url: tls://[::1]
    format: json
    protocol: rfc3164
    facility: 13
    tls: {insecure_skip_verify: true, server_name: siem}
    filter:
      kinds: [alert, score_change]
      min_severity: high
      sources: [a]
      tenants: 00000000-0000-0000-0000-000000000001
    batch: {max_events: 10, max_bytes: 64KiB, max_wait: 0s}
  - type: kafka
    bootstrap_servers: [broker:9092]
    security_protocol: SASL_SSL
    sasl_mechanism: plain
    sasl_username: user
    sasl_password: pw
    topic: "{tenant}.{kind}"
    key: tenant
    compression: lz4
    headers: false
  - type: log_analytics
    endpoint: https://dce.westeurope-1.ingest.monitor.azure.com/
    dcr_immutable_id: dcr-0123abcd
    stream: Custom-Secfeed_CL
    batch: {max_bytes: 512KiB}
  - type: file
    path: /tmp/x.jsonl
    format: cef
    rotate: {max_size: 10MB}
    fsync_interval: 0s
    buffer: {type: disk, max_size: 2GiB, when_full: drop_oldest}
    retry: {initial: 250ms, max: 5s, limit: 3}
    queue: {max_events: 5}
)"));
  ASSERT_EQ(config.sinks.size(), 4u);
  const SinkConfig& syslog_sink = config.sinks[0];
  EXPECT_EQ(syslog_sink.format, OutputFormat::json);
  EXPECT_EQ(syslog_sink.filter.kinds,
            (std::vector<EventKind>{EventKind::alert, EventKind::score_change}));
  EXPECT_EQ(syslog_sink.filter.min_severity, Severity::high);
  EXPECT_EQ(syslog_sink.filter.sources, std::vector<std::string>{"a"});
  EXPECT_EQ(syslog_sink.filter.tenants.size(), 1u);
  EXPECT_EQ(syslog_sink.batch.max_events, 10u);
  EXPECT_EQ(syslog_sink.batch.max_bytes, 65536u);
  EXPECT_EQ(syslog_sink.batch.max_wait, Duration(0));
  const auto& syslog = std::get<SyslogSinkConfig>(syslog_sink.settings);
  EXPECT_EQ(syslog.transport, SyslogTransport::tls);
  EXPECT_EQ(syslog.host, "::1");
  EXPECT_EQ(syslog.port, 6514);
  EXPECT_EQ(syslog.framing, SyslogFraming::octet_counting);
  EXPECT_EQ(syslog.protocol, SyslogProtocol::rfc3164);
  EXPECT_EQ(syslog.facility, 13);
  EXPECT_EQ(syslog.max_message_size, 65536u);
  EXPECT_TRUE(syslog.tls.insecure_skip_verify);
  EXPECT_EQ(config.warnings,
            std::vector<std::string>{"test.yaml:12:33: sinks[0].tls.insecure_skip_verify: the "
                                     "receiver's certificate is not verified"});
  EXPECT_EQ(syslog.tls.server_name, "siem");

  const SinkConfig& kafka_sink = config.sinks[1];
  EXPECT_EQ(kafka_sink.format, OutputFormat::json);
  const auto& kafka = std::get<KafkaSinkConfig>(kafka_sink.settings);
  EXPECT_EQ(kafka.kafka.bootstrap_servers, "broker:9092");
  EXPECT_EQ(kafka.kafka.security_protocol, KafkaSecurityProtocol::sasl_ssl);
  EXPECT_EQ(kafka.kafka.sasl_mechanism, SaslMechanism::plain);
  EXPECT_EQ(kafka.kafka.sasl_password.reveal(), "pw");
  EXPECT_EQ(kafka.topic, "{tenant}.{kind}");
  EXPECT_EQ(kafka.key, KafkaKey::tenant);
  EXPECT_EQ(kafka.compression, KafkaCompression::lz4);
  EXPECT_FALSE(kafka.headers);

  const SinkConfig& la_sink = config.sinks[2];
  EXPECT_EQ(la_sink.format, OutputFormat::sentinel);
  EXPECT_EQ(la_sink.batch.max_bytes, 524288u);
  EXPECT_EQ(la_sink.batch.max_wait, Duration(5000));
  const auto& la = std::get<LogAnalyticsSinkConfig>(la_sink.settings);
  EXPECT_EQ(la.endpoint, "https://dce.westeurope-1.ingest.monitor.azure.com");
  EXPECT_EQ(la.stream_alerts, "Custom-Secfeed_CL");
  EXPECT_EQ(la.stream_posture, "Custom-Secfeed_CL");
  EXPECT_EQ(la.tenant, "00000000-0000-0000-0000-000000000001");  // the only tenant
  EXPECT_EQ(la.scope, "https://monitor.azure.com//.default");
  EXPECT_EQ(la.max_batch_bytes, 1'000'000u);
  EXPECT_TRUE(la.gzip);

  const SinkConfig& file_sink = config.sinks[3];
  EXPECT_EQ(file_sink.format, OutputFormat::cef);
  EXPECT_EQ(file_sink.buffer.type, BufferType::disk);
  EXPECT_EQ(file_sink.buffer.max_size, 2ull << 30);
  EXPECT_EQ(file_sink.buffer.when_full, WhenFull::drop_oldest);
  EXPECT_EQ(file_sink.retry.initial, Duration(250));
  EXPECT_EQ(file_sink.retry.max, Duration(5000));
  EXPECT_EQ(file_sink.retry.limit, 3u);
  EXPECT_EQ(file_sink.queue.max_events, 5u);
  const auto& file = std::get<FileSinkConfig>(file_sink.settings);
  EXPECT_EQ(file.rotate.max_size, 10'000'000u);
  EXPECT_EQ(file.rotate.max_files, 5);
  EXPECT_EQ(file.fsync_interval, Duration(0));
}

TEST(ConfigTest, KafkaSinkIntoEventHubsWithSecretFile) {
  const testing::TempFile secret_file(
      "Endpoint=sb://ns2.servicebus.windows.net;SharedAccessKeyName=send;"
      "SharedAccessKey=AcCeSsKeY0123456789+/=;EntityPath=out\r\n");
  const Config config = load(yaml(R"(
sources: [{type: eventhub, kafka: {bootstrap_servers: "h:1"}, topic: in}]
sinks:
  - type: kafka
    connection_string_file: ${CS_FILE}
)"),
                             {{"CS_FILE", secret_file.path()}});
  const auto& kafka = std::get<KafkaSinkConfig>(config.sinks[0].settings);
  EXPECT_EQ(kafka.topic, "out");
  EXPECT_EQ(kafka.kafka.bootstrap_servers, "ns2.servicebus.windows.net:9093");
  // The file's trailing CR LF is not part of the secret.
  EXPECT_EQ(kafka.kafka.sasl_password.reveal(),
            "Endpoint=sb://ns2.servicebus.windows.net;SharedAccessKeyName=send;"
            "SharedAccessKey=AcCeSsKeY0123456789+/=;EntityPath=out");
  EXPECT_TRUE(config.warnings.empty());
}

TEST(ConfigTest, KafkaSinkIntoEventHubsWithEntraIdTokens) {
  const Config config = load(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: kafka
    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: lake}
    topic: secfeed-{kind}
  - type: kafka
    name: fqdn
    oauth: {tenant: 00000000-0000-0000-0000-000000000001, namespace: lake.example.net}
    topic: t
)"));
  const auto& kafka = std::get<KafkaSinkConfig>(config.sinks[0].settings);
  EXPECT_EQ(kafka.topic, "secfeed-{kind}");
  EXPECT_EQ(kafka.kafka.bootstrap_servers, "lake.servicebus.windows.net:9093");
  EXPECT_EQ(kafka.kafka.security_protocol, KafkaSecurityProtocol::sasl_ssl);
  EXPECT_EQ(kafka.kafka.sasl_mechanism, SaslMechanism::oauthbearer);
  EXPECT_EQ(kafka.kafka.oauth_tenant, "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(kafka.kafka.oauth_scope, "https://lake.servicebus.windows.net/.default");
  EXPECT_EQ(kafka.kafka.sasl_username, "");
  const auto& fqdn = std::get<KafkaSinkConfig>(config.sinks[1].settings);
  EXPECT_EQ(fqdn.kafka.bootstrap_servers, "lake.example.net:9093");
  EXPECT_EQ(fqdn.kafka.oauth_scope, "https://lake.example.net/.default");
  // The producer gets SASL_SSL with OAUTHBEARER, and no PLAIN credentials.
  const KafkaProperties properties = kafka_producer_properties(kafka);
  const auto value = [&](std::string_view key) {
    for (const auto& [k, v] : properties) {
      if (k == key) return v;
    }
    return std::string("(unset)");
  };
  EXPECT_EQ(value("security.protocol"), "sasl_ssl");
  EXPECT_EQ(value("sasl.mechanisms"), "OAUTHBEARER");
  EXPECT_EQ(value("sasl.username"), "(unset)");
  EXPECT_EQ(value("bootstrap.servers"), "lake.servicebus.windows.net:9093");
}

TEST(ConfigTest, LogAnalyticsAlertsOnlyNeedsNoPostureStream) {
  const Config config = load(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: log_analytics
    endpoint: http://127.0.0.1:8443
    dcr_immutable_id: dcr-ab
    stream_alerts: Custom-A_CL
    filter: {kinds: [alert, incident]}
)"));
  const auto& la = std::get<LogAnalyticsSinkConfig>(config.sinks[0].settings);
  EXPECT_EQ(la.stream_alerts, "Custom-A_CL");
  EXPECT_EQ(la.stream_posture, "");
}

TEST(ConfigTest, ChinaTenantsAreLeftToTheLegacyApi) {
  EXPECT_EQ(testing::load_error(yaml(R"(
tenants:
  - {id: a.cn, cloud: china, client_id: 11111111-1111-1111-1111-111111111111, client_secret: x}
sources: [{type: graph_alerts}]
sinks: [{type: file, path: "-"}]
)")),
            "test.yaml:3:11: sources[0].tenants: tenant \"a.cn\" is in the china cloud, which "
            "does not offer this API; use graph_legacy_alerts");
}

TEST(ConfigTest, YamlAnchorsAndAliasesWork) {
  const Config config = load(kTenantYaml + yaml(R"(
sources: [{type: graph_alerts}]
sinks:
  - type: file
    name: a
    path: a.jsonl
    retry: &retry {initial: 2s, max: 10s}
  - type: file
    name: b
    path: b.jsonl
    retry: *retry
)"));
  EXPECT_EQ(config.sinks[1].retry.initial, Duration(2000));
}

}  // namespace
}  // namespace secfeed
