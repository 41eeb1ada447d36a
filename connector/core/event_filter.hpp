// Per-sink event filter (the config's `sinks[].filter`): which events a sink takes.
// An empty list means "any". A sink's ack count only includes events its filter
// accepted, so a filtered-out event never holds back a source checkpoint.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "connector/core/event.hpp"

namespace secfeed {

class EventFilter {
 public:
  EventFilter() = default;

  void allow_kind(EventKind kind) { kinds_.set(static_cast<std::size_t>(kind)); }
  void set_min_severity(Severity severity) { min_severity_ = severity; }
  void allow_source(std::string source) { sources_.push_back(std::move(source)); }
  void allow_tenant(std::string tenant) { tenants_.push_back(std::move(tenant)); }

  bool accepts(const Event& event) const;
  bool accepts_everything() const {
    return kinds_.none() && min_severity_ == Severity::unknown && sources_.empty() &&
           tenants_.empty();
  }

 private:
  std::bitset<kEventKindCount> kinds_;
  Severity min_severity_ = Severity::unknown;
  std::vector<std::string> sources_;
  std::vector<std::string> tenants_;  // tenant ids or display names, case-insensitive
};

}  // namespace secfeed
