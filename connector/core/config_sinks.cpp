// sinks[]: the settings every sink shares (format, filter, queue, retry, buffer, batch)
// and the per-type sections.
#include <unistd.h>

#include <algorithm>
#include <array>

#include "connector/core/config_loader_internal.hpp"

namespace secfeed::config_detail {
namespace {

struct SinkTypeTraits {
  std::vector<OutputFormat> formats;  // the first is the default
  BatchConfig batch;
};

SinkTypeTraits traits_of(SinkType type) {
  switch (type) {
    case SinkType::syslog:
      return {{OutputFormat::cef, OutputFormat::json, OutputFormat::raw}, {1000, 1'000'000, 100ms}};
    case SinkType::kafka:
      return {{OutputFormat::json, OutputFormat::raw, OutputFormat::cef, OutputFormat::ocsf},
              {10000, 1'000'000, 100ms}};
    case SinkType::log_analytics:
      return {{OutputFormat::sentinel}, {10000, 1'000'000, 5s}};
    case SinkType::file:
      break;
  }
  return {{OutputFormat::json, OutputFormat::raw, OutputFormat::cef, OutputFormat::ocsf},
          {1000, 1'000'000, 1s}};
}

std::string format_choices(const std::vector<OutputFormat>& formats) {
  std::vector<EnumName<OutputFormat>> table;
  for (OutputFormat format : formats) {
    table.push_back({enum_name<OutputFormat>(kOutputFormatNames, format), format});
  }
  return enum_choices<OutputFormat>(table);
}

FilterConfig read_filter(MapReader& reader, const Config& config) {
  FilterConfig filter;
  if (const auto kinds = reader.string_list("kinds")) {
    for (const std::string& text : *kinds) {
      const auto* match = std::find_if(std::begin(kEventKindNames), std::end(kEventKindNames),
                                       [&](const auto& entry) { return entry.name == text; });
      if (match == std::end(kEventKindNames)) {
        reader.fail("kinds", "expected event kinds among " +
                                 enum_choices<EventKind>(kEventKindNames) + ", got " +
                                 quote_value(text));
      }
      filter.kinds.push_back(match->value);
    }
  }
  filter.min_severity =
      reader.choice_or<Severity>("min_severity", kSeverityNames, filter.min_severity);
  if (const auto sources = reader.string_list("sources")) {
    for (const std::string& name : *sources) {
      const bool known = std::any_of(config.sources.begin(), config.sources.end(),
                                     [&](const SourceConfig& s) { return s.name == name; });
      if (!known) reader.fail("sources", "unknown source " + quote_value(name));
      filter.sources.push_back(name);
    }
  }
  if (const auto tenants = reader.string_list("tenants")) {
    for (const std::string& id : *tenants) {
      check_tenant_ref(reader, "tenants", id, config);
      filter.tenants.push_back(config.find_tenant(id)->id);
    }
  }
  return filter;
}

bool filter_allows_any(const FilterConfig& filter, bool alerts) {
  if (filter.kinds.empty()) return true;
  return std::any_of(filter.kinds.begin(), filter.kinds.end(), [&](EventKind kind) {
    const bool is_alert = kind == EventKind::alert || kind == EventKind::incident;
    return is_alert == alerts;
  });
}

void read_tls_client(MapReader& reader, TlsClientConfig& tls) {
  tls.ca_file = reader.string_or("ca_file", tls.ca_file);
  tls.cert_file = reader.string_or("cert_file", "");
  tls.key_file = reader.string_or("key_file", "");
  tls.server_name = reader.string_or("server_name", "");
  tls.insecure_skip_verify = reader.boolean_or("insecure_skip_verify", false);
  if (tls.insecure_skip_verify) {
    reader.warn("insecure_skip_verify", "the receiver's certificate is not verified");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    reader.fail(tls.cert_file.empty() ? "cert_file" : "key_file",
                "cert_file and key_file go together (client certificate)");
  }
}

std::string machine_hostname() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "-";
  return std::string(buffer.data());
}

SyslogSinkConfig read_syslog(MapReader& reader, const Config& config) {
  SyslogSinkConfig sink;
  sink.url = reader.required_string("url");
  const auto url = parse_url(sink.url);
  const bool scheme_ok =
      url && (url->scheme == "udp" || url->scheme == "tcp" || url->scheme == "tls");
  if (!scheme_ok || url->host.empty() || !(url->path.empty() || url->path == "/")) {
    reader.fail("url", "expected udp://, tcp:// or tls://host:port, got " + quote_url(sink.url));
  }
  sink.transport = url->scheme == "udp"   ? SyslogTransport::udp
                   : url->scheme == "tcp" ? SyslogTransport::tcp
                                          : SyslogTransport::tls;
  sink.host = url->host;
  sink.port = std::uint16_t(url->port != 0 ? url->port
                                           : (sink.transport == SyslogTransport::tls ? 6514 : 514));
  const bool udp = sink.transport == SyslogTransport::udp;
  sink.protocol = reader.choice_or<SyslogProtocol>("protocol", kSyslogProtocolNames, sink.protocol);
  const auto framing = reader.choice<SyslogFraming>("framing", kSyslogFramingNames);
  if (framing && udp) reader.fail("framing", "applies to tcp:// and tls:// only");
  sink.framing = udp ? SyslogFraming::none : framing.value_or(SyslogFraming::octet_counting);

  if (const auto facility = reader.string("facility")) {
    int number = -1;
    if (!facility->empty() && facility->size() <= 2 &&
        std::all_of(facility->begin(), facility->end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      number = std::stoi(*facility);
    } else {
      for (const auto& entry : kSyslogFacilityNames) {
        if (iequals(entry.name, *facility)) number = entry.value;
      }
    }
    if (number < 0 || number > 23) {
      reader.fail("facility", "expected a facility 0..23 or a name such as local4, got " +
                                  quote_value(*facility));
    }
    sink.facility = number;
  }
  sink.app_name = reader.string_or("app_name", sink.app_name);
  if (sink.app_name.empty() || sink.app_name.size() > 48) {
    reader.fail("app_name", "expected 1 to 48 characters (RFC 5424 APP-NAME)");
  }
  if (auto hostname = reader.string("hostname")) {
    if (hostname->empty() || hostname->size() > 255) {
      reader.fail("hostname", "expected 1 to 255 characters (RFC 5424 HOSTNAME)");
    }
    sink.hostname = std::move(*hostname);
  } else {
    sink.hostname = machine_hostname();
  }
  // A UDP datagram above the path MTU fragments (and is often dropped); 65507 is the
  // protocol's hard limit.
  sink.max_message_size = udp ? 1472 : 65536;
  sink.max_message_size = reader.size("max_message_size", 480, udp ? 65507 : 16ull << 20)
                              .value_or(sink.max_message_size);
  sink.tls.ca_file = config.tls.ca_file;
  if (auto tls = reader.map("tls")) {
    if (sink.transport != SyslogTransport::tls) reader.fail("tls", "applies to tls:// URLs only");
    read_tls_client(*tls, sink.tls);
    tls->finish();
  }
  return sink;
}

void check_topic_template(MapReader& reader, const std::string& topic) {
  static constexpr std::string_view kPlaceholders[] = {"{kind}", "{tenant}", "{source}"};
  for (std::size_t open = topic.find('{'); open != std::string::npos;
       open = topic.find('{', open + 1)) {
    const std::size_t close = topic.find('}', open);
    const std::string_view placeholder =
        close == std::string::npos ? std::string_view(topic).substr(open)
                                   : std::string_view(topic).substr(open, close - open + 1);
    if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), placeholder) ==
        std::end(kPlaceholders)) {
      reader.fail("topic", "unknown placeholder " + quote_value(placeholder) +
                               "; expected {kind}, {tenant} or {source}");
    }
  }
}

