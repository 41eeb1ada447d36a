// The CEF extension key dictionary (ArcSight CEF rev. 25, as summarized in
// shared/specs/cef-syslog.md): each standard key's value type and maximum length.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "sinks/encoders/cef_mapping.hpp"

namespace secfeed {

struct CefKeyInfo {
  CefValueType type = CefValueType::string;
  std::size_t limit = 1023;
  bool labeled = false;        // has a <key>Label companion (custom keys)
  bool custom_string = false;  // cs1..cs6: limit comes from CefOptions
};

// Standard keys; nullopt for keys outside the dictionary (vendor custom keys, which
// are strings of up to 1023 bytes and land in Sentinel's AdditionalExtensions).
std::optional<CefKeyInfo> find_cef_key(std::string_view key);

// [A-Za-z0-9]+
bool is_valid_cef_key(std::string_view key);

}  // namespace secfeed
