// A sink with `buffer: {type: disk}` (Sink + DiskBuffer): while the sink is down its
// events are acked to the source as soon as they are durably buffered; once it is back
// every event is delivered exactly once, in order, also across a restart.
#include <gtest/gtest.h>

#include <filesystem>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "connector/pipeline/pipeline.hpp"
#include "sinks/buffer/disk_buffer.hpp"
#include "tests/unit/support/scripted_sink.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using testing::ScriptedSink;

class DiskBufferSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-diskbuffer-XXXXXX";
    dir_ = mkdtemp(dir_template);
    dead_letters_ = std::make_unique<DeadLetterOutput>(dir_ + "/dead.ndjson");
    ids_.reserve(1000);  // events view their ids: no reallocation
    options_.path = dir_ + "/buffer";
    options_.name =
        std::string("dbs-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A pipeline with one scripted sink on a disk buffer at options_.path.
  ScriptedSink* build(Pipeline& pipeline, bool down) {
    SinkOptions o;
    o.name = options_.name;
    o.format = OutputFormat::raw;
    o.retry_initial = milliseconds(1);
    o.retry_max = milliseconds(5);
    o.batch_max_events = 4;
    auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), o, dead_letters_.get());
    sink->hold = down;
    std::string error;
    std::unique_ptr<DiskBuffer> buffer = DiskBuffer::open(io_.get_executor(), options_, error);
    EXPECT_TRUE(buffer) << error;
    sink->use_disk_buffer(std::move(buffer));
    ScriptedSink* raw = sink.get();
    pipeline.add_sink(std::move(sink));
    return raw;
  }

  // Runs the io_context until `done` or 20 s passed; returns done().
  template <class Done>
  bool run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(milliseconds(10));
    }
    return done();
  }

  // Dispatches events ids[from, to) as one source batch; `completed` when all acked.
  void dispatch(Pipeline& pipeline, int from, int to, bool& completed) {
    auto batch = std::make_shared<EventBatch>();
    for (int i = from; i < to; ++i) {
      ids_.push_back("e" + std::to_string(i));
      Event& e = batch->add();
      e.id = ids_.back();
      e.raw_text = e.id;
      e.source = "test";
    }
    auto group = std::make_shared<AckGroup>([&completed] { completed = true; });
    asio::co_spawn(
        io_,
        [&pipeline, batch, group]() -> asio::awaitable<void> {
          co_await pipeline.dispatch(*batch, group);
          group->seal();
        },
        asio::detached);
  }

  void stop(Pipeline& pipeline) {
    bool stopped = false;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          co_await pipeline.stop();
          stopped = true;
        },
        asio::detached);
    ASSERT_TRUE(run_until([&] { return stopped; })) << "stop() must not wait for a down sink";
  }

  asio::io_context io_;
  std::string dir_;
  buffer::DiskQueueOptions options_;
  std::unique_ptr<DeadLetterOutput> dead_letters_;
  std::vector<std::string> ids_;
};

TEST_F(DiskBufferSinkTest, ADownSinkDoesNotHoldBackTheSourceAndDeliversOnceWhenBack) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  ScriptedSink* sink = build(pipeline, /*down=*/true);
  pipeline.start();
  bool first = false, second = false;
  dispatch(pipeline, 0, 10, first);
  dispatch(pipeline, 10, 25, second);
  ASSERT_TRUE(run_until([&] { return first && second; }))
      << "events are acked once durably buffered, while the sink is down";
  EXPECT_TRUE(sink->delivered.empty());
  EXPECT_EQ(sink->queue_depth(), 25u);
  ASSERT_TRUE(run_until([&] { return sink->calls >= 3; }));  // retrying meanwhile
  sink->hold = false;
  ASSERT_TRUE(run_until([&] { return sink->delivered.size() >= 25; }));
  EXPECT_EQ(sink->delivered, ids_) << "every event once, in order";
  EXPECT_EQ(sink->stats().delivered.load(), 25u);
  EXPECT_EQ(sink->queue_depth(), 0u);
  stop(pipeline);
  EXPECT_EQ(sink->delivered, ids_);
}

TEST_F(DiskBufferSinkTest, BufferedEventsAreDeliveredExactlyOnceAfterARestart) {
  {
    Pipeline pipeline(io_.get_executor(), *dead_letters_);
    ScriptedSink* sink = build(pipeline, /*down=*/true);
    pipeline.start();
    bool completed = false;
    dispatch(pipeline, 0, 10, completed);
    ASSERT_TRUE(run_until([&] { return completed; }));
    stop(pipeline);
    EXPECT_TRUE(sink->delivered.empty());
  }
  io_.restart();
  std::vector<std::string> delivered;
  {
    Pipeline pipeline(io_.get_executor(), *dead_letters_);
    ScriptedSink* sink = build(pipeline, /*down=*/false);
    // Two at first, then a failure: the batch's rest is retried, the prefix is not.
    sink->script = {DeliveryResult{2, 0, "reset"}, DeliveryResult{0, 0, "timeout"}};
    pipeline.start();
    ASSERT_TRUE(run_until([&] { return sink->delivered.size() >= 10; }));
    stop(pipeline);
    delivered = sink->delivered;
  }
  EXPECT_EQ(delivered, ids_);
  io_.restart();
  {
    Pipeline pipeline(io_.get_executor(), *dead_letters_);
    ScriptedSink* sink = build(pipeline, /*down=*/false);
    pipeline.start();
    io_.run_for(milliseconds(100));
    EXPECT_TRUE(sink->delivered.empty()) << "nothing is delivered twice";
    EXPECT_EQ(sink->queue_depth(), 0u);
    stop(pipeline);
  }
}

TEST_F(DiskBufferSinkTest, AFullBufferBlocksTheSourceUntilTheSinkDelivers) {
  // Records of e0..e9 are 48 bytes, of e10..e99 50: segments of 500 bytes hold 10;
  // the fifth segment would pass max_size.
  options_.max_size = 2000;
  options_.segment_size = 500;
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  ScriptedSink* sink = build(pipeline, /*down=*/true);
  pipeline.start();
  bool completed = false;
  dispatch(pipeline, 0, 100, completed);
  ASSERT_TRUE(run_until([&] { return sink->queue_depth() == 40 && sink->calls >= 3; }));
  io_.run_for(milliseconds(50));
  EXPECT_FALSE(completed) << "the source waits while the buffer is full";
  EXPECT_EQ(sink->queue_depth(), 40u);
  sink->hold = false;
  ASSERT_TRUE(run_until([&] { return completed && sink->delivered.size() >= 100; }));
  EXPECT_EQ(sink->delivered, ids_) << "every event once, in order";
  stop(pipeline);
}

TEST_F(DiskBufferSinkTest, AMessageLargerThanTheBufferIsDeadLetteredAndAcked) {
  options_.max_size = 200;
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  ScriptedSink* sink = build(pipeline, /*down=*/false);
  pipeline.start();
  EventBatch batch;
  Event& e = batch.add();
  e.id = "big";
  const std::string text(500, 'x');
  e.raw_text = text;
  bool completed = false;
  auto group = std::make_shared<AckGroup>([&] { completed = true; });
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        co_await pipeline.dispatch(batch, group);
        group->seal();
      },
      asio::detached);
  ASSERT_TRUE(run_until([&] { return completed; }));
  EXPECT_EQ(sink->stats().dead_lettered.load(), 1u);
  stop(pipeline);
}

}  // namespace
}  // namespace secfeed
