#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "connector/core/metrics.hpp"

namespace secfeed::metrics {
namespace {

TEST(MetricsRegistry, RendersFamiliesSortedWithHelpTypeAndSamples) {
  Registry registry;
  registry.counter("secfeed_sink_events_delivered_total", "Events delivered.", {{"sink", "siem"}})
      .inc(3);
  registry
      .counter("secfeed_sink_events_delivered_total", "ignored: first help wins",
               {{"sink", "archive"}})
      .inc();
  registry.gauge("secfeed_sink_queue_depth", "Events queued.", {{"sink", "siem"}}).set(7);
  registry.counter("secfeed_a_total", "First by name.").inc(0);
  EXPECT_EQ(registry.render(),
            "# HELP secfeed_a_total First by name.\n"
            "# TYPE secfeed_a_total counter\n"
            "secfeed_a_total 0\n"
            "# HELP secfeed_sink_events_delivered_total Events delivered.\n"
            "# TYPE secfeed_sink_events_delivered_total counter\n"
            "secfeed_sink_events_delivered_total{sink=\"archive\"} 1\n"
            "secfeed_sink_events_delivered_total{sink=\"siem\"} 3\n"
            "# HELP secfeed_sink_queue_depth Events queued.\n"
            "# TYPE secfeed_sink_queue_depth gauge\n"
            "secfeed_sink_queue_depth{sink=\"siem\"} 7\n");
}

TEST(MetricsRegistry, SameNameAndLabelsIsTheSameMetric) {
  Registry registry;
  Counter& first = registry.counter("x_total", "h", {{"a", "1"}, {"b", "2"}});
  Counter& again = registry.counter("x_total", "h", {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(&first, &again);
  first.inc(2);
  again.inc(5);
  EXPECT_EQ(registry.value("x_total", {{"a", "1"}, {"b", "2"}}), 7);
  EXPECT_EQ(registry.value("x_total", {{"a", "1"}}), 0);
  EXPECT_EQ(registry.value("absent_total"), 0);
}

TEST(MetricsRegistry, LabelValuesAreEscaped) {
  EXPECT_EQ(render_labels({}), "");
  EXPECT_EQ(render_labels({{"path", "C:\\temp\\\"x\"\nnext"}, {"k", "plain"}}),
            "{path=\"C:\\\\temp\\\\\\\"x\\\"\\nnext\",k=\"plain\"}");
  Registry registry;
  registry.gauge("g", "line one\nline \"two\" \\ end", {{"sink", "a\"b"}}).set(1);
  EXPECT_EQ(registry.render(),
            "# HELP g line one\\nline \"two\" \\\\ end\n"
            "# TYPE g gauge\n"
            "g{sink=\"a\\\"b\"} 1\n");
}

TEST(MetricsRegistry, NumbersUseShortestExactFormAndSpecialValues) {
  Registry registry;
  registry.gauge("a", "h", {{"v", "1"}}).set(0.1);
  registry.gauge("a", "h", {{"v", "2"}}).set(-2.5);
  registry.gauge("a", "h", {{"v", "3"}}).set(std::numeric_limits<double>::infinity());
  registry.gauge("a", "h", {{"v", "4"}}).set(-std::numeric_limits<double>::infinity());
  registry.gauge("a", "h", {{"v", "5"}}).set(std::nan(""));
  registry.gauge("a", "h", {{"v", "6"}}).set(1e20);
  registry.gauge("a", "h", {{"v", "7"}}).set(1.0 / 3);
  EXPECT_EQ(registry.render(),
            "# HELP a h\n# TYPE a gauge\n"
            "a{v=\"1\"} 0.1\n"
            "a{v=\"2\"} -2.5\n"
            "a{v=\"3\"} +Inf\n"
            "a{v=\"4\"} -Inf\n"
            "a{v=\"5\"} NaN\n"
            "a{v=\"6\"} 1e+20\n"
            "a{v=\"7\"} 0.33333333333333331\n");
}

TEST(MetricsRegistry, GaugeAddAccumulates) {
  Registry registry;
  Gauge& gauge = registry.gauge("inflight", "h");
  gauge.add(2.5);
  gauge.add(-1);
  EXPECT_EQ(gauge.value(), 1.5);
  EXPECT_EQ(registry.value("inflight"), 1.5);
}

TEST(MetricsRegistry, CallbacksAreReadAtRenderTimeAndRemovedByOwner) {
  Registry registry;
  double depth = 4;
  std::uint64_t delivered = 10;
  int owner_a = 0, owner_b = 0;
  registry.gauge_callback(
      "secfeed_sink_queue_depth", "Queued.", {{"sink", "siem"}}, [&depth] { return depth; },
      &owner_a);
  registry.counter_callback(
      "secfeed_sink_events_delivered_total", "Delivered.", {{"sink", "siem"}},
      [&delivered] { return static_cast<double>(delivered); }, &owner_a);
  registry.gauge_callback(
      "secfeed_sink_queue_depth", "Queued.", {{"sink", "other"}}, [] { return 1.0; }, &owner_b);
  depth = 9;
  delivered = 12;
  EXPECT_EQ(registry.value("secfeed_sink_queue_depth", {{"sink", "siem"}}), 9);
  EXPECT_EQ(registry.render(),
            "# HELP secfeed_sink_events_delivered_total Delivered.\n"
            "# TYPE secfeed_sink_events_delivered_total counter\n"
            "secfeed_sink_events_delivered_total{sink=\"siem\"} 12\n"
            "# HELP secfeed_sink_queue_depth Queued.\n"
            "# TYPE secfeed_sink_queue_depth gauge\n"
            "secfeed_sink_queue_depth{sink=\"siem\"} 9\n"
            "secfeed_sink_queue_depth{sink=\"other\"} 1\n");

  registry.remove_callbacks(&owner_a);
  EXPECT_EQ(registry.value("secfeed_sink_queue_depth", {{"sink", "siem"}}), 0);
  // A family without samples keeps its HELP/TYPE lines: valid exposition text.
  EXPECT_EQ(registry.render(),
            "# HELP secfeed_sink_events_delivered_total Delivered.\n"
            "# TYPE secfeed_sink_events_delivered_total counter\n"
            "# HELP secfeed_sink_queue_depth Queued.\n"
            "# TYPE secfeed_sink_queue_depth gauge\n"
            "secfeed_sink_queue_depth{sink=\"other\"} 1\n");
}

TEST(MetricsRegistry, GlobalIsOneInstance) {
  EXPECT_EQ(&Registry::global(), &Registry::global());
}

}  // namespace
}  // namespace secfeed::metrics
