// The `secfeed` subcommands. main.cpp parses the command line (CLI11) into these option
// structs; each command returns the process exit status.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace secfeed {

struct ConvertOptions {
  std::string kind = "auto";   // auto | graph-alert | ... | mdc
  std::string format = "cef";  // cef | json | raw
  std::string input = "-";     // a file, or - for stdin
  std::string tenant_id;       // fallback tenant for payloads without one
  std::string tenant_name;
};

// Exit status: 0 all items converted, 2 some items rejected, 1 usage/input error.
int run_convert(const ConvertOptions& options, std::FILE* out, std::FILE* err);

int run_validate(const std::string& config_path, std::FILE* out, std::FILE* err);

int run_version(std::FILE* out);

struct CheckOptions {
  std::string config_path;
  std::chrono::milliseconds timeout{10'000};  // per check
  std::string format = "text";                // text | json
};

// `secfeed check` (connector/app/check/, part of secfeed_runtime). Exit status: 0 every
// check passed, 1 some check failed, 2 the config is invalid.
int run_check(const CheckOptions& options, std::FILE* out, std::FILE* err);

}  // namespace secfeed
