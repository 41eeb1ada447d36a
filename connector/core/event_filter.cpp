#include "connector/core/event_filter.hpp"

#include "connector/core/text.hpp"

namespace secfeed {

bool EventFilter::accepts(const Event& event) const {
  if (kinds_.any() && !kinds_.test(static_cast<std::size_t>(event.kind))) return false;
  // Severities are ordered unknown < informational < ... < critical; with a minimum set,
  // an event of unknown severity is let through only when the minimum is `unknown`.
  if (event.severity < min_severity_) return false;
  if (!sources_.empty()) {
    bool found = false;
    for (const std::string& s : sources_) found = found || s == event.source;
    if (!found) return false;
  }
  if (!tenants_.empty()) {
    bool found = false;
    for (const std::string& t : tenants_) {
      found = found || iequals(t, event.tenant_id) ||
              (!event.tenant_name.empty() && iequals(t, event.tenant_name));
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace secfeed
