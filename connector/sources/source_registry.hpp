// Builds the configured sources. Adding a source type = a folder under
// connector/sources/ and one case in source_registry.cpp.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "connector/core/config.hpp"
#include "connector/sources/source.hpp"

namespace secfeed {

class Pipeline;
class StateStore;
namespace net {
class HttpClient;
class TokenProviders;
}  // namespace net
namespace graph {
class GraphBudgets;
}

// What sources need from the daemon; everything outlives the sources.
struct SourceContext {
  boost::asio::any_io_executor executor;  // the pipeline's (sources run their coroutines there)
  Pipeline& pipeline;
  net::TokenProviders& tokens;  // Entra ID tokens per (tenant, scope)
  net::HttpClient& http;        // shared HTTPS client (Graph)
  StateStore& state;            // <state_dir>/state.db: checkpoints and de-dup keys
  // Request budgets shared by every Graph source (per tenant and API, under one
  // process-wide bound); make_source creates them on first use.
  std::shared_ptr<graph::GraphBudgets> graph_budgets = {};
};

// nullptr with `error` set ("source alerts: ...") when the source cannot be built.
std::unique_ptr<Source> make_source(const SourceConfig& source, const Config& config,
                                    SourceContext& context, std::string& error);

}  // namespace secfeed
