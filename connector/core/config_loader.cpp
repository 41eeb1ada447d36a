// The root of the config file: reads the YAML, walks the top-level sections and checks
// the references between them.
#include <sys/stat.h>

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "connector/core/config_loader_internal.hpp"

namespace secfeed {
namespace {

using namespace config_detail;

// YAML::Load reads the first document and ignores the rest, so a config split by "---"
// would lose its second half silently. YAML::LoadAll cannot be used instead: yaml-cpp 0.7
// loops forever on some malformed input there. This walks at most two documents.
std::optional<YAML::Mark> second_document_mark(const std::string& text) {
  class DocumentCounter : public YAML::EventHandler {
   public:
    std::optional<YAML::Mark> second;
    void OnDocumentStart(const YAML::Mark& mark) override {
      if (++documents_ == 2) second = mark;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

   private:
    int documents_ = 0;
  };
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
  }
  return counter.second;
}

void read_top_level(MapReader& root, Config& config) {
  config.state_dir = root.string_or("state_dir", config.state_dir);
  if (config.state_dir.empty()) root.fail("state_dir", "must not be empty");
  while (config.state_dir.size() > 1 && config.state_dir.back() == '/') config.state_dir.pop_back();

  if (auto log = root.map("log")) {
    config.log.level = log->choice_or<LogLevel>("level", kLogLevelNames, config.log.level);
    config.log.format = log->choice_or<LogFormat>("format", kLogFormatNames, config.log.format);
    log->finish();
  }
  if (auto metrics = root.map("metrics")) {
    config.metrics.enabled = metrics->boolean_or("enabled", config.metrics.enabled);
    config.metrics.listen = metrics->string_or("listen", config.metrics.listen);
    // Port 0 asks for any free port (tests, several instances); the daemon logs the
    // bound one ("metrics: listening on http://...").
    const std::string& listen = config.metrics.listen;
    const bool any_port =
        listen.ends_with(":0") && is_host_port(listen.substr(0, listen.size() - 2) + ":1");
    if (!any_port && !is_host_port(listen)) {
      metrics->fail("listen", "expected host:port, got " + quote_value(config.metrics.listen));
    }
    metrics->finish();
  }
  if (auto tls = root.map("tls")) {
    config.tls.ca_file = tls->string_or("ca_file", "");
    tls->finish();
  }
  if (auto http = root.map("http")) {
    HttpConfig& limits = config.http;
    limits.max_connections_per_host =
        static_cast<std::size_t>(http->integer("max_connections_per_host", 1, 1024)
                                     .value_or(std::int64_t(limits.max_connections_per_host)));
    limits.max_connections_total =
        static_cast<std::size_t>(http->integer("max_connections_total", 1, 4096)
                                     .value_or(std::int64_t(limits.max_connections_total)));
    if (limits.max_connections_per_host > limits.max_connections_total) {
      http->fail("max_connections_per_host", "is larger than max_connections_total (" +
                                                 std::to_string(limits.max_connections_total) +
                                                 ")");
    }
    http->finish();
  }
  if (auto proxy = root.map("proxy")) {
    config.proxy.url = proxy->required_string("url");
    const auto url = parse_url(config.proxy.url);
    if (!url || (url->scheme != "http" && url->scheme != "https") || url->host.empty()) {
      proxy->fail("url", "expected http://host:port, got " + quote_url(config.proxy.url));
    }
    config.proxy.no_proxy = proxy->string_list("no_proxy").value_or(std::vector<std::string>{});
    config.proxy.username = proxy->string_or("username", "");
    if (auto password = proxy->secret("password")) {
      if (config.proxy.username.empty()) proxy->fail("password", "needs username");
      config.proxy.password = std::move(*password);
    }
    proxy->finish();
  }
}

void read_dead_letter(MapReader& root, Config& config) {
  config.dead_letter.path = config.state_dir + "/dead-letter.jsonl";
  auto dead_letter = root.map("dead_letter");
  if (!dead_letter) return;
  const auto path = dead_letter->string("path");
  const auto sink = dead_letter->string("sink");
  if (path && sink) dead_letter->fail("sink", "give either path or sink, not both");
  if (path) config.dead_letter.path = *path;
  if (sink) {
    bool known = false;
    for (const SinkConfig& candidate : config.sinks) known |= candidate.name == *sink;
    if (!known) dead_letter->fail("sink", "unknown sink " + quote_value(*sink));
    config.dead_letter.path.clear();
    config.dead_letter.sink = *sink;
  }
  dead_letter->finish();
}

Config load_document(const std::string& text, const std::string& name,
                     const ConfigLoadOptions& options, bool world_readable) {
  Config config;
  config.path = name;
  // The default metrics address can come from the environment (several instances on one
  // host, the test suite): an explicit `metrics.listen` in the file still wins.
  if (auto listen = options.env("SECFEED_METRICS_LISTEN"); listen && !listen->empty()) {
    config.metrics.listen = *listen;
  }
  ConfigDocument doc{name, &options, world_readable, &config.warnings};
  YAML::Node root_node;
  try {
    root_node = YAML::Load(text);
    if (const auto second = second_document_mark(text)) {
      doc.fail(*second, "", "expected one YAML document, found a second one here");
    }
  } catch (const YAML::Exception& e) {
    doc.fail(e.mark, "", "invalid YAML: " + e.msg);
  }
  if (!root_node.IsMap()) {
    doc.fail(root_node.Mark(), "",
             root_node.IsNull() ? "the file is empty; expected a mapping with tenants, sources "
                                  "and sinks"
                                : "expected a mapping with tenants, sources and sinks");
  }
  MapReader root(doc, root_node, "", "", root_node.Mark());
  // Order matters: later sections refer to earlier ones (sources -> tenants, sink
  // filters -> sources, dead_letter -> sinks), wherever they appear in the file.
  read_top_level(root, config);
  read_tenants(root, config);
  read_sources(root, config);
  read_sinks(root, config);
  read_dead_letter(root, config);
  root.finish();
  if (config.sources.empty()) root.fail("sources", "required key is missing (nothing to read)");
  if (config.sinks.empty()) root.fail("sinks", "required key is missing (nowhere to send)");
  return config;
}

}  // namespace

Config load_config_string(std::string_view yaml, const std::string& name,
                          const ConfigLoadOptions& options) {
  return load_document(std::string(yaml), name, options, options.world_readable.value_or(false));
}

Config load_config_file(const std::string& path, const ConfigLoadOptions& options) {
  constexpr std::size_t kMaxConfigFile = 16 << 20;
  std::string text, error;
  if (!read_small_file(path, kMaxConfigFile, text, error)) {
    throw ConfigError(path + ": cannot read: " + error);
  }
  bool world_readable = false;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) world_readable = (info.st_mode & S_IROTH) != 0;
  return load_document(text, path, options, options.world_readable.value_or(world_readable));
}

}  // namespace secfeed
