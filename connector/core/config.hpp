// TEMPORARY: the configuration model and loader (filled in by the config work).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace secfeed {

// A configuration error: what() reads "FILE:LINE:COLUMN: KEY: reason".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TenantConfig {
  std::string id, name;
};
struct SourceConfig {
  std::string name, type;
};
struct SinkConfig {
  std::string name, type;
};
struct Config {
  std::string path;
  std::vector<TenantConfig> tenants;
  std::vector<SourceConfig> sources;
  std::vector<SinkConfig> sinks;
};

// Loads, interpolates and validates a YAML config; throws ConfigError.
Config load_config_file(const std::string& path);

}  // namespace secfeed
