// The disk buffer's WAL (sinks/buffer/disk_queue.hpp): round trip, durability gating,
// restart recovery, damaged records (exact counts of what is skipped), segment
// rotation and deletion, when_full block and drop_oldest, the read-position file.
#include "sinks/buffer/disk_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "connector/core/metrics.hpp"
#include "sinks/buffer/record_format.hpp"

namespace secfeed::buffer {
namespace {

namespace fs = std::filesystem;

// Fixed-size records: id "e000".."e999", 64 payload bytes -> 108 bytes on disk each.
constexpr std::uint64_t kRecordSize = 108;

SinkMessage message(int i) {
  SinkMessage m;
  char id[8];
  std::snprintf(id, sizeof id, "e%03d", i);
  m.id = id;
  m.bytes = std::string(64, static_cast<char>('a' + i % 26));
  return m;
}

class DiskQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/secfeed-diskqueue-XXXXXX";
    dir_ = mkdtemp(dir_template);
    options_.path = dir_ + "/buffer";
    // Unique per test: the metrics registry is process-wide.
    options_.name =
        std::string("dq-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    options_.max_size = 1 << 20;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<DiskQueue> open() {
    base_sequence_ = 0;  // sequence numbers count from each open
    std::string error;
    std::unique_ptr<DiskQueue> queue = DiskQueue::open(options_, error);
    EXPECT_TRUE(queue) << error;
    return queue;
  }

  void append(DiskQueue& queue, int from, int to) {
    for (int i = from; i < to; ++i) {
      std::uint64_t sequence = 0;
      std::string error;
      ASSERT_EQ(queue.append(message(i), sequence, error), DiskQueue::Append::ok) << error;
      ASSERT_EQ(sequence, static_cast<std::uint64_t>(i - from + 1) + base_sequence_);
    }
    base_sequence_ += static_cast<std::uint64_t>(to - from);
  }

  void sync(DiskQueue& queue) {
    std::uint64_t durable = 0;
    std::string error;
    ASSERT_TRUE(queue.sync(durable, error)) << error;
  }

  std::vector<std::string> read_ids(DiskQueue& queue, std::size_t max = 1000) {
    std::vector<SinkMessage> batch;
    queue.read(batch, max, 1 << 30);
    std::vector<std::string> ids;
    for (const SinkMessage& m : batch) ids.push_back(m.id);
    return ids;
  }

  static std::vector<std::string> ids(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(message(i).id);
    return out;
  }

  std::vector<fs::path> segment_files() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(options_.path)) {
      if (entry.path().extension() == ".seg") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // Overwrites one byte of the only segment file.
  void flip_byte(std::uint64_t offset) {
    const fs::path file = segment_files().front();
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x5a));
  }

  double metric(std::string_view name) const {
    return metrics::Registry::global().value(name, {{"sink", options_.name}});
  }

  std::string dir_;
  DiskQueueOptions options_;
  std::uint64_t base_sequence_ = 0;
};

TEST_F(DiskQueueTest, RecordsRoundTripEveryField) {
  auto queue = open();
  SinkMessage m;
  m.bytes = std::string("CEF:0|Microsoft|\0binary\n", 24);
  m.kind = EventKind::secure_score;
  m.id = "alert-1";
  m.tenant_id = "tenant-a";
  m.source = "graph_alerts";
  m.time_ms = -1234567890123;
  m.syslog_severity = 2;
  std::uint64_t sequence = 0;
  std::string error;
  ASSERT_EQ(queue->append(m, sequence, error), DiskQueue::Append::ok);
  EXPECT_EQ(sequence, 1u);
  sync(*queue);
  std::vector<SinkMessage> batch;
  ASSERT_EQ(queue->read(batch, 10, 1 << 20), 1u);
  EXPECT_EQ(batch[0].bytes, m.bytes);
  EXPECT_EQ(batch[0].kind, EventKind::secure_score);
  EXPECT_EQ(batch[0].id, "alert-1");
  EXPECT_EQ(batch[0].tenant_id, "tenant-a");
  EXPECT_EQ(batch[0].source, "graph_alerts");
  EXPECT_EQ(batch[0].time_ms, -1234567890123);
  EXPECT_EQ(batch[0].syslog_severity, 2);
  EXPECT_FALSE(batch[0].ack);
  std::string encoded;
  append_record(m, encoded);
  EXPECT_EQ(queue->bytes(), encoded.size());
  EXPECT_EQ(metric("secfeed_buffer_bytes"), static_cast<double>(encoded.size()));
  EXPECT_EQ(metric("secfeed_buffer_records"), 1.0);
}

