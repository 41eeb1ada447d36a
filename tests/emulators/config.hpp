// What the emulator serves: tenants and their app credentials, data volume, timing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "jwt_verify.hpp"

namespace secfeed::emulator {

struct TenantConfig {
  std::string id;
  std::string client_id;
  std::string client_secret;     // empty: secrets are refused
  std::string certificate_path;  // empty: certificate assertions are refused
  int alerts = -1;               // -1: EmulatorConfig::alerts_per_tenant
  std::optional<ClientCertificate> certificate;
};

struct EmulatorConfig {
  std::vector<TenantConfig> tenants;
  std::uint64_t seed = 1;
  int token_lifetime_seconds = 3599;
  int alerts_per_tenant = 300;
  int history_hours = 24;
  int live_interval_ms = 0;  // > 0: new alerts/updates appear on their own
  std::string streams_path;
  std::string ingested_path;
  std::optional<Ticks> clock_start;  // emulated "now" at startup; default: real time
};

// Tenant i (1-based) of `--tenants N` is 00000000-0000-4000-8000-<i as 12 digits>.
std::string generated_tenant_id(int index);

void add_generated_tenants(EmulatorConfig& config, int count, const std::string& client_id,
                           const std::string& client_secret, const std::string& certificate_path);

// Reads a scenario file (format in README.md); returns an error message on failure.
// Relative certificate paths are resolved against the scenario file's folder.
std::optional<std::string> load_scenario(const std::string& path, EmulatorConfig& config);

// Loads every tenant's certificate; returns an error message on failure.
std::optional<std::string> load_certificates(EmulatorConfig& config);

}  // namespace secfeed::emulator
