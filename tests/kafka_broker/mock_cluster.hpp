// An in-process librdkafka mock cluster (rdkafka_mock.h) and the text commands that
// steer it. Fault injection only works in the process that owns the cluster, which is
// why the test broker is a helper process taking these commands on stdin or TCP.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/kafka_broker/kafka_handle.hpp"

namespace secfeed::testkafka {

struct CommandReply {
  std::string line;   // "ok ..." or "error <reason>", without the newline.
  bool quit = false;  // The command asked the broker to stop.
};

class MockCluster {
 public:
  // Brokers get ids 1..broker_count. `settings` configure the owning (dummy producer)
  // handle, e.g. {"debug", "mock"}. Null with *error set on failure.
  static std::unique_ptr<MockCluster> create(int broker_count, const std::vector<Setting>& settings,
                                             std::string* error);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:PORT,127.0.0.1:PORT,..." for bootstrap.servers.
  std::string bootstrap() const;
  int broker_count() const { return broker_count_; }

  // Runs one command line. Blank lines are not commands: they return an empty reply
  // line, and the caller sends nothing.
  CommandReply execute(std::string_view line);

  // Serves the owning handle's event queue (logs, errors) so it never grows.
  void poll_events();

 private:
  MockCluster(KafkaPtr handle, rd_kafka_mock_cluster_t* cluster, int broker_count)
      : handle_(std::move(handle)), cluster_(cluster), broker_count_(broker_count) {}

  using Args = std::vector<std::string_view>;
  std::string create_topic(const Args& args);
  std::string set_broker_down(const Args& args, bool down);
  std::string set_rtt(const Args& args);
  // Broker id 1..N, or "all" as -1.
  std::optional<int32_t> parse_broker_or_all(std::string_view text) const;
  std::string broker_or_all_error(std::string_view text) const;
  std::string push_errors(const Args& args);
  std::string push_broker_errors(const Args& args);
  std::string error_stack_count(const Args& args);
  std::string clear_errors(const Args& args);
  std::string set_topic_error(const Args& args);
  std::string set_partition_leader(const Args& args);
  std::string set_coordinator(const Args& args);

  KafkaPtr handle_;  // Outlives cluster_: ~MockCluster destroys the cluster first.
  rd_kafka_mock_cluster_t* cluster_;
  int broker_count_;
};

}  // namespace secfeed::testkafka
