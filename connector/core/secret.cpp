#include "connector/core/secret.hpp"

#include <ostream>

namespace secfeed {

void PrintTo(const Secret& secret, std::ostream* os) {
  *os << secret.redacted();
}

}  // namespace secfeed
