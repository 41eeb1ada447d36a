// secfeed: SIEM connector and log forwarder for Microsoft security data.
#include <CLI/CLI.hpp>

#include "connector/app/commands/commands.hpp"
#include "connector/app/daemon.hpp"
#include "connector/app/daemon_reload.hpp"
#include "connector/core/config.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "secfeed: forwards Microsoft Graph security and Defender for Cloud data to "
      "syslog/CEF, Kafka and Microsoft Sentinel"};
  app.require_subcommand(1);

  std::string config_path;
  CLI::App* run = app.add_subcommand("run", "Run the connector daemon");
  run->add_option("-c,--config", config_path, "Configuration file (YAML)")->required();
  int status_seconds = 60;
  run->add_option("--status-interval", status_seconds,
                  "Seconds between status lines (counts per source and sink); 0 = off")
      ->capture_default_str();
  int shutdown_seconds = 30;
  run->add_option("--shutdown-timeout", shutdown_seconds,
                  "Seconds to drain in-flight events on SIGINT/SIGTERM (and SIGHUP reloads)")
      ->capture_default_str();

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Parse and check a configuration file");
  validate->add_option("-c,--config", validate_path, "Configuration file (YAML)")->required();

  secfeed::ConvertOptions convert_options;
  CLI::App* convert =
      app.add_subcommand("convert",
                         "Normalize saved payloads (Graph responses, Event Hub bodies, NDJSON) and "
                         "print one encoded event per line");
  convert
      ->add_option("--kind", convert_options.kind,
                   "auto|graph-alert|graph-legacy-alert|graph-incident|secure-score|"
                   "control-profile|mdc")
      ->capture_default_str();
  convert->add_option("--format", convert_options.format, "cef|json|raw|ocsf|sentinel")
      ->capture_default_str();
  convert->add_option("--tenant-id", convert_options.tenant_id,
                      "Tenant id for payloads that carry none");
  convert->add_option("--tenant-name", convert_options.tenant_name, "Tenant display name");
  convert->add_option("input", convert_options.input, "Input file, or - for stdin")
      ->capture_default_str();

  secfeed::CheckOptions check_options;
  std::string check_timeout = "10s";
  CLI::App* check = app.add_subcommand(
      "check", "Try every configured tenant, source and sink once and print what failed and why");
  check->add_option("-c,--config", check_options.config_path, "Configuration file (YAML)")
      ->required();
  check->add_option("--timeout", check_timeout, "Time limit of each single check (e.g. 5s, 500ms)")
      ->capture_default_str()
      ->check([](const std::string& text) {
        return secfeed::parse_duration(text) ? std::string()
                                             : "expected a duration such as 10s or 500ms";
      });
  check->add_option("--format", check_options.format, "text|json")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));

  CLI::App* version = app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    // CLI11 returns 0 for --help; every real usage error is status 1 for us.
    return status == 0 ? 0 : 1;
  }

  if (run->parsed()) {
    secfeed::Config config;
    try {
      config = secfeed::load_config_file(config_path);
    } catch (const secfeed::ConfigError& e) {
      std::fprintf(stderr, "secfeed: %s\n", e.what());
      return 1;
    }
    secfeed::DaemonOptions options;
    options.status_interval = std::chrono::seconds(status_seconds);
    options.shutdown_timeout = std::chrono::seconds(shutdown_seconds);
    options.argv = argv;
    bool reload = false;
    const int status = secfeed::run_daemon(config, options, &reload);
    // SIGHUP with a valid config: everything run_daemon built is gone; start afresh.
    if (reload) return secfeed::reexec_self(argv);
    return status;
  }
  if (validate->parsed()) return secfeed::run_validate(validate_path, stdout, stderr);
  if (convert->parsed()) return secfeed::run_convert(convert_options, stdout, stderr);
  if (check->parsed()) {
    check_options.timeout = *secfeed::parse_duration(check_timeout);
    return secfeed::run_check(check_options, stdout, stderr);
  }
  if (version->parsed()) return secfeed::run_version(stdout);
  return 1;
}
