#include "connector/core/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace secfeed::metrics {
namespace {

// Label values escape \\, \" and newline; HELP text escapes only \\ and newline.
void append_escaped(std::string& out, std::string_view value, bool quote = true) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buffer[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  } else {
    // The shortest of 15 or 17 digits that reads back exactly (0.1, not 0.10000000000000001).
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    if (std::strtod(buffer, nullptr) != v) std::snprintf(buffer, sizeof buffer, "%.17g", v);
  }
  out += buffer;
}

void append_sample(std::string& out, const std::string& name, const std::string& labels,
                   double value) {
  out += name;
  out += labels;
  out += ' ';
  append_number(out, value);
  out += '\n';
}

}  // namespace

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    append_escaped(out, labels[i].second);
    out += '"';
  }
  out += '}';
  return out;
}

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

Registry::Family& Registry::family(std::string_view name, std::string_view help, Type type) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}, {}, {}}).first;
  }
  return it->second;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::counter).counters[render_labels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::gauge).gauges[render_labels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

void Registry::add_callback(std::string_view name, std::string_view help, Type type,
                            const Labels& labels, std::function<double()> read, const void* owner) {
  std::lock_guard lock(mutex_);
  family(name, help, type)
      .callbacks.push_back(Family::Callback{render_labels(labels), std::move(read), owner});
}

void Registry::gauge_callback(std::string_view name, std::string_view help, const Labels& labels,
                              std::function<double()> read, const void* owner) {
  add_callback(name, help, Type::gauge, labels, std::move(read), owner);
}

void Registry::counter_callback(std::string_view name, std::string_view help, const Labels& labels,
                                std::function<double()> read, const void* owner) {
  add_callback(name, help, Type::counter, labels, std::move(read), owner);
}

void Registry::remove_callbacks(const void* owner) {
  std::lock_guard lock(mutex_);
  for (auto& [name, f] : families_) {
    std::erase_if(f.callbacks, [owner](const Family::Callback& c) { return c.owner == owner; });
  }
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + ' ';
    append_escaped(out, f.help, false);
    out += '\n';
    out += "# TYPE " + name + (f.type == Type::counter ? " counter\n" : " gauge\n");
    for (const auto& [labels, c] : f.counters) {
      append_sample(out, name, labels, static_cast<double>(c->value()));
    }
    for (const auto& [labels, g] : f.gauges) append_sample(out, name, labels, g->value());
    for (const auto& c : f.callbacks) append_sample(out, name, c.labels, c.read());
  }
  return out;
}

double Registry::value(std::string_view name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  const std::string key = render_labels(labels);
  const Family& f = it->second;
  if (auto c = f.counters.find(key); c != f.counters.end()) {
    return static_cast<double>(c->second->value());
  }
  if (auto g = f.gauges.find(key); g != f.gauges.end()) return g->second->value();
  for (const auto& c : f.callbacks) {
    if (c.labels == key) return c.read();
  }
  return 0;
}

}  // namespace secfeed::metrics
