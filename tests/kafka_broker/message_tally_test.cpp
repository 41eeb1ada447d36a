#include "tests/kafka_broker/message_tally.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace secfeed::testkafka {
namespace {

TEST(MessageTally, CountsPartitionsDuplicatesAndGaps) {
  MessageTally tally;
  tally.add(0, 0, "k1", "a");
  tally.add(0, 1, "k2", "b");
  tally.add(0, 5, "k1", "c");           // Key seen before; offsets 2..4 missing.
  tally.add(1, 10, std::nullopt, "a");  // Payload seen before; partition starts at 10.
  tally.add(1, 11, std::nullopt, "d");

  EXPECT_EQ(tally.total(), 5);
  EXPECT_EQ(tally.keyed(), 3);
  EXPECT_EQ(tally.duplicate_keys(), 1);
  EXPECT_EQ(tally.duplicate_payloads(), 1);
  EXPECT_EQ(tally.gap_offsets(), 3);
  const MessageTally::PartitionStats& p1 = tally.partitions().at(1);
  EXPECT_EQ(p1.count, 2);
  EXPECT_EQ(p1.first_offset, 10);
  EXPECT_EQ(p1.last_offset, 11);
}

TEST(MessageTally, RedeliveryIsADuplicateNotAGap) {
  MessageTally tally;
  tally.add(0, 0, std::nullopt, "a");
  tally.add(0, 1, std::nullopt, "b");
  tally.add(0, 0, std::nullopt, "a");  // Re-read after a rebalance.
  tally.add(0, 1, std::nullopt, "b");
  EXPECT_EQ(tally.duplicate_payloads(), 2);
  EXPECT_EQ(tally.gap_offsets(), 0);
}

TEST(MessageTally, PrintsOneFactPerLine) {
  MessageTally tally;
  tally.add(2, 0, "k", "x");
  tally.add(0, 0, std::nullopt, "y");
  char buffer[512] = {};
  std::FILE* out = fmemopen(buffer, sizeof buffer - 1, "w");
  ASSERT_NE(out, nullptr);
  tally.print(out);
  std::fclose(out);
  EXPECT_STREQ(buffer,
               "total 2\n"
               "partition 0 count=1 first=0 last=0 gaps=0\n"
               "partition 2 count=1 first=0 last=0 gaps=0\n"
               "keyed 1\n"
               "duplicate_keys 0\n"
               "duplicate_payloads 0\n"
               "gap_offsets 0\n");
}

}  // namespace
}  // namespace secfeed::testkafka
