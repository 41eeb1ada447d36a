// `${ENV_NAME}` interpolation in configuration values.
//
//   ${NAME}            the variable's value; unset is an error (a silently empty secret
//                      or URL fails much later and much less clearly)
//   ${NAME:-default}   the value, or `default` when the variable is unset or empty
//   $${                a literal `${`
// A `$` not followed by `{` is literal. Only values are interpolated, never keys.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace secfeed {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv).
EnvLookup process_env();

struct Interpolated {
  std::string value;
  bool substituted = false;  // a ${...} reference was expanded (the value is not literal)
};

// On failure returns nullopt and sets `error` to a message that names the variable but
// never quotes the text (which may be a secret).
std::optional<Interpolated> interpolate_env(std::string_view text, const EnvLookup& lookup,
                                            std::string& error);

}  // namespace secfeed
