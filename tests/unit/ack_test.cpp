#include "connector/core/ack.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace secfeed {
namespace {

TEST(AckGroup, CompletesOnceAfterSealAndEveryAck) {
  int completions = 0;
  auto group = std::make_shared<AckGroup>([&] { ++completions; });
  group->expect(3);
  group->ack();
  group->ack();
  group->ack();
  EXPECT_EQ(completions, 0) << "must not complete before the source sealed the batch";
  group->seal();
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(group->pending(), 0);
}

TEST(AckGroup, EmptyBatchCompletesOnSeal) {
  int completions = 0;
  AckGroup group([&] { ++completions; });
  group.seal();
  EXPECT_EQ(completions, 1);
}

TEST(AckGroup, ConcurrentAcksCompleteExactlyOnce) {
  std::atomic<int> completions{0};
  auto group = std::make_shared<AckGroup>([&] { completions.fetch_add(1); });
  constexpr int kThreads = 4, kPerThread = 10000;
  group->expect(kThreads * kPerThread);
  group->seal();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) group->ack();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(completions.load(), 1);
}

TEST(OrderedCheckpoints, CommitsOnlyTheContiguousCompletedPrefix) {
  OrderedCheckpoints<long> offsets;
  const auto a = offsets.begin(10);
  const auto b = offsets.begin(20);
  const auto c = offsets.begin(30);
  offsets.complete(c);
  EXPECT_EQ(offsets.committable(), std::nullopt) << "c finished first but a and b are pending";
  offsets.complete(a);
  EXPECT_EQ(offsets.committable(), 10);
  EXPECT_EQ(offsets.committable(), std::nullopt) << "returned once";
  offsets.complete(b);
  EXPECT_EQ(offsets.committable(), 30) << "b completes the prefix through c";
  EXPECT_EQ(offsets.in_flight(), 0u);
}

TEST(OrderedCheckpoints, AbandonKeepsCompletedPrefixAndIgnoresStaleTickets) {
  OrderedCheckpoints<long> offsets;
  const auto a = offsets.begin(1);
  const auto b = offsets.begin(2);
  offsets.complete(a);
  offsets.abandon();
  offsets.complete(b);  // stale: must not commit 2
  EXPECT_EQ(offsets.committable(), 1);
  EXPECT_EQ(offsets.committable(), std::nullopt);
  const auto c = offsets.begin(3);
  offsets.complete(c);
  EXPECT_EQ(offsets.committable(), 3);
}

}  // namespace
}  // namespace secfeed
