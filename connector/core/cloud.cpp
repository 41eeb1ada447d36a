#include "connector/core/cloud.hpp"

#include <array>

#include "connector/core/text.hpp"

namespace secfeed {
namespace {

constexpr std::array<CloudHosts, 4> kClouds = {{
    {Cloud::global, "global", "login.microsoftonline.com", "graph.microsoft.com",
     "monitor.azure.com", "servicebus.windows.net"},
    {Cloud::usgov, "usgov", "login.microsoftonline.us", "graph.microsoft.us", "monitor.azure.us",
     "servicebus.usgovcloudapi.net"},
    {Cloud::usgov_dod, "usgov_dod", "login.microsoftonline.us", "dod-graph.microsoft.us",
     "monitor.azure.us", "servicebus.usgovcloudapi.net"},
    {Cloud::china, "china", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn",
     "monitor.azure.cn", "servicebus.chinacloudapi.cn"},
}};

}  // namespace

const CloudHosts& cloud_hosts(Cloud cloud) {
  for (const auto& entry : kClouds) {
    if (entry.cloud == cloud) return entry;
  }
  return kClouds[0];
}

std::optional<Cloud> parse_cloud(std::string_view name) {
  for (const auto& entry : kClouds) {
    if (iequals(name, entry.name)) return entry.cloud;
  }
  if (iequals(name, "public") || iequals(name, "azurecloud")) return Cloud::global;
  if (iequals(name, "gcc_high") || iequals(name, "usgovernment")) return Cloud::usgov;
  if (iequals(name, "dod")) return Cloud::usgov_dod;
  if (iequals(name, "21vianet") || iequals(name, "azurechina")) return Cloud::china;
  return std::nullopt;
}

std::string graph_scope(Cloud cloud) {
  return "https://" + std::string(cloud_hosts(cloud).graph_host) + "/.default";
}

std::string monitor_scope(Cloud cloud) {
  // The double slash is what the Logs Ingestion API documents; "/.default" alone yields
  // a token with the wrong audience for some clouds.
  return "https://" + std::string(cloud_hosts(cloud).monitor_host) + "//.default";
}

std::string event_hubs_scope(std::string_view namespace_host) {
  return "https://" + std::string(namespace_host) + "/.default";
}

}  // namespace secfeed
