#include "connector/core/health.hpp"

#include <chrono>

#include "sinks/encoders/json_output.hpp"

namespace secfeed {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HealthRegistry& HealthRegistry::global() {
  static HealthRegistry registry;
  return registry;
}

void HealthRegistry::set(std::string_view kind, std::string_view name, std::string_view tenant,
                         bool ready, std::string_view detail) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] =
      components_.try_emplace(Key{std::string(kind), std::string(name), std::string(tenant)});
  State& state = it->second;
  if (inserted || state.ready != ready) state.since_ms = wall_ms();
  state.ready = ready;
  state.detail.assign(detail);
}

void HealthRegistry::remove(std::string_view kind, std::string_view name, std::string_view tenant) {
  std::lock_guard lock(mutex_);
  components_.erase(Key{std::string(kind), std::string(name), std::string(tenant)});
}

bool HealthRegistry::ready() const {
  std::lock_guard lock(mutex_);
  for (const auto& [key, state] : components_) {
    if (!state.ready) return false;
  }
  return true;
}

std::string HealthRegistry::render_json() const {
  std::lock_guard lock(mutex_);
  bool all_ready = true;
  std::string items;
  for (const auto& [key, state] : components_) {
    all_ready = all_ready && state.ready;
    if (!items.empty()) items += ',';
    items += "{\"kind\":";
    append_json_string(items, std::get<0>(key));
    items += ",\"name\":";
    append_json_string(items, std::get<1>(key));
    items += ",\"tenant\":";
    append_json_string(items, std::get<2>(key));
    items += state.ready ? ",\"ready\":true" : ",\"ready\":false";
    items += ",\"detail\":";
    append_json_string(items, state.detail);
    items += ",\"since_ms\":";
    append_json_integer(items, state.since_ms);
    items += '}';
  }
  return std::string("{\"ready\":") + (all_ready ? "true" : "false") + ",\"components\":[" + items +
         "]}";
}

void HealthRegistry::clear() {
  std::lock_guard lock(mutex_);
  components_.clear();
}

}  // namespace secfeed
