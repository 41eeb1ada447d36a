// What the daemon needs of every source. A source turns its input into normalized
// batches, hands them to the Pipeline with an AckGroup, and commits its checkpoint only
// past what the pipeline acknowledged.
//
// Shutdown is two-step so nothing is lost: stop_fetching() (run() then returns once
// what was fetched is dispatched), the pipeline drains its sinks, then finish()
// commits what was delivered and releases the input.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

namespace secfeed {

class Source {
 public:
  virtual ~Source() = default;
  virtual const std::string& name() const = 0;
  // Connects / subscribes; false with a clear `error` (never a secret) on failure.
  virtual bool start(std::string& error) = 0;
  virtual boost::asio::awaitable<void> run() = 0;
  virtual void stop_fetching() = 0;
  virtual void finish() = 0;
  // One line of counters for the status log, e.g. "messages=10 events=12 rejected=0".
  virtual std::string status() const = 0;
};

}  // namespace secfeed
