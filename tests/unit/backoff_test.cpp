#include "connector/core/backoff.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpToTheCap) {
  Backoff b(milliseconds(100), milliseconds(1000), 1);
  EXPECT_EQ(b.ceiling(1), milliseconds(100));
  EXPECT_EQ(b.ceiling(2), milliseconds(200));
  EXPECT_EQ(b.ceiling(4), milliseconds(800));
  EXPECT_EQ(b.ceiling(5), milliseconds(1000));
  EXPECT_EQ(b.ceiling(500), milliseconds(1000)) << "no overflow for huge attempt counts";
}

TEST(Backoff, JitteredDelayStaysWithinTheCeilingAndVaries) {
  Backoff b(milliseconds(100), milliseconds(1000), 42);
  bool varied = false;
  milliseconds first = b.next(5);
  for (int i = 0; i < 200; ++i) {
    const milliseconds d = b.next(5);
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d, milliseconds(1000));
    varied = varied || d != first;
  }
  EXPECT_TRUE(varied) << "full jitter must spread retries";
}

}  // namespace
}  // namespace secfeed
