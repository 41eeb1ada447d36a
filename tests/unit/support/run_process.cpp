#include "tests/unit/support/run_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace secfeed::testing {

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

ProcessResult run_process(const std::string& command, const std::string& input) {
  char dir_template[] = "/tmp/secfeed-test-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string in = dir + "/in", out = dir + "/out", err = dir + "/err";
  {
    std::ofstream file(in, std::ios::binary);
    file << input;
  }
  // Bounded: a hung child must fail the test, not hang it.
  const std::string full = "timeout 60 sh -c '" + command + "' <" + in + " >" + out + " 2>" + err;
  const int raw = std::system(full.c_str());
  ProcessResult result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::remove(err.c_str());
  rmdir(dir.c_str());
  return result;
}

}  // namespace secfeed::testing
