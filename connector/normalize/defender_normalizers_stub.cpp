// TEMPORARY stub: replaced by the defender_*.cpp normalizers.
#include "connector/normalize/normalizer.hpp"

namespace secfeed {
bool normalize_defender_record(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                               std::string& error) {
  error = "not implemented";
  return false;
}
}  // namespace secfeed
