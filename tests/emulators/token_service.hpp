// Entra ID token endpoint (client credentials) and bearer-token checks for the APIs.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "clock.hpp"
#include "config.hpp"
#include "http_types.hpp"

namespace secfeed::emulator {

enum class Audience { graph, monitor };

struct IssuedToken {
  std::string tenant;
  Audience audience;
  Ticks expires;
};

class TokenService {
 public:
  TokenService(const EmulatorConfig& config, const Clock& clock);

  // POST /{tenant}/oauth2/v2.0/token.
  void handle_token_request(const Request& request, std::string_view tenant, Response& response);

  // The token the request carries, if it is one we issued (expired or not).
  const IssuedToken* find(const Request& request) const;

  // The request's token if it is valid for `audience`; otherwise fills a 401 and returns
  // nullptr. `graph_style` picks Graph's error body, else Azure Monitor's.
  const IssuedToken* authenticate(const Request& request, Audience audience, bool graph_style,
                                  Response& response) const;

  void set_lifetime_seconds(int seconds) { lifetime_seconds_ = seconds; }

 private:
  const TenantConfig* tenant(std::string_view id) const;
  void forget_expired();

  const EmulatorConfig& config_;
  const Clock& clock_;
  int lifetime_seconds_;
  std::unordered_map<std::string, IssuedToken> tokens_;
};

}  // namespace secfeed::emulator
