// Durable connector state under `state_dir`: source checkpoints (Graph watermarks,
// Secure Score days) and the de-duplication window of (id, version) pairs, in one
// SQLite database in WAL mode.
//
// Why SQLite: a checkpoint and the de-dup keys of the page it covers must change
// together or not at all (a crash between the two would either lose or duplicate
// events); SQLite gives that atomicity and survives kill -9 with WAL. Commits are
// small and fast (synchronous=NORMAL in WAL mode: durable across process crashes,
// the last transactions may roll back on power loss, which at-least-once tolerates).
//
// Thread-safe (one connection behind a mutex). Calls block for the duration of a small
// transaction; callers on an io_context thread should batch their commits.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace secfeed {

class StateStore {
 public:
  // Opens (creating if needed) `<dir>/state.db`; nullptr with `error` set on failure.
  static std::unique_ptr<StateStore> open(const std::string& dir, std::string& error);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // A named checkpoint per scope, e.g. scope "graph_alerts/<tenant>", key "watermark".
  std::optional<std::string> get(std::string_view scope, std::string_view key);

  // True if (id, version) was committed for `scope` (an alert update already sent).
  bool seen(std::string_view scope, std::string_view id, std::string_view version);

  // One atomic commit: checkpoint values, de-dup keys to remember (with the time after
  // which they may be forgotten), and an expiry sweep. Returns false with `error` set.
  struct Commit {
    struct Value {
      std::string key, value;
    };
    struct Seen {
      std::string id, version;
      std::int64_t expires_ms;
    };
    std::string scope;
    std::vector<Value> values;
    std::vector<Seen> seen;
    std::optional<std::int64_t> forget_before_ms;  // drop de-dup keys expiring before
  };
  bool commit(const Commit& commit, std::string& error);

  std::size_t seen_count(std::string_view scope);

  // Every de-dup key committed for `scope`, with its expiry: what a stream keeps in
  // memory so that its per-item check never reads the store.
  std::vector<Commit::Seen> seen_keys(std::string_view scope);

 private:
  explicit StateStore(sqlite3* db) : db_(db) {}
  bool exec(const char* sql, std::string& error);
  // The prepared statement for `sql` (a string literal: its address is the key), reset
  // and unbound; nullptr if it does not compile. Preparing on every call cost more than
  // running the query (seen() runs once per Graph alert).
  sqlite3_stmt* prepared(const char* sql);
  sqlite3* db_;
  std::mutex mutex_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace secfeed
