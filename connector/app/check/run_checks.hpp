// `secfeed check`: tries every configured tenant, enabled source and enabled sink once.
#pragma once

#include <chrono>

#include "connector/app/check/check_report.hpp"
#include "connector/core/config.hpp"

namespace secfeed::check {

// state_dir, then tenants (their tokens decide whether the Graph probes can run), then
// sources, then sinks, in config order. `timeout` bounds each single check.
CheckReport run_checks(const Config& config, std::chrono::milliseconds timeout);

}  // namespace secfeed::check
