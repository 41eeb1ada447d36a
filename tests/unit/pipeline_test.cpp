// The pipeline and the sink base: filters, acks only after delivery, retries, the
// retry limit, per-message rejection, backpressure and a draining stop().
#include "connector/pipeline/pipeline.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sinks/file/file_sink.hpp"
#include "tests/unit/support/run_process.hpp"
#include "tests/unit/support/scripted_sink.hpp"

namespace secfeed {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

using testing::ScriptedSink;

SinkOptions fast_options(std::string name, OutputFormat format = OutputFormat::raw) {
  SinkOptions o;
  o.name = std::move(name);
  o.format = format;
  o.retry_initial = milliseconds(1);
  o.retry_max = milliseconds(2);
  return o;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-pipeline-XXXXXX";
    dir_ = mkdtemp(dir_template);
    dead_letters_ = std::make_unique<DeadLetterOutput>(dir_ + "/dead.ndjson");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Events "e0".."e{n-1}"; odd ones are incidents, even ones alerts.
  void fill(EventBatch& batch, int n) {
    ids_.clear();
    for (int i = 0; i < n; ++i) ids_.push_back("e" + std::to_string(i));
    for (int i = 0; i < n; ++i) {
      Event& e = batch.add();
      e.kind = i % 2 ? EventKind::incident : EventKind::alert;
      e.id = ids_[static_cast<std::size_t>(i)];
      e.raw_text = e.id;
      e.source = "test";
    }
  }

  // Dispatches one batch, seals it, stops (drains) the pipeline; reports completion.
  // By default the sinks start after the whole batch is queued, so each sink sees it
  // as one batch and scripted results apply deterministically; a tiny queue needs the
  // sinks running first (`start_first`).
  bool run_batch(Pipeline& pipeline, int n, bool start_first = false) {
    EventBatch batch;
    fill(batch, n);
    bool completed = false;
    auto group = std::make_shared<AckGroup>([&] { completed = true; });
    if (start_first) pipeline.start();
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          co_await pipeline.dispatch(batch, group);
          if (!start_first) pipeline.start();
          group->seal();
          co_await pipeline.stop();
        },
        asio::detached);
    io_.run_for(std::chrono::seconds(20));
    return completed;
  }

  asio::io_context io_;
  std::string dir_;
  std::vector<std::string> ids_;
  std::unique_ptr<DeadLetterOutput> dead_letters_;
};

TEST_F(PipelineTest, FiltersEncodeAndAckOnlyAfterEverySinkDelivered) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  auto all =
      std::make_unique<ScriptedSink>(io_.get_executor(), fast_options("all"), dead_letters_.get());
  SinkOptions only_incidents = fast_options("incidents");
  only_incidents.filter.allow_kind(EventKind::incident);
  auto incidents =
      std::make_unique<ScriptedSink>(io_.get_executor(), only_incidents, dead_letters_.get());
  ScriptedSink* all_ptr = all.get();
  ScriptedSink* incidents_ptr = incidents.get();
  pipeline.add_sink(std::move(all));
  pipeline.add_sink(std::move(incidents));
  ASSERT_TRUE(run_batch(pipeline, 6));
  EXPECT_EQ(all_ptr->delivered, (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4", "e5"}));
  EXPECT_EQ(incidents_ptr->delivered, (std::vector<std::string>{"e1", "e3", "e5"}));
  EXPECT_EQ(all_ptr->stats().delivered.load(), 6u);
  EXPECT_EQ(pipeline.stats().events_in.load(), 6u);
}

TEST_F(PipelineTest, TransientFailuresAreRetriedUntilDeliveredWithNothingLost) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), fast_options("flaky"),
                                             dead_letters_.get());
  ScriptedSink* s = sink.get();
  s->script = {DeliveryResult{0, 0, "connection refused"}, DeliveryResult{2, 0, "reset"},
               DeliveryResult{0, 0, "timeout"}};
  pipeline.add_sink(std::move(sink));
  ASSERT_TRUE(run_batch(pipeline, 4));
  EXPECT_EQ(s->delivered, (std::vector<std::string>{"e0", "e1", "e2", "e3"}))
      << "each event delivered exactly once, in order";
  EXPECT_EQ(s->stats().failed_attempts.load(), 3u);
  EXPECT_EQ(s->stats().dead_lettered.load(), 0u);
}

TEST_F(PipelineTest, RejectedMessagesAndExhaustedRetriesGoToDeadLetterAndStillAck) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions options = fast_options("strict");
  options.retry_limit = 2;
  auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), options, dead_letters_.get());
  ScriptedSink* s = sink.get();
  // e0 delivered, e1 rejected (too large), then e2,e3 fail twice -> given up.
  s->script = {DeliveryResult{1, 1, "record larger than 1048576 bytes"},
               DeliveryResult{0, 0, "HTTP 503"}, DeliveryResult{0, 0, "HTTP 503"}};
  pipeline.add_sink(std::move(sink));
  ASSERT_TRUE(run_batch(pipeline, 4)) << "dead-lettered messages count as handled";
  EXPECT_EQ(s->delivered, (std::vector<std::string>{"e0"}));
  EXPECT_EQ(s->stats().dead_lettered.load(), 3u);
  const std::string dead = testing::read_file(dir_ + "/dead.ndjson");
  EXPECT_NE(dead.find("\"sink\":\"strict\",\"tenant_id\":\"\",\"position\":\"e1\","
                      "\"reason\":\"record larger than 1048576 bytes\",\"payload\":\"e1\""),
            std::string::npos)
      << dead;
  EXPECT_NE(dead.find("\"position\":\"e3\",\"reason\":\"gave up after 2 attempts: HTTP 503\""),
            std::string::npos)
      << dead;
}

