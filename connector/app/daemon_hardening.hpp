// Security warnings the daemon logs at every start (and so after every SIGHUP reload),
// beyond the loader's Config::warnings (literal secrets in a world-readable file,
// `insecure_skip_verify: true`): settings that are legal but weaken the deployment.
#pragma once

#include <string>
#include <vector>

#include "connector/core/config.hpp"

namespace secfeed {

// One message per finding, e.g.
//   "sources[mdc].properties.enable.ssl.certificate.verification=false: the Kafka
//    broker's certificate is not verified"
//   "metrics.listen 0.0.0.0:9464 is not a loopback address: /metrics and /readyz are
//    served without authentication to the network"
std::vector<std::string> security_warnings(const Config& config);

}  // namespace secfeed
