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
namespace net {
class TokenProviders;
}

// nullptr with `error` set ("sources[2] (graph_alerts): ...") when the source cannot
// be built in this build.
// `tokens` supplies Entra ID tokens to sources that authenticate with them.
std::unique_ptr<Source> make_source(const SourceConfig& source, const Config& config,
                                    boost::asio::any_io_executor executor, Pipeline& pipeline,
                                    net::TokenProviders& tokens, std::string& error);

}  // namespace secfeed
