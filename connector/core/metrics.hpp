// Process-wide metrics, exported by the metrics server as Prometheus text
// (README "Metrics"). Components register a metric once (e.g. at construction) and keep
// the returned reference: updates are lock-free atomics, registration takes a mutex.
//
// Names follow Prometheus conventions: `secfeed_` prefix, `_total` for counters, base
// units (`_seconds`, `_bytes`). Label values are escaped on output; never put a secret
// in a label.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secfeed::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) {
    double old = value_.load(std::memory_order_relaxed);
    while (!value_.compare_exchange_weak(old, old + d, std::memory_order_relaxed)) {
    }
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Registry {
 public:
  // The process-wide registry the daemon exports.
  static Registry& global();

  // The metric called `name` with exactly these labels, created on first use. The
  // reference stays valid for the registry's lifetime. `help` is taken from the first
  // registration of `name`.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  // A gauge read when rendering (queue depths, consumer lag). `read` must be thread-safe
  // and stay callable until remove_callbacks(owner) or the registry's end.
  void gauge_callback(std::string_view name, std::string_view help, const Labels& labels,
                      std::function<double()> read, const void* owner = nullptr);
  // A counter read when rendering: for totals a component already keeps in its own
  // atomics (sink and pipeline stats), so the hot path pays nothing extra. `read` must
  // never decrease; same lifetime rule as gauge_callback.
  void counter_callback(std::string_view name, std::string_view help, const Labels& labels,
                        std::function<double()> read, const void* owner = nullptr);
  void remove_callbacks(const void* owner);

  // Prometheus text exposition format 0.0.4, families sorted by name.
  std::string render() const;

  // Value lookup for tests; 0 when absent.
  double value(std::string_view name, const Labels& labels = {}) const;

 private:
  enum class Type { counter, gauge };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    struct Callback {
      std::string labels;
      std::function<double()> read;
      const void* owner;
    };
    std::vector<Callback> callbacks;
  };
  Family& family(std::string_view name, std::string_view help, Type type);
  void add_callback(std::string_view name, std::string_view help, Type type, const Labels& labels,
                    std::function<double()> read, const void* owner);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// `{a="x",b="y"}` with Prometheus escaping (\\, \", \n); "" for no labels.
std::string render_labels(const Labels& labels);

}  // namespace secfeed::metrics
