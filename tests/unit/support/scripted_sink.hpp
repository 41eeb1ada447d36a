// A sink for tests: deliver() follows a script of results (then delivers everything),
// and records the ids and bytes it delivered.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "sinks/sink.hpp"

namespace secfeed::testing {

class ScriptedSink : public Sink {
 public:
  ScriptedSink(Executor executor, SinkOptions options, DeadLetterOutput* dead_letters)
      : Sink(executor, std::move(options), dead_letters) {}
  std::deque<DeliveryResult> script;  // consumed front to back; empty = deliver all
  std::vector<std::string> delivered;
  std::vector<std::string> delivered_bytes;
  int calls = 0;
  bool hold = false;  // while true, every attempt fails ("sink down")

 protected:
  boost::asio::awaitable<DeliveryResult> deliver(std::span<SinkMessage> batch) override {
    ++calls;
    DeliveryResult result;
    if (hold) {
      result.error = "held down by the test";
      co_return result;
    }
    if (!script.empty()) {
      result = script.front();
      script.pop_front();
    } else {
      result.delivered = batch.size();
    }
    for (std::size_t i = 0; i < std::min(result.delivered, batch.size()); ++i) {
      delivered.push_back(batch[i].id);
      delivered_bytes.push_back(batch[i].bytes);
    }
    co_return result;
  }
};

}  // namespace secfeed::testing
