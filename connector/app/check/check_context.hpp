// What every probe of `secfeed check` shares: the config, the io thread's executor, one
// HTTP client and the token providers (so a tenant's token is fetched once), the
// per-check timeout, and what earlier probes learned (which tenants have a token).
//
// Threads: asynchronous probes run as coroutines on the io thread (`run`); blocking ones
// (librdkafka metadata) run on the calling thread and use `run` for what they need from
// the io thread (a token).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "connector/core/config.hpp"
#include "connector/net/credentials_from_config.hpp"
#include "connector/net/http_types.hpp"

namespace secfeed::check {

// Why a probe that needs HTTPS did not run.
inline constexpr const char* kNoHttpsClient = "no HTTPS client (see the https client row)";

struct TokenOutcome {
  std::string access_token;  // a secret: never printed
  std::string failure;       // for the table (describe_token_failure); empty on success
  std::chrono::seconds valid_for{0};
  bool ok() const { return failure.empty(); }
};

struct CheckContext {
  const Config& config;
  boost::asio::any_io_executor io;
  // Null when the HTTPS client could not be set up (e.g. an unreadable tls.ca_file):
  // then every probe that needs a token reports that instead.
  net::HttpClient* http;
  net::TokenProviders* tokens;  // used on the io thread only
  std::chrono::milliseconds timeout;
  std::map<std::string, bool> tenant_has_token;  // tenant id -> its token probe passed

  // Runs `task` on the io thread and waits for its result.
  template <class T>
  T run(std::function<boost::asio::awaitable<T>()> task) const {
    return boost::asio::co_spawn(io, std::move(task), boost::asio::use_future).get();
  }
};

// An HTTP request with the check's timeout (io thread only); a URL that does not parse
// comes back as a protocol error. With `tenant`, through that tenant's client (its
// ca_file), as the daemon sends its Graph requests.
boost::asio::awaitable<net::HttpResult> send_request(CheckContext& context, std::string method,
                                                     const std::string& url,
                                                     net::HttpHeaders headers, std::string body,
                                                     const TenantConfig* tenant = nullptr);

// A token of `tenant` for `scope` through the shared providers (io thread only).
boost::asio::awaitable<TokenOutcome> fetch_token(CheckContext& context, const TenantConfig& tenant,
                                                 const std::string& scope);

}  // namespace secfeed::check
