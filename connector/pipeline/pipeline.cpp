#include "connector/pipeline/pipeline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sinks/encoders/encode.hpp"
#include "sinks/encoders/syslog_framing.hpp"

namespace secfeed {

namespace asio = boost::asio;

Pipeline::Pipeline(asio::any_io_executor executor, DeadLetterOutput& dead_letters)
    : executor_(executor),
      dead_letters_(dead_letters),
      all_stopped_(executor, asio::steady_timer::time_point::max()) {}

Pipeline::~Pipeline() = default;

void Pipeline::add_sink(std::unique_ptr<Sink> sink) {
  sinks_.push_back(std::move(sink));
}

asio::awaitable<void> Pipeline::dispatch(const EventBatch& batch, const AckHandle& group) {
  for (const Event& event : batch) {
    stats_.events_in.fetch_add(1, std::memory_order_relaxed);
    for (const std::unique_ptr<Sink>& sink : sinks_) {
      if (!sink->options().filter.accepts(event)) continue;
      SinkMessage message;
      // Encoded into a reused buffer, then copied at its exact size: growing each
      // message's string from empty took ~7 reallocations per event.
      scratch_.clear();
      if (!encode_event(sink->options().format, event, scratch_)) {
        // A format this build cannot produce was configured: say so once per event
        // rather than dropping it silently.
        stats_.unencodable.fetch_add(1, std::memory_order_relaxed);
        DeadLetter letter;
        letter.stage = "encode";
        letter.source = event.source;
        letter.sink = sink->name();
        letter.tenant_id = event.tenant_id;
        letter.position = event.id;
        letter.reason = "the sink's format is not implemented in this build";
        letter.payload = event.raw_text;
        dead_letters_.write(letter);
        continue;
      }
      message.bytes.assign(scratch_);
      message.ack = group;
      message.kind = event.kind;
      message.id = event.id;
      message.tenant_id = event.tenant_id;
      message.source = event.source;
      message.time_ms = event.time_ms;
      message.syslog_severity = syslog_severity_for(event);
      group->expect(1);
      co_await sink->enqueue(std::move(message));
    }
  }
}

void Pipeline::reject(const DeadLetter& letter) {
  stats_.records_rejected.fetch_add(1, std::memory_order_relaxed);
  dead_letters_.write(letter);
}

void Pipeline::start() {
  for (const std::unique_ptr<Sink>& sink : sinks_) {
    ++running_;
    asio::co_spawn(executor_, sink->run(), [this](std::exception_ptr) {
      if (--running_ == 0) all_stopped_.cancel();
    });
  }
}

asio::awaitable<void> Pipeline::stop() {
  for (const std::unique_ptr<Sink>& sink : sinks_) co_await sink->close();
  if (running_ > 0) co_await all_stopped_.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace secfeed
