// poll_start_delay_ms: how late a Graph polling round starts against its plan (the
// previous start plus the delay chosen after it), as exported in
// secfeed_graph_poll_start_delay_seconds.
#include <gtest/gtest.h>

#include "connector/sources/graph/tenant_poller.hpp"

namespace secfeed::graph {
namespace {

TEST(PollStartDelay, FirstRoundHasNoPlanAndIsNeverLate) {
  EXPECT_EQ(poll_start_delay_ms(std::nullopt, 60'000, 5'000'000), 0);
}

TEST(PollStartDelay, OnTimeRoundIsZero) {
  EXPECT_EQ(poll_start_delay_ms(1'000'000, 60'000, 1'060'000), 0);
}

TEST(PollStartDelay, PreviousRoundDurationMakesTheNextLate) {
  // Started at 1,000 s, took 12.5 s, then slept the 60 s interval.
  EXPECT_EQ(poll_start_delay_ms(1'000'000, 60'000, 1'072'500), 12'500);
}

TEST(PollStartDelay, BackoffDelayIsPartOfThePlan) {
  // After a failure the loop planned a 120 s backoff: starting 121 s later is 1 s late.
  EXPECT_EQ(poll_start_delay_ms(1'000'000, 120'000, 1'121'000), 1'000);
}

TEST(PollStartDelay, EarlyStartIsClampedToZero) {
  // stop()/cancel wakes the loop early; that is not negative lateness.
  EXPECT_EQ(poll_start_delay_ms(1'000'000, 60'000, 1'030'000), 0);
}

}  // namespace
}  // namespace secfeed::graph
