// Drives the real `secfeed` binary: exit statuses and exact messages are its interface.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/support/run_process.hpp"

namespace secfeed {
namespace {

using testing::run_process;

const std::string kSecfeed = SECFEED_BINARY;
const std::string kSource = SECFEED_SOURCE_DIR;

TEST(Cli, VersionAndHelp) {
  auto r = run_process(kSecfeed + " version");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("secfeed ") + SECFEED_VERSION + "\n");
  for (const char* sub : {"", " run", " validate", " convert", " version"}) {
    r = run_process(kSecfeed + sub + " --help");
    EXPECT_EQ(r.status, 0) << sub;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << sub;
  }
}

TEST(Cli, UsageErrorsExitOne) {
  auto r = run_process(kSecfeed);
  EXPECT_EQ(r.status, 1);
  r = run_process(kSecfeed + " convert --kind bogus");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "secfeed convert: unknown --kind 'bogus'\n");
  r = run_process(kSecfeed + " convert --format xml");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "secfeed convert: unknown --format 'xml' (cef, json, raw, ocsf or sentinel)\n");
  r = run_process(kSecfeed + " convert /nonexistent/file.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "secfeed convert: /nonexistent/file.json: No such file or directory\n");
}

TEST(Cli, ConvertReportsBadItemsWithPositionAndExitsTwo) {
  const auto r = run_process(kSecfeed + " convert -",
                             "{\"nothing\":\"known\"}\n"
                             "{\"broken\":\n"
                             "[1]\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "secfeed convert: <stdin>: line 1: cannot detect the payload kind (use --kind)\n"
            "secfeed convert: <stdin>: line 2: invalid JSON at offset 10: Invalid value.\n"
            "secfeed convert: <stdin>: line 3 [0]: expected a JSON object\n"
            "secfeed convert: 2 items, 0 events written, 3 rejected\n");
}

TEST(Cli, ConvertEmptyInputIsSuccess) {
  const auto r = run_process(kSecfeed + " convert -", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "secfeed convert: 0 items, 0 events written, 0 rejected\n");
}

TEST(Cli, RunAndValidateRejectBadConfigsWithFileLineAndKey) {
  char dir_template[] = "/tmp/secfeed-cli-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string bad = dir + "/bad.yaml";
  {
    std::ofstream file(bad);
    file << "state_dir: " << dir << "\nsinks:\n  - type: file\n    path: out.jsonl\n"
         << "    fsync_intervall: 1s\n";
  }
  for (const char* command : {" validate -c ", " run -c "}) {
    const auto r = run_process(kSecfeed + command + bad);
    EXPECT_EQ(r.status, 1) << command;
    EXPECT_EQ(r.err, "secfeed: " + bad +
                         ":5:5: sinks[0].fsync_intervall: unknown key (did you mean "
                         "\"fsync_interval\"?)\n")
        << command;
  }
  std::filesystem::remove_all(dir);
}

TEST(Cli, RunBuildsTheLogAnalyticsSinkAndStopsCleanly) {
  char dir_template[] = "/tmp/secfeed-cli-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string config = dir + "/sentinel.yaml";
  {
    std::ofstream file(config);
    file << "state_dir: " << dir << "/state\n"
         << "metrics: {listen: 127.0.0.1:0}\n"  // tests run in parallel: any free port
         << "tenants:\n  - id: 00000000-0000-0000-0000-000000000001\n"
         << "    client_id: 11111111-1111-1111-1111-111111111111\n"
         << "    client_secret: not-a-real-secret\n"
         << "sources:\n  - type: eventhub\n    kafka: {bootstrap_servers: 127.0.0.1:1}\n"
         << "    topic: t\n"
         << "sinks:\n  - type: log_analytics\n"
         << "    endpoint: https://dce.westeurope-1.ingest.monitor.azure.com\n"
         << "    dcr_immutable_id: dcr-00000000000000000000000000000000\n"
         << "    stream_alerts: Custom-SecfeedAlerts_CL\n"
         << "    stream_posture: Custom-SecfeedPosture_CL\n"
         << "    tenant: 00000000-0000-0000-0000-000000000001\n";
  }
  EXPECT_EQ(run_process(kSecfeed + " validate -c " + config).status, 0);
  // Nothing to deliver (the broker address is dead): it starts, then SIGTERM drains it.
  // --foreground: without it timeout signals its whole process group as well, so secfeed
  // may see two SIGTERMs, and a second signal aborts the drain (by design).
  const auto r = run_process("timeout --foreground --preserve-status -s TERM 3 " + kSecfeed +
                             " run -c " + config);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("started: 1 sources, 1 sinks"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stopped cleanly"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace secfeed