TEST_F(PipelineTest, RetryAfterFromTheSinkReplacesTheBackoff) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions options = fast_options("throttled");
  options.retry_initial = std::chrono::hours(1);
  options.retry_max = std::chrono::hours(1);
  auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), options, dead_letters_.get());
  ScriptedSink* s = sink.get();
  s->script = {DeliveryResult{
      .delivered = 0, .rejected = 0, .error = "HTTP 429", .retry_after = milliseconds(1)}};
  pipeline.add_sink(std::move(sink));
  ASSERT_TRUE(run_batch(pipeline, 2)) << "waits the sink's Retry-After, not the 1 h backoff";
  EXPECT_EQ(s->delivered, (std::vector<std::string>{"e0", "e1"}));
}

TEST_F(PipelineTest, BackpressureWithATinyQueueStillDeliversEverything) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions options = fast_options("tiny");
  options.queue_max_events = 1;
  options.batch_max_events = 2;
  auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), options, dead_letters_.get());
  ScriptedSink* s = sink.get();
  pipeline.add_sink(std::move(sink));
  ASSERT_TRUE(run_batch(pipeline, 50, /*start_first=*/true));
  EXPECT_EQ(s->delivered.size(), 50u);
  EXPECT_GE(s->calls, 25) << "batches never exceed batch_max_events";
}

TEST_F(PipelineTest, NoAckWhileASinkCannotDeliver) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  auto sink =
      std::make_unique<ScriptedSink>(io_.get_executor(), fast_options("down"), dead_letters_.get());
  for (int i = 0; i < 10000; ++i) sink->script.push_back(DeliveryResult{0, 0, "down"});
  pipeline.add_sink(std::move(sink));
  EventBatch batch;
  fill(batch, 3);
  bool completed = false;
  auto group = std::make_shared<AckGroup>([&] { completed = true; });
  pipeline.start();
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        co_await pipeline.dispatch(batch, group);
        group->seal();
      },
      asio::detached);
  io_.run_for(milliseconds(200));
  EXPECT_FALSE(completed) << "the source must not commit what was not delivered";
  EXPECT_EQ(group->pending(), 3);
}

TEST_F(PipelineTest, FileSinkWritesOneLinePerEventAndRotates) {
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  FileSinkOptions file;
  file.path = dir_ + "/out.ndjson";
  file.rotate_max_bytes = 12;  // "eN\n" is 3 bytes: 4 lines per file
  file.rotate_max_files = 2;
  SinkOptions options = fast_options("file");
  options.batch_max_events = 4;
  pipeline.add_sink(
      std::make_unique<FileSink>(io_.get_executor(), options, file, dead_letters_.get()));
  ASSERT_TRUE(run_batch(pipeline, 10));
  const std::string current = testing::read_file(file.path);
  const std::string previous = testing::read_file(file.path + ".1");
  const std::string oldest = testing::read_file(file.path + ".2");
  EXPECT_EQ(oldest + previous + current, "e0\ne1\ne2\ne3\ne4\ne5\ne6\ne7\ne8\ne9\n");
  EXPECT_FALSE(std::filesystem::exists(file.path + ".3"));
}

TEST_F(PipelineTest, FileSinkCutsAPartialLineLeftByACrashBeforeAppending) {
  const std::string path = dir_ + "/crashed.ndjson";
  {
    std::ofstream file(path);
    file << "complete-1\ncomplete-2\n{\"half\":";  // kill -9 in the middle of a write
  }
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  FileSinkOptions file;
  file.path = path;
  pipeline.add_sink(std::make_unique<FileSink>(io_.get_executor(), fast_options("file"), file,
                                               dead_letters_.get()));
  ASSERT_TRUE(run_batch(pipeline, 2));
  EXPECT_EQ(testing::read_file(path), "complete-1\ncomplete-2\ne0\ne1\n");
}

TEST_F(PipelineTest, BatchWaitingForMoreNeverLosesAMessage) {
  // Messages trickle in while the sink waits for a fuller batch (HTTP sinks do): every
  // one must be delivered exactly once, whatever the timing.
  Pipeline pipeline(io_.get_executor(), *dead_letters_);
  SinkOptions options = fast_options("waiting");
  options.batch_max_wait = milliseconds(20);
  options.batch_max_events = 7;
  options.queue_max_events = 3;
  auto sink = std::make_unique<ScriptedSink>(io_.get_executor(), options, dead_letters_.get());
  ScriptedSink* s = sink.get();
  pipeline.add_sink(std::move(sink));
  pipeline.start();
  constexpr int kBatches = 40;
  std::vector<EventBatch> batches(kBatches);
  std::vector<std::string> ids;
  for (int b = 0; b < kBatches; ++b) {
    for (int i = 0; i < 3; ++i) ids.push_back("b" + std::to_string(b) + "e" + std::to_string(i));
  }
  int completed = 0;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer pause(io_);
        for (int b = 0; b < kBatches; ++b) {
          for (int i = 0; i < 3; ++i) {
            Event& e = batches[b].add();
            e.id = ids[static_cast<std::size_t>(b * 3 + i)];
            e.raw_text = e.id;
          }
          auto group = std::make_shared<AckGroup>([&] { ++completed; });
          co_await pipeline.dispatch(batches[b], group);
          group->seal();
          pause.expires_after(milliseconds(b % 4));  // irregular arrivals
          co_await pause.async_wait(asio::use_awaitable);
        }
        co_await pipeline.stop();
      },
      asio::detached);
  io_.run_for(std::chrono::seconds(30));
  EXPECT_EQ(completed, kBatches);
  EXPECT_EQ(s->delivered, ids) << "every message once, in order";
}

}  // namespace
}  // namespace secfeed
