// The configuration model: what a YAML config file (README.md, "Configuration") becomes after
// loading, interpolation, defaults and validation. Every field carries its default here,
// so a default-constructed struct is exactly what an absent section means.
//
// Routing: there is no `routes` section. Each sink has a `filter` (kinds, minimum
// severity, sources, tenants) and receives every event that passes it; fan-out is
// several sinks with overlapping filters.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "connector/core/cloud.hpp"
#include "connector/core/config_interpolate.hpp"
#include "connector/core/config_units.hpp"
#include "connector/core/event.hpp"
#include "connector/core/log.hpp"
#include "connector/core/secret.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/syslog_framing.hpp"  // SyslogProtocol, SyslogFraming

namespace secfeed {

using namespace std::chrono_literals;

// A configuration error: what() reads "FILE:LINE:COLUMN: KEY.PATH: what was expected".
// It never contains a secret.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------- top level

struct LogConfig {
  LogLevel level = LogLevel::info;
  LogFormat format = LogFormat::text;
};

struct MetricsConfig {
  bool enabled = true;
  std::string listen = "127.0.0.1:9464";  // Prometheus /metrics; host:port
};

// Where events go that no sink will ever accept (rejected as malformed, 400/413 after
// splitting to one event): a JSON-lines file, or another configured sink.
struct DeadLetterConfig {
  std::string path;  // default: <state_dir>/dead-letter.jsonl (unless `sink` is set)
  std::string sink;  // name of a configured sink
};

// TLS defaults for every outgoing HTTPS/TLS connection that sets no ca_file itself.
struct TlsDefaultsConfig {
  std::string ca_file;  // empty: the system trust store
};

// Connections of the HTTPS client (Graph, Entra ID, the Logs Ingestion API). Every tenant
// talks to the same Graph host, so the per-host limit is how many Graph requests can be
// in flight across all tenants: 1,000 tenants polled every minute need far more than 4.
struct HttpConfig {
  std::size_t max_connections_per_host = 16;
  std::size_t max_connections_total = 64;
};

// HTTP(S) CONNECT proxy for Graph, Entra ID and the Logs Ingestion API.
struct ProxyConfig {
  std::string url;                    // http://host:port; empty: no proxy
  std::vector<std::string> no_proxy;  // host names / suffixes (".corp") reached directly
  std::string username;
  Secret password;
};

// Entra ID and Graph base URLs of one cloud (shared/specs/graph-security-api.md), plus
// the Azure Monitor scope the Logs Ingestion sink asks tokens for.
struct CloudEndpoints {
  std::string login_url;          // https://login.microsoftonline.com
  std::string graph_url;          // https://graph.microsoft.com
  std::string monitor_scope;      // https://monitor.azure.com//.default
  std::string servicebus_suffix;  // servicebus.windows.net (Event Hubs namespaces)
};
// The built-in table; `clouds:` in the config overrides single entries.
CloudEndpoints default_cloud_endpoints(Cloud cloud);

// ------------------------------------------------------------------------------ tenants

enum class CredentialKind { client_secret, certificate };
enum class JwtAlgorithm { ps256, rs256 };

// Either PEM cert_file + key_file, or one pfx_file (PKCS#12).
struct CertificateCredential {
  std::string cert_file, key_file;
  Secret key_password;  // for an encrypted PEM key
  std::string pfx_file;
  Secret pfx_password;
  JwtAlgorithm algorithm = JwtAlgorithm::ps256;  // PS256 with x5t#S256; RS256 with x5t
};

struct TenantConfig {
  std::string id;    // GUID or verified domain (contoso.onmicrosoft.com)
  std::string name;  // display name carried on events; default = id
  Cloud cloud = Cloud::global;
  std::string client_id;
  CredentialKind credential = CredentialKind::client_secret;
  Secret client_secret;               // credential == client_secret
  CertificateCredential certificate;  // credential == certificate
  std::string login_url;              // default: the cloud's login URL
  std::string graph_url;              // default: the cloud's Graph URL
  std::string ca_file;                // default: tls.ca_file
};

// ------------------------------------------------------------------------------ sources

// graph_alerts (alerts_v2), graph_incidents, graph_legacy_alerts: poll a window
// [watermark - overlap, now - lag) ordered by lastUpdateDateTime.
struct GraphPollSourceConfig {
  std::vector<std::string> tenants;  // resolved ids ("all" expanded)
  Duration interval = 1min;
  Duration lag = 5min;  // alerts show up minutes late: never poll up to "now"
  Duration overlap = 1min;
  Duration initial_lookback = 24h;  // first run, no watermark yet
  int page_size = 1000;             // alerts <= 1000, incidents <= 50 (default 50)
  Duration timeout = 30s;           // per HTTP request
};

struct SecureScoreSourceConfig {
  std::vector<std::string> tenants;
  Duration interval = 1h;
  int backfill_days = 90;  // first run: the last N daily scores (1..90)
  Duration profiles_interval = 24h;
  double score_drop_threshold = 1.0;  // emit score_change when the score drops by >= this
  bool control_regression = true;     // emit score_change when a control's score drops
  Duration timeout = 30s;
};

enum class KafkaSecurityProtocol { plaintext, ssl, sasl_plaintext, sasl_ssl };
enum class SaslMechanism { none, plain, scram_sha_256, scram_sha_512, oauthbearer };

// How to reach a Kafka cluster; shared by the eventhub source and the kafka sink.
// Event Hubs connection strings and Entra OAuth are resolved into this form.
struct KafkaClientConfig {
  std::string bootstrap_servers;  // host:port[,host:port...]
  KafkaSecurityProtocol security_protocol = KafkaSecurityProtocol::plaintext;
  SaslMechanism sasl_mechanism = SaslMechanism::none;
  std::string sasl_username;
  Secret sasl_password;  // for an Event Hubs connection string: the whole string
  std::string ca_file;
  // sasl_mechanism == oauthbearer: Entra token of this tenant for this scope.
  std::string oauth_tenant;
  std::string oauth_scope;
  // librdkafka properties passed through unchanged (applied last, so they win).
  std::vector<std::pair<std::string, std::string>> properties;
};

enum class EventHubAuth { connection_string, oauth, kafka };
enum class Rebalance { cooperative, eager };
enum class StartFrom { earliest, latest };

// Defender for Cloud continuous export through the Event Hubs Kafka endpoint (or any
// Kafka cluster).
struct EventHubSourceConfig {
  EventHubAuth auth = EventHubAuth::connection_string;
  KafkaClientConfig kafka;
  std::string topic;  // the event hub; default: the connection string's EntityPath
  std::string consumer_group = "secfeed";
  Rebalance rebalance = Rebalance::cooperative;
  Duration commit_interval = 5s;
  StartFrom start_from = StartFrom::earliest;  // for a group without committed offsets
};

enum class SourceType {
  graph_alerts,
  graph_incidents,
  graph_legacy_alerts,
  secure_score,
  eventhub
};

struct SourceConfig {
  std::string name;  // unique; default = type
  std::string type;  // as written: graph_alerts, ...
  SourceType kind = SourceType::graph_alerts;
  bool enabled = true;
  std::variant<GraphPollSourceConfig, SecureScoreSourceConfig, EventHubSourceConfig> settings;
};

// -------------------------------------------------------------------------------- sinks

// An event reaches a sink when it passes every non-empty criterion.
struct FilterConfig {
  std::vector<EventKind> kinds;  // empty: all
  Severity min_severity = Severity::unknown;
  std::vector<std::string> sources;  // source names; empty: all
  std::vector<std::string> tenants;  // tenant ids; empty: all
};

struct QueueConfig {
  std::size_t max_events = 10000;  // in-memory queue in front of the sink (backpressure)
};

struct RetryConfig {
  Duration initial = 1s;  // exponential backoff with jitter, from initial up to max
  Duration max = 60s;
  std::uint32_t limit = 0;  // attempts before dead-lettering; 0 = retry forever
};

enum class BufferType { memory, disk };
enum class WhenFull { block, drop_oldest };

struct BufferConfig {
  BufferType type = BufferType::memory;
  std::uint64_t max_size = 1ull << 30;  // 1 GiB
  WhenFull when_full = WhenFull::block;
  std::string path;  // disk buffer directory; default <state_dir>/buffer/<sink name>
};

// The loader fills in per-type defaults (config_sinks.cpp: traits_of): syslog 1000 /
// 100ms, kafka 10000 / 100ms, log_analytics 10000 / 5s, file 1000 / 1s; 1 MB each.
struct BatchConfig {
  std::size_t max_events = 1000;
  std::uint64_t max_bytes = 1'000'000;
  Duration max_wait = 1s;
};

enum class SyslogTransport { udp, tcp, tls };

struct TlsClientConfig {
  std::string ca_file;              // default: tls.ca_file, then the system store
  std::string cert_file, key_file;  // client certificate (mutual TLS)
  std::string server_name;          // SNI and verified name; default: the URL's host
  bool insecure_skip_verify = false;
};

struct SyslogSinkConfig {
  std::string url;  // as written
  SyslogTransport transport = SyslogTransport::udp;
  std::string host;
  std::uint16_t port = 514;  // default 514 (udp/tcp), 6514 (tls)
  SyslogProtocol protocol = SyslogProtocol::rfc5424;
  SyslogFraming framing = SyslogFraming::none;  // tcp/tls default octet_counting
  int facility = 20;                            // local4 (CEF apart from plain syslog)
  std::string app_name = "secfeed";
  std::string hostname;                 // default: this machine's host name
  std::size_t max_message_size = 1472;  // udp 1472, tcp/tls 65536
  TlsClientConfig tls;
};

enum class KafkaKey { id, tenant, none };
enum class KafkaCompression { none, gzip, snappy, lz4, zstd };

struct KafkaSinkConfig {
  KafkaClientConfig kafka;
  std::string topic;  // template: {kind} {tenant} {source} are replaced per event
  KafkaKey key = KafkaKey::id;
  KafkaCompression compression = KafkaCompression::none;
  bool headers = true;  // kind, tenant, source as message headers
  // acks is always "all" with idempotence: anything less can lose acked events.
};

struct LogAnalyticsSinkConfig {
  std::string endpoint;  // https://<dce>.<region>-1.ingest.monitor.azure.com
  std::string dcr_immutable_id;
  std::string stream_alerts;                  // Custom-...: alert, incident
  std::string stream_posture;                 // Custom-...: every other kind
  std::string tenant;                         // its credentials get the token
  std::string scope;                          // default: the tenant cloud's monitor scope
  std::uint64_t max_batch_bytes = 1'000'000;  // <= 1 MB, the API's request limit
  bool gzip = true;
  Duration timeout = 30s;
};

struct FileRotateConfig {
  std::uint64_t max_size = 0;  // 0: never rotate (no rotate: section); with one: 100 MiB
  int max_files = 5;
};

struct FileSinkConfig {
  std::string path;  // "-" for stdout
  FileRotateConfig rotate;
  Duration fsync_interval = 1s;
};

enum class SinkType { syslog, kafka, log_analytics, file };

struct SinkConfig {
  std::string name;  // unique; default = type
  std::string type;
  SinkType kind = SinkType::file;
  bool enabled = true;
  OutputFormat format = OutputFormat::json;
  FilterConfig filter;
  QueueConfig queue;
  RetryConfig retry;
  BufferConfig buffer;
  BatchConfig batch;
  std::variant<SyslogSinkConfig, KafkaSinkConfig, LogAnalyticsSinkConfig, FileSinkConfig> settings;
};

// --------------------------------------------------------------------------------- root

struct Config {
  std::string path;
  std::string state_dir = "/var/lib/secfeed";
  LogConfig log;
  MetricsConfig metrics;
  DeadLetterConfig dead_letter;
  TlsDefaultsConfig tls;
  ProxyConfig proxy;
  HttpConfig http;
  std::vector<std::pair<Cloud, CloudEndpoints>> clouds;  // effective table, every cloud
  std::vector<TenantConfig> tenants;
  std::vector<SourceConfig> sources;
  std::vector<SinkConfig> sinks;
  // Problems that do not stop the daemon (e.g. a literal secret in a world-readable
  // file). The caller logs them.
  std::vector<std::string> warnings;

  const TenantConfig* find_tenant(std::string_view id) const;
  const CloudEndpoints& endpoints(Cloud cloud) const;
};

struct ConfigLoadOptions {
  EnvLookup env = process_env();
  // Overrides the file-mode check (tests, and load_config_string which has no file).
  std::optional<bool> world_readable;
  // If set, receives every key path the loader knows about for the sections it walked,
  // e.g. "sinks[syslog].tls.ca_file" (used to keep schemas/config.schema.json in sync).
  std::set<std::string>* key_catalog = nullptr;
};

// Loads, interpolates and validates a YAML config; throws ConfigError.
Config load_config_file(const std::string& path, const ConfigLoadOptions& options = {});
// Same from text; `name` stands for the file name in errors.
Config load_config_string(std::string_view yaml, const std::string& name,
                          const ConfigLoadOptions& options = {});

}  // namespace secfeed
