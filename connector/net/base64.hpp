// Base64 (RFC 4648 §4) and base64url without padding (§5, as JWTs use it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace secfeed::net {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
// Accepts both alphabets, with or without padding; nullopt on any other character.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace secfeed::net
