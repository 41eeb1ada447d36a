// TEMPORARY stub: replaced by graph_alert.cpp, graph_legacy_alert.cpp, graph_incident.cpp,
// secure_score.cpp, control_profile.cpp.
#include "connector/normalize/normalizer.hpp"

namespace secfeed {
namespace {
bool not_yet(std::string& error) {
  error = "not implemented";
  return false;
}
}  // namespace
bool normalize_graph_alert(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                           std::string& error) { return not_yet(error); }
bool normalize_graph_legacy_alert(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                                  std::string& error) { return not_yet(error); }
bool normalize_graph_incident(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                              std::string& error) { return not_yet(error); }
bool normalize_secure_score(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                            std::string& error) { return not_yet(error); }
bool normalize_control_profile(const rapidjson::Value&, const NormalizeContext&, EventBatch&,
                               std::string& error) { return not_yet(error); }
}  // namespace secfeed
