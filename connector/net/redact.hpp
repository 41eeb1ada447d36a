// Keeping credentials out of logs and error messages.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace secfeed::net {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// Returns `text` with
//   * every occurrence of each non-empty string in `secrets` replaced by [REDACTED],
//   * the credential after "Bearer ", "Basic " and "SharedKey " replaced,
//   * values of the form fields client_secret=, client_assertion=, access_token=,
//     password= and JSON members "access_token"/"client_secret" replaced,
//   * anything shaped like a JWT (eyJ...base64url.base64url...) replaced.
// Used on every message that may include server text or request data.
std::string redact(std::string_view text, std::initializer_list<std::string_view> secrets = {});

}  // namespace secfeed::net
