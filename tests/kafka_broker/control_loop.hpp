// The broker's command loop: line commands from stdin and, optionally, from clients of a
// loopback TCP control port, each answered with one line. One thread, poll(2): the mock
// cluster's API is thread-safe (it hands each call to the cluster thread and waits), so
// calling it from here needs no further locking.
#pragma once

#include <cstdint>
#include <string>

#include "tests/kafka_broker/mock_cluster.hpp"

namespace secfeed::testkafka {

// A listening socket on 127.0.0.1. Port 0 picks a free port.
class ControlListener {
 public:
  static ControlListener open(uint16_t port, std::string* error);
  ControlListener() = default;
  ControlListener(ControlListener&& other) noexcept;
  ControlListener& operator=(ControlListener&& other) noexcept;
  ~ControlListener();

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

struct ControlLoopOptions {
  bool read_stdin = true;               // stdin EOF then ends the loop.
  int signal_fd = -1;                   // signalfd(2) for SIGTERM/SIGINT/SIGHUP; readable -> stop.
  ControlListener* listener = nullptr;  // Optional TCP control port.
};

// Serves commands until `quit`, stdin EOF or a signal. Returns the exit status:
// 0 on those, 1 on an I/O error of the loop itself.
int run_control_loop(MockCluster& cluster, const ControlLoopOptions& options);

}  // namespace secfeed::testkafka
