// libFuzzer entry: the YAML config loader must turn any text into a Config or a
// ConfigError, never a crash or an uncaught exception of another type.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "connector/core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/secfeed-fuzz-config-" + std::to_string(getpid()) + ".yaml";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  try {
    (void)secfeed::load_config_file(path);
  } catch (const secfeed::ConfigError&) {
    // Expected for most inputs.
  }
  return 0;
}
