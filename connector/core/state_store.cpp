#include "connector/core/state_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace secfeed {
namespace {

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS checkpoint ("
    "  scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    "  PRIMARY KEY (scope, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS seen ("
    "  scope TEXT NOT NULL, id TEXT NOT NULL, version TEXT NOT NULL,"
    "  expires_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (scope, id, version)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS seen_expiry ON seen (scope, expires_ms);";

// A cached prepared statement in use: bound on the way in, reset on the way out (an
// unfinished SELECT would keep a read transaction open), unbound by prepared().
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    if (stmt_ != nullptr) sqlite3_reset(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int column) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
  }
  std::int64_t integer(int column) { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

std::unique_ptr<StateStore> StateStore::open(const std::string& dir, std::string& error) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    error = "cannot create state_dir " + dir + ": " + std::strerror(errno);
    return nullptr;
  }
  const std::string path = dir + "/state.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    error = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<StateStore> store(new StateStore(db));
  if (!store->exec(kSchema, error)) {
    error = path + ": " + error;
    return nullptr;
  }
  return store;
}

StateStore::~StateStore() {
  for (const auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* StateStore::prepared(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return nullptr;
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

bool StateStore::exec(const char* sql, std::string& error) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    error = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return false;
  }
  return true;
}

std::optional<std::string> StateStore::get(std::string_view scope, std::string_view key) {
  std::lock_guard lock(mutex_);
  Statement q(prepared("SELECT value FROM checkpoint WHERE scope = ?1 AND key = ?2"));
  if (!q.ok()) return std::nullopt;
  q.bind(1, scope).bind(2, key);
  if (q.step() != SQLITE_ROW) return std::nullopt;
  return q.text(0);
}

bool StateStore::seen(std::string_view scope, std::string_view id, std::string_view version) {
  std::lock_guard lock(mutex_);
  Statement q(prepared("SELECT 1 FROM seen WHERE scope = ?1 AND id = ?2 AND version = ?3"));
  if (!q.ok()) return false;
  q.bind(1, scope).bind(2, id).bind(3, version);
  return q.step() == SQLITE_ROW;
}

std::size_t StateStore::seen_count(std::string_view scope) {
  std::lock_guard lock(mutex_);
  Statement q(prepared("SELECT COUNT(*) FROM seen WHERE scope = ?1"));
  if (!q.ok()) return 0;
  q.bind(1, scope);
  return q.step() == SQLITE_ROW ? static_cast<std::size_t>(q.integer(0)) : 0;
}

std::vector<StateStore::Commit::Seen> StateStore::seen_keys(std::string_view scope) {
  std::lock_guard lock(mutex_);
  std::vector<Commit::Seen> keys;
  Statement q(prepared("SELECT id, version, expires_ms FROM seen WHERE scope = ?1"));
  if (!q.ok()) return keys;
  q.bind(1, scope);
  while (q.step() == SQLITE_ROW) keys.push_back(Commit::Seen{q.text(0), q.text(1), q.integer(2)});
  return keys;
}

bool StateStore::commit(const Commit& commit, std::string& error) {
  std::lock_guard lock(mutex_);
  if (!exec("BEGIN IMMEDIATE", error)) return false;
  const auto fail = [&](std::string_view what) {
    error = std::string(what) + ": " + sqlite3_errmsg(db_);
    std::string ignored;
    exec("ROLLBACK", ignored);
    return false;
  };
  {
    Statement put(
        prepared("INSERT INTO checkpoint (scope, key, value) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value"));
    if (!put.ok()) return fail("prepare checkpoint");
    for (const Commit::Value& v : commit.values) {
      put.bind(1, commit.scope).bind(2, v.key).bind(3, v.value);
      if (put.step() != SQLITE_DONE) return fail("write checkpoint");
      put.reset();
    }
  }
  {
    Statement remember(
        prepared("INSERT INTO seen (scope, id, version, expires_ms) VALUES (?1, ?2, ?3, ?4) "
                 "ON CONFLICT (scope, id, version) DO UPDATE SET "
                 "expires_ms = max(expires_ms, excluded.expires_ms)"));
    if (!remember.ok()) return fail("prepare seen");
    for (const Commit::Seen& s : commit.seen) {
      remember.bind(1, commit.scope).bind(2, s.id).bind(3, s.version).bind(4, s.expires_ms);
      if (remember.step() != SQLITE_DONE) return fail("write seen");
      remember.reset();
    }
  }
  if (commit.forget_before_ms) {
    Statement forget(prepared("DELETE FROM seen WHERE scope = ?1 AND expires_ms < ?2"));
    if (!forget.ok()) return fail("prepare expiry");
    forget.bind(1, commit.scope).bind(2, *commit.forget_before_ms);
    if (forget.step() != SQLITE_DONE) return fail("expire seen");
  }
  if (!exec("COMMIT", error)) return fail("commit");
  return true;
}

}  // namespace secfeed
