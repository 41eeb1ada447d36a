// Checkpoint and de-duplication of one (Graph source, tenant) stream.
//
// The stream is a sequence of pages. Each page is registered with the de-dup keys
// (id, version timestamp) of the items it handed out and the watermark it reaches;
// when every sink has acked a page (AckGroup -> page_done) it becomes committable in
// order, and commit_ready() writes the newest completed watermark together with the
// keys of every page up to it in ONE StateStore transaction. A crash replays from the
// last commit; the committed keys drop what the replay overlaps.
//
// De-dup keys expire with the watermark, not with the wall clock: a version older than
// `watermark - overlap` can no longer match the next window's `ge` filter, so its key is
// forgotten then (with a minute's margin). A long outage therefore never expires keys
// that a replay still needs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "connector/core/ack.hpp"
#include "connector/core/state_store.hpp"

namespace secfeed::graph {

// One item version handed out: its id, its version timestamp as sent, and that time.
struct VersionKey {
  std::string id, version;
  std::int64_t version_ms = 0;
};

class TenantCheckpoints {
 public:
  using Ticket = OrderedCheckpoints<std::uint64_t>::Ticket;
  static constexpr std::chrono::milliseconds kExpiryMargin{60'000};

  // `scope`: the StateStore scope, "<source name>/<tenant id>".
  TenantCheckpoints(StateStore& store, std::string scope, std::chrono::milliseconds overlap);

  // The committed watermark (ms since the epoch) from the store; nullopt on the first
  // run. False with `error` when the stored value is not a timestamp.
  bool load(std::optional<std::int64_t>& watermark, std::string& error);

  // True when (id, version) was committed or is in flight. Otherwise the key is now in
  // flight (so a later copy in the same or an overlapping window is a duplicate).
  bool check_and_claim(std::string_view id, std::string_view version);

  // Registers the next page (call in page order): the keys it handed out (claimed with
  // check_and_claim) and the watermark it reaches once delivered.
  Ticket begin_page(std::vector<VersionKey> keys, std::int64_t watermark_ms);
  // Every event of the page was delivered or dead-lettered. Thread-safe.
  void page_done(Ticket ticket);

  // Commits the completed prefix, if any. On a store failure nothing is lost: the
  // pages stay ready and the next call tries again. Not thread-safe against itself.
  bool commit_ready(std::string& error);

  std::optional<std::int64_t> committed_watermark() const;
  std::size_t pages_in_flight() const { return order_.in_flight(); }
  std::size_t keys_in_flight() const;
  const std::string& scope() const { return scope_; }

 private:
  struct Page {
    std::vector<VersionKey> keys;
    std::int64_t watermark_ms;
  };
  static std::string key_of(std::string_view id, std::string_view version);
  void load_committed_keys();  // with mutex_ held

  StateStore& store_;
  std::string scope_;
  std::chrono::milliseconds overlap_;
  OrderedCheckpoints<std::uint64_t> order_;  // checkpoint = the page's sequence number
  mutable std::mutex mutex_;                 // guards everything below
  std::uint64_t next_sequence_ = 0;
  std::optional<std::uint64_t> ready_through_;  // completed, not yet committed
  std::map<std::uint64_t, Page> pages_;         // registered, not yet committed
  std::unordered_set<std::string> in_flight_;   // key_of() of handed-out, uncommitted
  // key_of() -> expiry of every committed key: the store's rows, mirrored so that
  // check_and_claim() (once per alert) never reads SQLite. Few: only the keys a window
  // starting at `watermark - overlap` could still return. Loaded on first use.
  std::unordered_map<std::string, std::int64_t> committed_;
  bool committed_loaded_ = false;
  std::optional<std::int64_t> committed_ms_;
};

}  // namespace secfeed::graph
