// A secret (client secret, key password, SASL password, connection string) that cannot
// be printed by accident.
//
// Secrets leak through logs, error messages and test failure output. Secret has no
// implicit conversion, no operator<< (it is deleted, so streaming one fails to compile)
// and GoogleTest prints it redacted. The plain text is only reachable through the
// explicitly named reveal(), which is easy to grep for in review.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace secfeed {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  bool empty() const { return value_.empty(); }
  // The secret itself: pass it to the one API that needs it, never to a formatter.
  const std::string& reveal() const { return value_; }
  // What logs, errors and `secfeed validate` show: "(redacted)" or "(empty)".
  std::string_view redacted() const { return value_.empty() ? "(empty)" : "(redacted)"; }

  bool operator==(const Secret&) const = default;

 private:
  std::string value_;
};

std::ostream& operator<<(std::ostream& os, const Secret& secret) = delete;
// GoogleTest's printer hook: a failing EXPECT_EQ on a Secret prints it redacted.
void PrintTo(const Secret& secret, std::ostream* os);

}  // namespace secfeed
