// secfeed-emulator: Entra ID token endpoint + Graph security API + Logs Ingestion API on
// one HTTPS port, for integration tests and the demo. See README.md.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "config.hpp"
#include "emulator_app.hpp"
#include "server.hpp"

namespace {

using namespace secfeed::emulator;

bool split_listen(const std::string& listen, ServerSettings& settings) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  settings.host = listen.substr(0, colon);
  if (settings.host.size() >= 2 && settings.host.front() == '[') {
    settings.host = settings.host.substr(1, settings.host.size() - 2);
  }
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) return false;
    settings.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "secfeed-emulator: Microsoft Entra token endpoint, Graph security API and "
      "Azure Monitor Logs Ingestion API emulator (HTTPS)"};
  std::string listen = "127.0.0.1:0";
  ServerSettings settings;
  EmulatorConfig config;
  std::string scenario;
  int tenant_count = 0;
  std::string client_id = "5ec0feed-0000-4000-8000-00000000c11e";
  std::string client_secret = "secfeed-test-secret";
  std::string client_cert;
  std::string clock_start;
  cli.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
  cli.add_option("--cert", settings.cert_path, "server certificate chain (PEM)")->required();
  cli.add_option("--key", settings.key_path, "server private key (PEM)")->required();
  auto* scenario_option = cli.add_option("--scenario", scenario, "scenario JSON file (README.md)");
  cli.add_option("--tenants", tenant_count, "generate N tenants sharing one app registration")
      ->excludes(scenario_option);
  cli.add_option("--alerts-per-tenant", config.alerts_per_tenant,
                 "alerts in each tenant's history");
  cli.add_option("--client-id", client_id, "app (client) id for --tenants");
  cli.add_option("--client-secret", client_secret, "client secret for --tenants");
  cli.add_option("--client-cert", client_cert, "app certificate (PEM) for JWT assertions");
  cli.add_option("--token-lifetime", config.token_lifetime_seconds,
                 "expires_in of issued tokens (s)");
  cli.add_option("--seed", config.seed, "seed for all generated data");
  cli.add_option("--history-hours", config.history_hours, "span of the generated alert history");
  cli.add_option("--live-interval-ms", config.live_interval_ms,
                 "create an alert and an update per tenant every MS (0: never)");
  cli.add_option("--streams", config.streams_path, "DCR stream declarations (JSON file or folder)");
  cli.add_option("--ingested", config.ingested_path, "append accepted rows here (NDJSON)");
  cli.add_option("--clock-start", clock_start, "emulated time at startup (ISO 8601)");
  CLI11_PARSE(cli, argc, argv);

  if (!split_listen(listen, settings)) {
    std::cerr << "secfeed-emulator: --listen must be HOST:PORT\n";
    return 2;
  }
  if (!scenario.empty()) {
    if (auto error = load_scenario(scenario, config)) {
      std::cerr << "secfeed-emulator: " << *error << "\n";
      return 2;
    }
  } else {
    add_generated_tenants(config, tenant_count > 0 ? tenant_count : 1, client_id, client_secret,
                          client_cert);
  }
  if (!clock_start.empty()) {
    config.clock_start = parse_datetime(clock_start);
    if (!config.clock_start) {
      std::cerr << "secfeed-emulator: --clock-start is not an ISO 8601 timestamp\n";
      return 2;
    }
  }
  if (config.token_lifetime_seconds < 1 || config.alerts_per_tenant < 0 ||
      config.history_hours < 1 || config.live_interval_ms < 0) {
    std::cerr << "secfeed-emulator: numeric options out of range\n";
    return 2;
  }
  if (auto error = load_certificates(config)) {
    std::cerr << "secfeed-emulator: " << *error << "\n";
    return 2;
  }

  EmulatorApp app(std::move(config));
  if (auto error = app.start()) {
    std::cerr << "secfeed-emulator: " << *error << "\n";
    return 2;
  }
  std::string error;
  const int code = run_server(
      settings, app,
      [](const std::string& url) {
        std::printf("listening=%s\n", url.c_str());
        std::fflush(stdout);
      },
      error);
  if (code != 0) std::cerr << "secfeed-emulator: " << error << "\n";
  return code;
}
