// Small text predicates shared by the unit tests. No std::regex on purpose: g++ 12
// reports a false -Wmaybe-uninitialized inside <regex> under the asan preset (-O2 with
// sanitizers), which -Werror turns into a build failure.
#pragma once

#include <string_view>

namespace secfeed::test {

// 8-4-4-4-12 lower-case hex, version nibble 4, variant 8..b.
inline bool is_v4_guid(std::string_view guid) {
  if (guid.size() != 36) return false;
  for (std::size_t i = 0; i < guid.size(); ++i) {
    const char c = guid[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return guid[14] == '4' && std::string_view("89ab").find(guid[19]) != std::string_view::npos;
}

// A letter, then up to `max_rest` letters, digits or underscores.
inline bool is_identifier(std::string_view text, std::size_t max_rest) {
  if (text.empty() || text.size() > max_rest + 1) return false;
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!letter(text[0])) return false;
  for (char c : text.substr(1)) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

}  // namespace secfeed::test
