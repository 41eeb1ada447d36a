#include "sinks/encoders/cef_keys.hpp"

#include <array>

namespace secfeed {
namespace {

struct KeyEntry {
  std::string_view key;
  CefKeyInfo info;
};

using T = CefValueType;
constexpr CefKeyInfo text(std::size_t limit) {
  return {T::string, limit, false, false};
}
// Typed values are validated (an address, a number), never cut; the limit only
// bounds the text of an IP address (45 bytes is the longest IPv6 text form).
constexpr std::size_t kTypedLimit = 64;
constexpr CefKeyInfo typed(T type) {
  return {type, kTypedLimit, false, false};
}
constexpr CefKeyInfo labeled(T type, std::size_t limit = kTypedLimit) {
  return {type, limit, true, false};
}
constexpr CefKeyInfo custom_string() {
  return {T::string, 1023, true, true};
}

constexpr std::array kKeys = {
    KeyEntry{"act", text(63)},
    KeyEntry{"app", text(31)},
    KeyEntry{"cat", text(1023)},
    KeyEntry{"msg", text(1023)},
    KeyEntry{"reason", text(1023)},
    KeyEntry{"outcome", text(63)},
    KeyEntry{"request", text(1023)},
    KeyEntry{"requestClientApplication", text(1023)},
    KeyEntry{"requestMethod", text(1023)},
    KeyEntry{"fname", text(1023)},
    KeyEntry{"filePath", text(1023)},
    KeyEntry{"fileHash", text(255)},
    KeyEntry{"fileId", text(1023)},
    KeyEntry{"fileType", text(1023)},
    KeyEntry{"fsize", typed(T::int32)},
    KeyEntry{"shost", text(1023)},
    KeyEntry{"dhost", text(1023)},
    KeyEntry{"suser", text(1023)},
    KeyEntry{"duser", text(1023)},
    KeyEntry{"suid", text(1023)},
    KeyEntry{"duid", text(1023)},
    KeyEntry{"sntdom", text(255)},
    KeyEntry{"dntdom", text(255)},
    KeyEntry{"sproc", text(1023)},
    KeyEntry{"dproc", text(1023)},
    KeyEntry{"spriv", text(1023)},
    KeyEntry{"dpriv", text(1023)},
    KeyEntry{"proto", text(31)},
    KeyEntry{"sourceDnsDomain", text(255)},
    KeyEntry{"destinationDnsDomain", text(255)},
    KeyEntry{"sourceServiceName", text(1023)},
    KeyEntry{"destinationServiceName", text(1023)},
    KeyEntry{"deviceProcessName", text(1023)},
    KeyEntry{"deviceFacility", text(1023)},
    KeyEntry{"dvchost", text(100)},
    KeyEntry{"externalId", text(40)},
    KeyEntry{"deviceExternalId", text(255)},
    KeyEntry{"src", typed(T::ipv4)},
    KeyEntry{"dst", typed(T::ipv4)},
    KeyEntry{"dvc", typed(T::ipv4)},
    KeyEntry{"spt", typed(T::int32)},
    KeyEntry{"dpt", typed(T::int32)},
    KeyEntry{"spid", typed(T::int32)},
    KeyEntry{"dpid", typed(T::int32)},
    KeyEntry{"dvcpid", typed(T::int32)},
    KeyEntry{"cnt", typed(T::int32)},
    KeyEntry{"in", typed(T::int32)},
    KeyEntry{"out", typed(T::int32)},
    KeyEntry{"rt", typed(T::time)},
    KeyEntry{"start", typed(T::time)},
    KeyEntry{"end", typed(T::time)},
    KeyEntry{"c6a1", labeled(T::ipv6)},
    KeyEntry{"c6a2", labeled(T::ipv6)},
    KeyEntry{"c6a3", labeled(T::ipv6)},
    KeyEntry{"c6a4", labeled(T::ipv6)},
    KeyEntry{"cn1", labeled(T::int64)},
    KeyEntry{"cn2", labeled(T::int64)},
    KeyEntry{"cn3", labeled(T::int64)},
    KeyEntry{"cfp1", labeled(T::real)},
    KeyEntry{"cfp2", labeled(T::real)},
    KeyEntry{"cfp3", labeled(T::real)},
    KeyEntry{"cfp4", labeled(T::real)},
    KeyEntry{"cs1", custom_string()},
    KeyEntry{"cs2", custom_string()},
    KeyEntry{"cs3", custom_string()},
    KeyEntry{"cs4", custom_string()},
    KeyEntry{"cs5", custom_string()},
    KeyEntry{"cs6", custom_string()},
    KeyEntry{"deviceCustomDate1", labeled(T::time)},
    KeyEntry{"deviceCustomDate2", labeled(T::time)},
    KeyEntry{"flexDate1", labeled(T::time)},
    KeyEntry{"flexString1", labeled(T::string, 1023)},
    KeyEntry{"flexString2", labeled(T::string, 1023)},
};

}  // namespace

std::optional<CefKeyInfo> find_cef_key(std::string_view key) {
  for (const KeyEntry& entry : kKeys) {
    if (entry.key == key) return entry.info;
  }
  return std::nullopt;
}

bool is_valid_cef_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) return false;
  }
  return true;
}

}  // namespace secfeed
