// What an Entra ID token function answers in the Kafka OAUTHBEARER tests (eventhub
// source and kafka sink): a token valid for an hour, or Entra's wrong-secret error.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace secfeed::testing {

inline bool fake_entra_token(bool succeed, std::string& token, std::int64_t& expires_at_ms,
                             std::string& error) {
  if (!succeed) {
    error = "AADSTS7000215: Invalid client secret provided.";
    return false;
  }
  token = "header.payload.signature";
  const auto in_an_hour = std::chrono::system_clock::now() + std::chrono::hours(1);
  expires_at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(in_an_hour.time_since_epoch()).count();
  return true;
}

}  // namespace secfeed::testing
