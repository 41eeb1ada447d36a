// One tenant's secureScoreControlProfiles, normalized once per fetch and kept for the
// join onto control_score events (ControlProfileLookup) and for change detection: each
// profile carries a content hash (FNV-1a 64 of its JSON text) that the source compares
// with the hashes stored at the last delivered emission.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {

class ControlProfileCache : public ControlProfileLookup {
 public:
  struct Rejected {
    std::string position, reason, payload;
  };

  // Starts a new generation: the previous profiles stay readable until commit().
  void begin();
  // Adds one response page (a Graph list body); false with `error` when the body is not
  // a list. Items that fail to normalize are appended to `rejected`.
  bool add_page(std::string_view body, std::string_view source, std::string_view tenant_id,
                std::string_view tenant_name, std::vector<Rejected>& rejected, std::string& error);
  // Makes the new generation current.
  void commit();

  const Event* find(std::string_view control_name) const override;
  const EventBatch& events() const { return current_->events; }
  std::string_view hash(std::size_t index) const { return current_->hashes[index]; }
  bool loaded() const { return current_->loaded; }

  // The content-hash map as stored in the state store ({"id":"hash",...}) and back.
  std::string hashes_json() const;
  static std::map<std::string, std::string, std::less<>> parse_hashes(std::string_view json);

 private:
  // Kept for every tenant until the next refresh (a day by default), so sized to its
  // content: rapidjson's and Arena's 64 KB first chunks, made for multi-MB pages, would
  // cost ~130 KB per tenant that a list of control profiles mostly leaves empty.
  static constexpr std::size_t kPoolChunk = 16 * 1024;
  static constexpr std::size_t kArenaChunk = 4 * 1024;
  struct Generation {
    // Before `pages`: their values live in it, so it must be destroyed after them.
    rapidjson::MemoryPoolAllocator<> pool{kPoolChunk};
    std::vector<std::unique_ptr<rapidjson::Document>> pages;
    Arena arena{kArenaChunk};
    EventBatch events;
    std::vector<std::string> hashes;  // per event
    std::map<std::string, std::size_t, std::less<>> by_name;
    bool loaded = false;
  };
  std::unique_ptr<Generation> current_ = std::make_unique<Generation>();
  std::unique_ptr<Generation> next_;
};

// FNV-1a 64 as 16 lower-case hex digits (stable across runs and builds).
std::string content_hash(std::string_view text);

}  // namespace secfeed
