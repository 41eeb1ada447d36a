// The emulator's request router: token endpoint, Graph security API, Logs Ingestion API
// and the /_emulator control API, all over one listener. Single-threaded by design (one
// io_context thread), so the state needs no locks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "graph_model.hpp"
#include "http_types.hpp"
#include "logs_ingestion.hpp"
#include "secure_score.hpp"
#include "token_service.hpp"

namespace secfeed::emulator {

class EmulatorApp {
 public:
  explicit EmulatorApp(EmulatorConfig config);
  EmulatorApp(const EmulatorApp&) = delete;  // TokenService refers to config_
  EmulatorApp& operator=(const EmulatorApp&) = delete;

  // Loads stream declarations and opens the ingested-rows file; error message on failure.
  std::optional<std::string> start();

  Response handle(Request& request);

  // One step of background activity (--live-interval-ms): a new alert and an update per
  // tenant, visible after a short random delay.
  void live_tick();
  int live_interval_ms() const { return config_.live_interval_ms; }

 private:
  struct Tenant {
    TenantGraph graph;
    TenantSecureScore score;
  };

  void route(const Request& request, Response& response);
  void handle_control(const Request& request, Response& response);
  void apply_fault(const Fault& fault, const Request& request, Response& response) const;
  std::string fault_tenant(const Request& request) const;
  Tenant* find_tenant(std::string_view id);
  // Tenants a control request addresses: ?tenant= / "tenant" in the body, or all.
  std::vector<Tenant*> selected_tenants(std::string_view id);

  EmulatorConfig config_;
  Clock clock_;
  TokenService tokens_;
  std::vector<Tenant> tenants_;
  FaultRegistry faults_;
  LogsIngestion ingestion_;
  std::uint64_t live_seed_;
};

}  // namespace secfeed::emulator
