#include "connector/core/event_filter.hpp"

#include <gtest/gtest.h>

#include "connector/core/dead_letter.hpp"

namespace secfeed {
namespace {

Event make(EventKind kind, Severity severity, std::string_view source, std::string_view tenant,
           std::string_view tenant_name = {}) {
  Event e;
  e.kind = kind;
  e.severity = severity;
  e.source = source;
  e.tenant_id = tenant;
  e.tenant_name = tenant_name;
  return e;
}

TEST(EventFilter, EmptyFilterAcceptsEverything) {
  EventFilter f;
  EXPECT_TRUE(f.accepts_everything());
  EXPECT_TRUE(f.accepts(make(EventKind::finding, Severity::unknown, "x", "y")));
}

TEST(EventFilter, KindsSeveritySourcesAndTenantsAllMustMatch) {
  EventFilter f;
  f.allow_kind(EventKind::alert);
  f.allow_kind(EventKind::incident);
  f.set_min_severity(Severity::medium);
  f.allow_source("graph_alerts");
  f.allow_tenant("Contoso");
  EXPECT_TRUE(f.accepts(make(EventKind::alert, Severity::high, "graph_alerts", "t1", "contoso")));
  EXPECT_TRUE(f.accepts(make(EventKind::incident, Severity::medium, "graph_alerts", "CONTOSO")));
  EXPECT_FALSE(
      f.accepts(make(EventKind::secure_score, Severity::high, "graph_alerts", "t1", "Contoso")));
  EXPECT_FALSE(f.accepts(make(EventKind::alert, Severity::low, "graph_alerts", "t1", "Contoso")));
  EXPECT_FALSE(f.accepts(make(EventKind::alert, Severity::unknown, "graph_alerts", "Contoso")));
  EXPECT_FALSE(f.accepts(make(EventKind::alert, Severity::high, "mdc", "t1", "Contoso")));
  EXPECT_FALSE(f.accepts(make(EventKind::alert, Severity::high, "graph_alerts", "t2", "Other")));
}

TEST(DeadLetter, EncodesEveryFieldAndKeepsBrokenPayloadAsValidJson) {
  std::string out;
  encode_dead_letter(
      DeadLetter{0, "normalize", "mdc", "", "t1", "partition 3 offset 17",
                 "severity: expected a string, got a number", "{\"Severity\":1,\"x\":\"\xff\"}\n"},
      out);
  EXPECT_EQ(out,
            "{\"time\":\"1970-01-01T00:00:00.000Z\",\"stage\":\"normalize\",\"source\":\"mdc\","
            "\"sink\":\"\",\"tenant_id\":\"t1\",\"position\":\"partition 3 offset 17\","
            "\"reason\":\"severity: expected a string, got a number\","
            "\"payload\":\"{\\\"Severity\\\":1,\\\"x\\\":\\\"\xEF\xBF\xBD\\\"}\\n\"}");
}

}  // namespace
}  // namespace secfeed