KafkaSinkConfig read_kafka(MapReader& reader, const Config& config) {
  KafkaSinkConfig sink;
  if (reader.has("acks")) {
    reader.fail("acks", "is always \"all\" (anything less can lose delivered events)");
  }
  // Three ways to reach the broker: an Event Hubs connection string (SASL PLAIN), an
  // Event Hubs namespace with Entra ID tokens (oauth), or plain Kafka client settings.
  auto connection_string = reader.secret("connection_string");
  auto oauth = reader.map("oauth");
  if (connection_string && oauth) reader.fail("oauth", "give either connection_string or oauth");
  const char* implied_by = connection_string ? "connection_string" : oauth ? "oauth" : nullptr;
  if (implied_by != nullptr && reader.has("bootstrap_servers")) {
    reader.fail("bootstrap_servers",
                std::string("give either ") + implied_by + " or bootstrap_servers");
  }
  if (connection_string) {
    const std::string entity_path = apply_connection_string(
        reader, reader.has("connection_string") ? "connection_string" : "connection_string_file",
        *connection_string, sink.kafka);
    sink.topic = entity_path;
  }
  if (oauth) read_eventhub_oauth(*oauth, config, sink.kafka);
  // Looked up in every case so they are known keys (and rejected with a clear message).
  for (std::string_view key : {"security_protocol", "sasl_mechanism", "sasl_username",
                               "sasl_password", "sasl_password_file", "ca_file"}) {
    if (implied_by != nullptr && reader.has(key)) {
      reader.fail(key, std::string("is implied by ") + implied_by);
    }
  }
  if (implied_by == nullptr) read_kafka_client(reader, sink.kafka);
  sink.topic = reader.string_or("topic", sink.topic);
  if (sink.topic.empty()) reader.fail("topic", "required key is missing");
  check_topic_template(reader, sink.topic);
  sink.key = reader.choice_or<KafkaKey>("key", kKafkaKeyNames, sink.key);
  sink.compression =
      reader.choice_or<KafkaCompression>("compression", kKafkaCompressionNames, sink.compression);
  sink.headers = reader.boolean_or("headers", sink.headers);
  sink.kafka.properties = reader.string_map("properties");
  return sink;
}

