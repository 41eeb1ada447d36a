// Text encodings the emulator needs: URL/form encoding, base64url, GUIDs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secfeed::emulator {

// Decodes %XX escapes; `plus_is_space` for application/x-www-form-urlencoded.
std::string url_decode(std::string_view text, bool plus_is_space);
std::string url_encode(std::string_view text);

// Splits `a=1&b=2` (query string or form body) into decoded pairs.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// Random (non-deterministic) GUID for request ids, tokens and trace ids.
std::string random_guid();

// Deterministic GUID-formatted text from two 64-bit values (for seeded data).
std::string guid_from(std::uint64_t high, std::uint64_t low);

}  // namespace secfeed::emulator
