#include "connector/core/config.hpp"

namespace secfeed {
Config load_config_file(const std::string& path) {
  throw ConfigError(path + ": config loading is not implemented yet");
}
}  // namespace secfeed
