#include "connector/sources/graph/graph_checkpoint.hpp"

#include <algorithm>

#include "connector/core/time.hpp"

namespace secfeed::graph {

namespace {
constexpr std::string_view kWatermarkKey = "watermark";
}

TenantCheckpoints::TenantCheckpoints(StateStore& store, std::string scope,
                                     std::chrono::milliseconds overlap)
    : store_(store), scope_(std::move(scope)), overlap_(overlap) {}

std::string TenantCheckpoints::key_of(std::string_view id, std::string_view version) {
  std::string key;
  key.reserve(id.size() + version.size() + 1);
  key.append(id).append(1, '\n').append(version);  // '\n' cannot occur in either
  return key;
}

bool TenantCheckpoints::load(std::optional<std::int64_t>& watermark, std::string& error) {
  watermark.reset();
  const std::optional<std::string> stored = store_.get(scope_, kWatermarkKey);
  if (!stored) return true;
  const std::optional<std::int64_t> ms = parse_iso8601_ms(*stored);
  if (!ms) {
    error = "state " + scope_ + ": stored watermark '" + *stored + "' is not a timestamp";
    return false;
  }
  std::lock_guard lock(mutex_);
  committed_ms_ = *ms;
  watermark = *ms;
  return true;
}

void TenantCheckpoints::load_committed_keys() {
  if (committed_loaded_) return;
  for (StateStore::Commit::Seen& seen : store_.seen_keys(scope_)) {
    committed_.emplace(key_of(seen.id, seen.version), seen.expires_ms);
  }
  committed_loaded_ = true;
}

bool TenantCheckpoints::check_and_claim(std::string_view id, std::string_view version) {
  std::string key = key_of(id, version);
  std::lock_guard lock(mutex_);
  load_committed_keys();
  if (committed_.count(key) > 0) return true;
  return !in_flight_.insert(std::move(key)).second;
}

TenantCheckpoints::Ticket TenantCheckpoints::begin_page(std::vector<VersionKey> keys,
                                                        std::int64_t watermark_ms) {
  std::lock_guard lock(mutex_);
  const std::uint64_t sequence = next_sequence_++;
  pages_.emplace(sequence, Page{std::move(keys), watermark_ms});
  return order_.begin(sequence);
}

void TenantCheckpoints::page_done(Ticket ticket) {
  order_.complete(ticket);
}

bool TenantCheckpoints::commit_ready(std::string& error) {
  std::lock_guard lock(mutex_);
  if (const std::optional<std::uint64_t> through = order_.committable()) {
    ready_through_ = std::max(ready_through_.value_or(0), *through);
  }
  if (!ready_through_) return true;
  const auto end = pages_.upper_bound(*ready_through_);
  if (end == pages_.begin()) {
    ready_through_.reset();
    return true;
  }

  StateStore::Commit commit;
  commit.scope = scope_;
  std::int64_t watermark = committed_ms_.value_or(INT64_MIN);
  for (auto it = pages_.begin(); it != end; ++it) {
    watermark = std::max(watermark, it->second.watermark_ms);
    for (const VersionKey& key : it->second.keys) {
      // Kept while a window starting at `watermark - overlap` could still return it.
      commit.seen.push_back(StateStore::Commit::Seen{key.id, key.version, key.version_ms});
    }
  }
  commit.values.push_back({std::string(kWatermarkKey), format_iso8601_ms(watermark)});
  commit.forget_before_ms = watermark - overlap_.count() - kExpiryMargin.count();
  if (!store_.commit(commit, error)) {
    error = "state " + scope_ + ": " + error;
    return false;
  }
  // The store now holds these keys and has dropped the expired ones: mirror both.
  load_committed_keys();
  for (auto it = pages_.begin(); it != end; ++it) {
    for (const VersionKey& key : it->second.keys) {
      auto handed_out = in_flight_.extract(key_of(key.id, key.version));
      std::string committed_key =
          handed_out ? std::move(handed_out.value()) : key_of(key.id, key.version);
      committed_.insert_or_assign(std::move(committed_key), key.version_ms);
    }
  }
  std::erase_if(committed_,
                [&](const auto& entry) { return entry.second < *commit.forget_before_ms; });
  pages_.erase(pages_.begin(), end);
  ready_through_.reset();
  committed_ms_ = watermark;
  return true;
}

std::optional<std::int64_t> TenantCheckpoints::committed_watermark() const {
  std::lock_guard lock(mutex_);
  return committed_ms_;
}

std::size_t TenantCheckpoints::keys_in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_.size();
}

}  // namespace secfeed::graph
