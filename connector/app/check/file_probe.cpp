#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "connector/app/check/probes.hpp"

namespace secfeed::check {
namespace {

// "" when a new file can be created in `directory` (created and removed again: this
// also catches read-only mounts and full inode tables, which access(2) does not).
std::string directory_failure(const std::string& directory) {
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) {
    return "directory " + directory + " is not usable: " + std::strerror(errno);
  }
  if (!S_ISDIR(info.st_mode)) return directory + " is not a directory";
  std::string probe = directory + "/.secfeed-check-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return "directory " + directory + " is not writable: " + std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

}  // namespace

void check_state_dir(CheckContext& context, CheckReport& report) {
  const std::string& path = context.config.state_dir;
  CheckRow row{"state_dir", path, CheckStatus::ok, "writable"};
  // The daemon creates a missing state_dir: then its nearest existing parent must
  // accept it.
  std::filesystem::path existing(path);
  std::error_code ec;
  while (!existing.empty() && !std::filesystem::exists(existing, ec) &&
         existing != existing.parent_path()) {
    existing = existing.parent_path();
  }
  if (existing.empty()) existing = ".";
  std::string failure = directory_failure(existing.string());
  if (failure.empty() && existing.string() != path) {
    row.detail = "does not exist yet; the daemon creates it in " + existing.string();
  }
  if (!failure.empty()) {
    row.status = CheckStatus::fail;
    row.detail = std::move(failure);
  }
  report.add(std::move(row));
}

void check_file_sink(CheckContext& /*context*/, const SinkConfig& sink, CheckReport& report) {
  const FileSinkConfig& file = std::get<FileSinkConfig>(sink.settings);
  CheckRow row{"sink " + sink.name, file.path, CheckStatus::ok, "directory writable"};
  if (file.path == "-") {
    row.detail = "stdout";
    report.add(std::move(row));
    return;
  }
  std::string directory = std::filesystem::path(file.path).parent_path().string();
  if (directory.empty()) directory = ".";
  std::string failure = directory_failure(directory);
  if (failure.empty() && ::access(file.path.c_str(), F_OK) == 0 &&
      ::access(file.path.c_str(), W_OK) != 0) {
    failure = "file " + file.path + " is not writable: " + std::strerror(errno);
  }
  if (!failure.empty()) {
    row.status = CheckStatus::fail;
    row.detail = std::move(failure);
  }
  report.add(std::move(row));
}

}  // namespace secfeed::check