bool is_dcr_id(std::string_view id) {
  if (!id.starts_with("dcr-") || id.size() == 4) return false;
  return std::all_of(id.begin() + 4, id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

LogAnalyticsSinkConfig read_log_analytics(MapReader& reader, const FilterConfig& filter,
                                          BatchConfig& batch, bool batch_bytes_given,
                                          const Config& config) {
  LogAnalyticsSinkConfig sink;
  sink.endpoint = read_https_url(reader, "endpoint").value_or("");
  if (sink.endpoint.empty()) reader.fail("endpoint", "required key is missing");
  sink.dcr_immutable_id = reader.required_string("dcr_immutable_id");
  if (!is_dcr_id(sink.dcr_immutable_id)) {
    reader.fail("dcr_immutable_id", "expected the DCR's immutableId (dcr-<hex>), got " +
                                        quote_value(sink.dcr_immutable_id));
  }
  const auto stream = reader.string("stream");
  auto stream_alerts = reader.string("stream_alerts");
  auto stream_posture = reader.string("stream_posture");
  if (stream && (stream_alerts || stream_posture)) {
    reader.fail(stream_alerts ? "stream_alerts" : "stream_posture",
                "give either stream or stream_alerts/stream_posture");
  }
  if (stream) stream_alerts = stream_posture = stream;
  for (const auto& [key, value] :
       {std::pair{"stream_alerts", &stream_alerts}, std::pair{"stream_posture", &stream_posture}}) {
    if (*value && !value->value().starts_with("Custom-")) {
      reader.fail(stream ? "stream" : key,
                  "expected a DCR stream name starting with Custom-, got " + quote_value(**value));
    }
  }
  // Every event the filter lets through needs a stream: never drop silently.
  if (!stream_alerts && filter_allows_any(filter, true)) {
    reader.fail(stream_posture ? "stream_alerts" : "stream",
                "required key is missing (alerts and incidents pass this sink's filter)");
  }
  if (!stream_posture && filter_allows_any(filter, false)) {
    reader.fail("stream_posture",
                "required key is missing (posture events pass this sink's filter; restrict "
                "filter.kinds to alert, incident to leave it out)");
  }
  sink.stream_alerts = stream_alerts.value_or("");
  sink.stream_posture = stream_posture.value_or("");

  if (auto tenant = reader.string("tenant")) {
    check_tenant_ref(reader, "tenant", *tenant, config);
    sink.tenant = config.find_tenant(*tenant)->id;
  } else if (config.tenants.size() == 1) {
    sink.tenant = config.tenants.front().id;
  } else {
    reader.fail("tenant",
                "required key is missing (the tenant whose app registration may write "
                "to the DCR)");
  }
  sink.scope = reader.string_or(
      "scope", config.endpoints(config.find_tenant(sink.tenant)->cloud).monitor_scope);
  sink.max_batch_bytes =
      reader.size("max_batch_bytes", 1024, 1ull << 20).value_or(sink.max_batch_bytes);
  if (batch_bytes_given && batch.max_bytes > sink.max_batch_bytes) {
    reader.fail("batch", "batch.max_bytes is above max_batch_bytes (" +
                             std::to_string(sink.max_batch_bytes) + ")");
  }
  batch.max_bytes = std::min(batch.max_bytes, sink.max_batch_bytes);
  sink.gzip = reader.boolean_or("gzip", sink.gzip);
  sink.timeout = reader.duration_or("timeout", sink.timeout, 1s);
  return sink;
}

FileSinkConfig read_file(MapReader& reader) {
  FileSinkConfig sink;
  sink.path = reader.required_string("path");
  if (auto rotate = reader.map("rotate")) {
    if (sink.path == "-") reader.fail("rotate", "does not apply to stdout (path \"-\")");
    sink.rotate.max_size = rotate->size("max_size", 4096, UINT64_MAX).value_or(100ull << 20);
    sink.rotate.max_files =
        int(rotate->integer("max_files", 1, 1000).value_or(sink.rotate.max_files));
    rotate->finish();
  }
  sink.fsync_interval = reader.duration_or("fsync_interval", sink.fsync_interval, Duration(0));
  return sink;
}

void read_common(MapReader& reader, SinkConfig& sink, bool& batch_bytes_given,
                 const Config& config) {
  const SinkTypeTraits traits = traits_of(sink.kind);
  sink.format = traits.formats.front();
  if (const auto format = reader.choice<OutputFormat>("format", kOutputFormatNames)) {
    if (std::find(traits.formats.begin(), traits.formats.end(), *format) == traits.formats.end()) {
      reader.fail("format", "expected " + format_choices(traits.formats) + " for a " + sink.type +
                                " sink, got \"" +
                                std::string(enum_name<OutputFormat>(kOutputFormatNames, *format)) +
                                "\"");
    }
    sink.format = *format;
  }
  if (auto filter = reader.map("filter")) {
    sink.filter = read_filter(*filter, config);
    filter->finish();
  }
  if (auto queue = reader.map("queue")) {
    sink.queue.max_events =
        std::size_t(queue->integer("max_events", 1, 10'000'000).value_or(sink.queue.max_events));
    queue->finish();
  }
  if (auto retry = reader.map("retry")) {
    sink.retry.initial = retry->duration_or("initial", sink.retry.initial);
    sink.retry.max = retry->duration_or("max", sink.retry.max);
    sink.retry.limit = std::uint32_t(retry->integer("limit", 0, 1'000'000).value_or(0));
    if (sink.retry.max < sink.retry.initial) retry->fail("max", "must not be below initial");
    retry->finish();
  }
  sink.buffer.path = config.state_dir + "/buffer/" + sink.name;
  if (auto buffer = reader.map("buffer")) {
    sink.buffer.type = buffer->choice_or<BufferType>("type", kBufferTypeNames, sink.buffer.type);
    sink.buffer.max_size =
        buffer->size("max_size", 1ull << 20, UINT64_MAX).value_or(sink.buffer.max_size);
    sink.buffer.when_full =
        buffer->choice_or<WhenFull>("when_full", kWhenFullNames, sink.buffer.when_full);
    if (auto path = buffer->string("path")) {
      if (sink.buffer.type != BufferType::disk) buffer->fail("path", "applies to type disk only");
      sink.buffer.path = std::move(*path);
    }
    buffer->finish();
  }
  sink.batch = traits.batch;
  if (auto batch = reader.map("batch")) {
    sink.batch.max_events =
        std::size_t(batch->integer("max_events", 1, 1'000'000).value_or(sink.batch.max_events));
    const auto max_bytes = batch->size("max_bytes", 1024, 1ull << 30);
    batch_bytes_given = max_bytes.has_value();
    sink.batch.max_bytes = max_bytes.value_or(sink.batch.max_bytes);
    sink.batch.max_wait = batch->duration_or("max_wait", sink.batch.max_wait, Duration(0));
    batch->finish();
  }
}

}  // namespace

void read_sinks(MapReader& root, Config& config) {
  root.for_each_map("sinks", [&](MapReader& reader) {
    SinkConfig sink;
    sink.type = reader.required_string("type");
    sink.kind = *reader.choice<SinkType>("type", kSinkTypeNames);
    reader.set_pattern("sinks[" + sink.type + "]");
    sink.name = reader.string_or("name", sink.type);
    if (!is_valid_component_name(sink.name)) {
      reader.fail("name",
                  "expected letters, digits, '_', '-' or '.', got " + quote_value(sink.name));
    }
    for (const SinkConfig& other : config.sinks) {
      if (other.name == sink.name) {
        reader.fail("name", "duplicate sink name " + quote_value(sink.name) +
                                (reader.has("name") ? "" : " (set a distinct name:)"));
      }
    }
    sink.enabled = reader.boolean_or("enabled", true);
    bool batch_bytes_given = false;
    read_common(reader, sink, batch_bytes_given, config);
    switch (sink.kind) {
      case SinkType::syslog:
        sink.settings = read_syslog(reader, config);
        break;
      case SinkType::kafka:
        sink.settings = read_kafka(reader, config);
        break;
      case SinkType::log_analytics:
        sink.settings =
            read_log_analytics(reader, sink.filter, sink.batch, batch_bytes_given, config);
        break;
      case SinkType::file:
        sink.settings = read_file(reader);
        break;
    }
    config.sinks.push_back(std::move(sink));
  });
}

}  // namespace secfeed::config_detail
