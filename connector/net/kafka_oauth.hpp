// SASL OAUTHBEARER with Microsoft Entra ID tokens for the librdkafka clients: the
// eventhub source's consumer and the kafka sink's producer (both talk to an Event Hubs
// namespace's Kafka endpoint). One token function per client, and one answer to
// librdkafka's refresh request, so the two clients behave (and log) the same way.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

namespace secfeed {
struct Config;
struct KafkaClientConfig;
}  // namespace secfeed

namespace secfeed::net {

class TokenProviders;

// Fills `token` and its expiry (ms since the epoch), or `error`. Blocks while the token is
// fetched: call it only from a librdkafka thread, never from the io thread that fetches.
using KafkaTokenFunction =
    std::function<bool(std::string& token, std::int64_t& expires_at_ms, std::string& error)>;

// The token function of a client whose `kafka.sasl_mechanism` is oauthbearer: tokens of
// the app of tenant `kafka.oauth_tenant` for `kafka.oauth_scope`, fetched on `executor`
// through `tokens` (so they share the tenant's cache). Empty, with `error`, when the tenant
// is unknown or its credentials are unusable.
KafkaTokenFunction kafka_token_function(const KafkaClientConfig& kafka, const Config& config,
                                        boost::asio::any_io_executor executor,
                                        TokenProviders& tokens, std::string& error);

// Answers librdkafka's token refresh request (call it from the refresh callback): hands it
// a token from `fetch`, or reports the failure, after which librdkafka asks again. Logs
// failures as `client` (e.g. "source hub" or "sink bus") under `component`. Returns
// whether librdkafka got a token.
bool answer_oauth_refresh(rd_kafka_t* rk, const KafkaTokenFunction& fetch,
                          std::string_view component, std::string_view client);

}  // namespace secfeed::net
