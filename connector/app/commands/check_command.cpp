// `secfeed check -c FILE`: one try of every tenant, source and sink, as a table.
#include "connector/app/check/run_checks.hpp"
#include "connector/app/commands/commands.hpp"
#include "connector/core/config.hpp"

namespace secfeed {

int run_check(const CheckOptions& options, std::FILE* out, std::FILE* err) {
  Config config;
  try {
    config = load_config_file(options.config_path);
  } catch (const ConfigError& e) {
    std::fprintf(err, "secfeed: %s\n", e.what());
    return 2;
  }
  for (const std::string& warning : config.warnings) {
    std::fprintf(err, "secfeed: warning: %s\n", warning.c_str());
  }
  const check::CheckReport report = check::run_checks(config, options.timeout);
  if (options.format == "json") {
    report.print_json(out);
  } else {
    report.print_text(out);
  }
  return report.all_ok() ? 0 : 1;
}

}  // namespace secfeed
