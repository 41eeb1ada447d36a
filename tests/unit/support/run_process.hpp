// Runs a command line through /bin/sh and captures exit status, stdout and stderr:
// the CLI tests drive the real `secfeed` binary this way.
#pragma once

#include <string>

namespace secfeed::testing {

struct ProcessResult {
  int status = -1;
  std::string out;
  std::string err;
};

// `command` is passed to sh -c; `input` (if any) is fed on stdin.
ProcessResult run_process(const std::string& command, const std::string& input = {});

std::string read_file(const std::string& path);

}  // namespace secfeed::testing
