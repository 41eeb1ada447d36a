#include "connector/core/secret.hpp"

#include <gtest/gtest.h>

namespace secfeed {
namespace {

// Streaming a Secret must not compile.
template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
  os << value;
};
static_assert(!Streamable<Secret>);
static_assert(!std::is_convertible_v<Secret, std::string>);
static_assert(!std::is_convertible_v<std::string, Secret>);

TEST(SecretTest, RevealIsTheOnlyWayToTheValue) {
  const Secret secret("hunter2");
  EXPECT_EQ(secret.reveal(), "hunter2");
  EXPECT_EQ(secret.redacted(), "(redacted)");
  EXPECT_EQ(Secret().redacted(), "(empty)");
  EXPECT_TRUE(Secret().empty());
  EXPECT_EQ(::testing::PrintToString(secret), "(redacted)");
}

}  // namespace
}  // namespace secfeed
