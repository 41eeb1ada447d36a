// Readiness of every source, sink and tenant, for `/readyz` and `secfeed check`-style
// detail. Components report their state whenever it changes; the metrics server renders
// the whole table as JSON. Thread-safe.
//
// A component is identified by (kind, name, tenant): ("source", "alerts", "<tenant id>"),
// ("sink", "siem", ""). The process is ready when every reported component is ready.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace secfeed {

class HealthRegistry {
 public:
  static HealthRegistry& global();

  // `detail` is a short human-readable reason ("401 from token endpoint: AADSTS7000215
  // invalid client secret", "connected"); it must never hold a secret.
  void set(std::string_view kind, std::string_view name, std::string_view tenant, bool ready,
           std::string_view detail);
  void remove(std::string_view kind, std::string_view name, std::string_view tenant);

  bool ready() const;
  // {"ready":true,"components":[{"kind","name","tenant","ready","detail","since"}...]}
  std::string render_json() const;

  void clear();  // tests

 private:
  struct State {
    bool ready = false;
    std::string detail;
    std::int64_t since_ms = 0;  // when `ready` last changed
  };
  using Key = std::tuple<std::string, std::string, std::string>;
  mutable std::mutex mutex_;
  std::map<Key, State> components_;
};

}  // namespace secfeed