TEST_F(DiskQueueTest, OnlyDurableRecordsAreReadAndConsumedOnesAreNotReadAgain) {
  auto queue = open();
  append(*queue, 0, 3);
  EXPECT_EQ(read_ids(*queue), std::vector<std::string>{}) << "not yet synced";
  sync(*queue);
  append(*queue, 3, 5);
  EXPECT_EQ(read_ids(*queue), ids(0, 3));
  queue->consume(2);
  EXPECT_EQ(queue->records(), 3u);
  sync(*queue);
  EXPECT_EQ(read_ids(*queue), ids(2, 5)) << "the unconsumed rest of a read comes again";
  queue->consume(3);
  EXPECT_EQ(queue->records(), 0u);
  EXPECT_EQ(read_ids(*queue), std::vector<std::string>{});
}

TEST_F(DiskQueueTest, BatchesRespectMaxEventsAndMaxBytes) {
  auto queue = open();
  append(*queue, 0, 10);
  sync(*queue);
  std::vector<SinkMessage> batch;
  EXPECT_EQ(queue->read(batch, 4, 1 << 20), 4u);
  queue->consume(4);
  batch.clear();
  EXPECT_EQ(queue->read(batch, 100, 128), 2u) << "64-byte messages: the second reaches 128";
  queue->consume(2);
  batch.clear();
  EXPECT_EQ(queue->read(batch, 100, 1), 1u) << "at least one record";
}

TEST_F(DiskQueueTest, RestartResumesAfterTheLastDeliveredRecord) {
  {
    auto queue = open();
    append(*queue, 0, 10);
    sync(*queue);
    EXPECT_EQ(read_ids(*queue, 4), ids(0, 4));
    queue->consume(4);
    sync(*queue);
  }
  auto queue = open();
  EXPECT_EQ(queue->records(), 6u);
  EXPECT_EQ(queue->corrupt_records(), 0u);
  EXPECT_EQ(read_ids(*queue), ids(4, 10));
}

TEST_F(DiskQueueTest, RestartWithoutAStoredPositionDeliversEverything) {
  {
    auto queue = open();
    append(*queue, 0, 5);
    sync(*queue);
    read_ids(*queue);
    queue->consume(5);  // delivered, but the position was never stored (crash)
  }
  auto queue = open();
  EXPECT_EQ(read_ids(*queue), ids(0, 5)) << "at-least-once: delivered again, not lost";
}

TEST_F(DiskQueueTest, ATailCutMidRecordIsCountedAndTruncatedAndAppendsContinue) {
  {
    auto queue = open();
    append(*queue, 0, 10);
    sync(*queue);
  }
  fs::resize_file(segment_files().front(), 10 * kRecordSize - 5);
  auto queue = open();
  EXPECT_EQ(queue->corrupt_records(), 1u);
  EXPECT_EQ(metric("secfeed_buffer_corrupt_records_total"), 1.0);
  EXPECT_EQ(queue->records(), 9u);
  EXPECT_EQ(fs::file_size(segment_files().front()), 9 * kRecordSize) << "cut at the last intact";
  append(*queue, 10, 11);
  sync(*queue);
  std::vector<std::string> expected = ids(0, 9);
  expected.push_back("e010");
  EXPECT_EQ(read_ids(*queue), expected);
}

TEST_F(DiskQueueTest, AHeaderCutShortIsCountedOnce) {
  {
    auto queue = open();
    append(*queue, 0, 3);
    sync(*queue);
  }
  fs::resize_file(segment_files().front(), 2 * kRecordSize + 7);  // 7 of 12 header bytes
  auto queue = open();
  EXPECT_EQ(queue->corrupt_records(), 1u);
  EXPECT_EQ(read_ids(*queue), ids(0, 2));
}

