#include "connector/app/commands/commands.hpp"
#include "connector/core/config.hpp"

namespace secfeed {

int run_validate(const std::string& config_path, std::FILE* out, std::FILE* err) {
  try {
    const Config config = load_config_file(config_path);
    for (const std::string& warning : config.warnings) {
      std::fprintf(err, "secfeed: warning: %s\n", warning.c_str());
    }
    std::fprintf(out, "%s: OK (%zu tenants, %zu sources, %zu sinks)\n", config_path.c_str(),
                 config.tenants.size(), config.sources.size(), config.sinks.size());
    return 0;
  } catch (const ConfigError& e) {
    std::fprintf(err, "secfeed: %s\n", e.what());
    return 1;
  }
}

int run_version(std::FILE* out) {
  std::fprintf(out, "secfeed %s\n", SECFEED_VERSION);
  return 0;
}

}  // namespace secfeed
