// Builds the configured sinks. Adding a sink type = a folder under sinks/ and one case
// in sink_registry.cpp.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "connector/core/config.hpp"
#include "sinks/sink.hpp"
#include "sinks/syslog/syslog_sink.hpp"

namespace secfeed {

namespace net {
class TokenProviders;
}

// The pipeline-level options every sink shares, from its config section.
SinkOptions sink_options(const SinkConfig& sink);

// The syslog sink's transport options from its config section (also used by `secfeed
// check` to open one connection the way the sink does).
SyslogSinkOptions syslog_sink_options(const SyslogSinkConfig& syslog);

// `tokens` (and its HTTP client) serve the sinks that call Azure APIs (log_analytics).
std::unique_ptr<Sink> make_sink(const SinkConfig& sink, const Config& config,
                                boost::asio::any_io_executor executor,
                                DeadLetterOutput* dead_letters, net::TokenProviders& tokens,
                                std::string& error);

}  // namespace secfeed
