// The per-cloud table lives in connector/core/cloud.hpp (one table for the config and
// the token providers); these names keep net's call sites short.
#pragma once

#include "connector/core/cloud.hpp"

namespace secfeed::net {

using secfeed::Cloud;
using secfeed::event_hubs_scope;
using secfeed::graph_scope;
using secfeed::monitor_scope;
using secfeed::parse_cloud;
inline const CloudHosts& cloud_endpoints(Cloud cloud) {
  return cloud_hosts(cloud);
}

}  // namespace secfeed::net
