// Microsoft Entra ID / Graph / Azure Monitor / Event Hubs hosts per cloud: THE table
// (shared/specs/graph-security-api.md). The config derives its overridable endpoint
// URLs from it; the token providers derive their scopes from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace secfeed {

enum class Cloud { global, usgov, usgov_dod, china };

struct CloudHosts {
  Cloud cloud;
  std::string_view name;  // config spelling: global, usgov, usgov_dod, china
  std::string_view login_host;
  std::string_view graph_host;
  std::string_view monitor_host;       // audience host of the Logs Ingestion API
  std::string_view servicebus_suffix;  // Event Hubs namespaces: <ns>.<suffix>
};

const CloudHosts& cloud_hosts(Cloud cloud);
// Case-insensitive; also accepts "public", "gcc_high", "dod", "21vianet".
std::optional<Cloud> parse_cloud(std::string_view name);

// OAuth2 scopes for the client-credentials grant.
std::string graph_scope(Cloud cloud);    // https://graph.microsoft.com/.default
std::string monitor_scope(Cloud cloud);  // https://monitor.azure.com//.default (double slash)
std::string event_hubs_scope(std::string_view namespace_host);  // https://<ns>/.default

}  // namespace secfeed