TEST_F(DiskQueueTest, AFlippedPayloadByteSkipsExactlyThatRecord) {
  {
    auto queue = open();
    append(*queue, 0, 10);
    sync(*queue);
  }
  flip_byte(4 * kRecordSize + 50);  // inside e004's payload
  auto queue = open();
  EXPECT_EQ(queue->corrupt_records(), 1u);
  EXPECT_EQ(queue->records(), 9u);
  std::vector<std::string> expected = ids(0, 4);
  for (const std::string& id : ids(5, 10)) expected.push_back(id);
  EXPECT_EQ(read_ids(*queue), expected);
  EXPECT_EQ(queue->corrupt_records(), 1u) << "reading does not count it again";
}

TEST_F(DiskQueueTest, AFlippedMagicOrLengthSkipsToTheNextIntactRecord) {
  {
    auto queue = open();
    append(*queue, 0, 10);
    sync(*queue);
  }
  flip_byte(2 * kRecordSize);      // e002's magic
  flip_byte(6 * kRecordSize + 7);  // e006's length (high byte): past the end of the file
  auto queue = open();
  EXPECT_EQ(queue->corrupt_records(), 2u);
  EXPECT_EQ(read_ids(*queue), (std::vector<std::string>{"e000", "e001", "e003", "e004", "e005",
                                                        "e007", "e008", "e009"}));
}

TEST_F(DiskQueueTest, GarbageAfterTheLastRecordIsCut) {
  {
    auto queue = open();
    append(*queue, 0, 2);
    sync(*queue);
  }
  {
    std::ofstream f(segment_files().front(), std::ios::app | std::ios::binary);
    f << std::string(300, 'x');
  }
  auto queue = open();
  EXPECT_EQ(queue->corrupt_records(), 1u);
  EXPECT_EQ(fs::file_size(segment_files().front()), 2 * kRecordSize);
  EXPECT_EQ(read_ids(*queue), ids(0, 2));
}

TEST_F(DiskQueueTest, SegmentsRotateAndDeliveredOnesAreDeleted) {
  options_.segment_size = 10 * kRecordSize;
  auto queue = open();
  append(*queue, 0, 35);
  sync(*queue);
  EXPECT_EQ(queue->segments(), 4u);
  EXPECT_EQ(segment_files().size(), 4u);
  EXPECT_EQ(queue->bytes(), 35 * kRecordSize);
  EXPECT_EQ(read_ids(*queue, 25), ids(0, 25));
  queue->consume(25);
  sync(*queue);
  EXPECT_EQ(segment_files().size(), 2u) << "the two segments delivered completely are gone";
  EXPECT_EQ(queue->bytes(), 15 * kRecordSize);
  EXPECT_EQ(queue->records(), 10u);
  EXPECT_EQ(metric("secfeed_buffer_records"), 10.0);
  queue.reset();
  queue = open();
  EXPECT_EQ(read_ids(*queue), ids(25, 35));
}

TEST_F(DiskQueueTest, BlockReportsFullUntilDeliveryFreesASegment) {
  options_.segment_size = 10 * kRecordSize;
  options_.max_size = 40 * kRecordSize;
  auto queue = open();
  append(*queue, 0, 40);
  std::uint64_t sequence = 0;
  std::string error;
  EXPECT_EQ(queue->append(message(40), sequence, error), DiskQueue::Append::full);
  EXPECT_EQ(queue->records(), 40u);
  sync(*queue);
  read_ids(*queue, 5);
  queue->consume(5);
  sync(*queue);
  EXPECT_EQ(queue->append(message(40), sequence, error), DiskQueue::Append::full)
      << "space is freed a segment at a time";
  read_ids(*queue, 5);
  queue->consume(5);
  sync(*queue);
  EXPECT_EQ(queue->append(message(40), sequence, error), DiskQueue::Append::ok);
  EXPECT_EQ(queue->dropped(), 0u);
}

