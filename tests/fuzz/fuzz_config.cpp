// libFuzzer entry: the YAML config loader must turn any text into a Config or a
// ConfigError, never a crash, a hang or an exception of another type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "connector/core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  secfeed::ConfigLoadOptions options;
  options.env = [](const std::string&) { return std::optional<std::string>{}; };
  options.world_readable = false;
  try {
    (void)secfeed::load_config_string(yaml, "fuzz.yaml", options);
  } catch (const secfeed::ConfigError&) {
    // Expected for most inputs.
  }
  return 0;
}
