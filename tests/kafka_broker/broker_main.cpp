// secfeed-kafka-broker: a Kafka cluster on loopback for tests (librdkafka's mock cluster),
// steered by line commands on stdin or a TCP control port. See README.md.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/kafka_broker/control_loop.hpp"
#include "tests/kafka_broker/mock_cluster.hpp"

namespace {

using secfeed::testkafka::MockCluster;

struct BrokerOptions {
  int brokers = 3;
  std::vector<std::string> topics;  // NAME:PARTITIONS[:REPLICATION]
  int control_port = -1;
  bool no_stdin = false;
  std::vector<std::string> settings;
};

// Blocks the stop signals in every thread (the mock's threads inherit the mask, so
// they must be blocked before the cluster starts) and returns a signalfd for them.
int stop_signal_fd() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  if (pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) != 0) return -1;
  return signalfd(-1, &stop_signals, SFD_CLOEXEC);
}

// "NAME:PARTITIONS[:REPLICATION]" -> the create-topic command for it.
std::string create_topic_command(const std::string& spec) {
  std::string command = "create-topic " + spec;
  for (std::size_t i = std::string("create-topic ").size(); i < command.size(); ++i) {
    if (command[i] == ':') command[i] = ' ';
  }
  return command;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"secfeed-kafka-broker: librdkafka mock Kafka cluster on loopback for tests"};
  BrokerOptions options;
  app.add_option("--brokers", options.brokers, "Number of brokers (ids 1..N)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--topic", options.topics, "Pre-create NAME:PARTITIONS[:REPLICATION]")
      ->allow_extra_args(false);  // One value per occurrence; repeat the option.
  app.add_option("--control-port", options.control_port,
                 "Also take commands on 127.0.0.1:PORT (0 = any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_flag("--no-stdin", options.no_stdin,
               "Do not read commands from stdin (stop with SIGTERM or `quit` on the port)");
  app.add_option("-X,--set", options.settings,
                 "key=value for the owning librdkafka handle, e.g. debug=mock")
      ->allow_extra_args(false);
  CLI11_PARSE(app, argc, argv);

  std::vector<secfeed::testkafka::Setting> settings;
  for (const std::string& text : options.settings) {
    const auto setting = secfeed::testkafka::split_setting(text);
    if (!setting) {
      std::fprintf(stderr, "secfeed-kafka-broker: -X expects key=value, got '%s'\n", text.c_str());
      return 1;
    }
    settings.push_back(*setting);
  }

  // A closed reader of our stdout or a control client must not kill the broker.
  signal(SIGPIPE, SIG_IGN);
  const int signal_fd = stop_signal_fd();
  if (signal_fd < 0) {
    std::perror("secfeed-kafka-broker: signalfd");
    return 1;
  }

  std::string error;
  secfeed::testkafka::ControlListener listener;
  if (options.control_port >= 0) {
    listener = secfeed::testkafka::ControlListener::open(
        static_cast<uint16_t>(options.control_port), &error);
    if (!listener.is_open()) {
      std::fprintf(stderr, "secfeed-kafka-broker: %s\n", error.c_str());
      return 1;
    }
  }

  int status = 0;
  {
    const std::unique_ptr<MockCluster> cluster =
        MockCluster::create(options.brokers, settings, &error);
    if (!cluster) {
      std::fprintf(stderr, "secfeed-kafka-broker: %s\n", error.c_str());
      return 1;
    }
    // Topics first, so a test that has read the bootstrap line finds them.
    for (const std::string& spec : options.topics) {
      const std::string reply = cluster->execute(create_topic_command(spec)).line;
      if (reply.rfind("ok ", 0) != 0) {
        std::fprintf(stderr, "secfeed-kafka-broker: --topic %s: %s\n", spec.c_str(), reply.c_str());
        return 1;
      }
    }
    std::printf("bootstrap=%s\n", cluster->bootstrap().c_str());
    if (listener.is_open()) std::printf("control=127.0.0.1:%u\n", listener.port());
    std::fflush(stdout);

    const secfeed::testkafka::ControlLoopOptions loop_options{
        .read_stdin = !options.no_stdin,
        .signal_fd = signal_fd,
        .listener = listener.is_open() ? &listener : nullptr,
    };
    status = secfeed::testkafka::run_control_loop(*cluster, loop_options);
  }  // The cluster and its threads are gone before we return.
  close(signal_fd);
  return status;
}