TEST_F(DiskQueueTest, DropOldestDeletesWholeOldestSegmentsAndCountsThem) {
  options_.segment_size = 10 * kRecordSize;
  options_.max_size = 40 * kRecordSize;
  options_.drop_oldest = true;
  auto queue = open();
  append(*queue, 0, 100);
  // Records 40, 50, ..., 90 each needed a new segment: the oldest (10 records) went.
  EXPECT_EQ(queue->dropped(), 60u);
  EXPECT_EQ(metric("secfeed_buffer_dropped_total"), 60.0);
  EXPECT_EQ(queue->records(), 40u);
  EXPECT_EQ(queue->bytes(), 40 * kRecordSize);
  sync(*queue);
  EXPECT_EQ(read_ids(*queue), ids(60, 100));
}

TEST_F(DiskQueueTest, DropOldestCountsOnlyUndeliveredRecords) {
  options_.segment_size = 10 * kRecordSize;
  options_.max_size = 20 * kRecordSize;
  options_.drop_oldest = true;
  auto queue = open();
  append(*queue, 0, 20);
  sync(*queue);
  read_ids(*queue, 4);
  queue->consume(4);  // delivered, position not stored yet: the segment is still there
  append(*queue, 20, 21);
  EXPECT_EQ(queue->dropped(), 6u);
  EXPECT_EQ(queue->records(), 11u);
  sync(*queue);
  EXPECT_EQ(read_ids(*queue), ids(10, 21));
}

TEST_F(DiskQueueTest, AMessageLargerThanTheBufferIsRefused) {
  options_.max_size = 1000;
  auto queue = open();
  SinkMessage big = message(0);
  big.bytes.assign(1000, 'x');
  std::uint64_t sequence = 0;
  std::string error;
  EXPECT_EQ(queue->append(big, sequence, error), DiskQueue::Append::too_large);
  EXPECT_EQ(error, "message of 1044 bytes does not fit in the disk buffer (max_size 1000)");
}

TEST_F(DiskQueueTest, ADamagedPositionFileMeansDeliveringFromTheOldestRecord) {
  {
    auto queue = open();
    append(*queue, 0, 6);
    sync(*queue);
    read_ids(*queue, 3);
    queue->consume(3);
    sync(*queue);
  }
  {
    std::ofstream f(options_.path + "/read-position", std::ios::binary | std::ios::trunc);
    f << std::string(64, '\x7f');
  }
  auto queue = open();
  EXPECT_EQ(read_ids(*queue), ids(0, 6));
}

TEST_F(DiskQueueTest, TheNewerOfTheTwoPositionSlotsWins) {
  {
    auto queue = open();
    append(*queue, 0, 6);
    sync(*queue);
    for (int i = 0; i < 3; ++i) {  // three stores: slots written in turn
      read_ids(*queue, 1);
      queue->consume(1);
      sync(*queue);
    }
  }
  auto queue = open();
  EXPECT_EQ(read_ids(*queue), ids(3, 6));
}

TEST_F(DiskQueueTest, OneProcessPerBufferDirectory) {
  auto queue = open();
  std::string error;
  EXPECT_FALSE(DiskQueue::open(options_, error));
  EXPECT_EQ(error, "sink " + options_.name + ": disk buffer " + options_.path +
                       ": in use by another process (or another sink with the same path)");
}

TEST_F(DiskQueueTest, RandomDamageNeverCrashesAndIntactRecordsSurvive) {
  options_.segment_size = 1 << 20;
  {
    auto queue = open();
    append(*queue, 0, 200);
    sync(*queue);
  }
  const fs::path file = segment_files().front();
  const auto size = fs::file_size(file);
  std::uint64_t seed = 42;
  for (int i = 0; i < 30; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    flip_byte((seed >> 33) % size);
  }
  auto queue = open();
  std::vector<std::string> got = read_ids(*queue);
  EXPECT_GE(got.size(), 200u - 30u);
  EXPECT_LE(queue->corrupt_records(), 30u);
  EXPECT_GE(queue->corrupt_records(), 1u);
  for (std::size_t i = 1; i < got.size(); ++i) EXPECT_LT(got[i - 1], got[i]) << "in order";
}

}  // namespace
}  // namespace secfeed::buffer
