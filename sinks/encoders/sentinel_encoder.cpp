// Microsoft Sentinel rows for the Logs Ingestion API: one JSON object per event whose
// keys are exactly columns of schemas/sentinel/<table>.json (the API answers 400 for an
// undeclared column or a wrong type; tests/unit/sentinel_encoder_test.cpp checks every
// kind against those files). Written with direct appends into the sink's buffer, like the
// normalized JSON encoder, whose entity and attribute forms it shares (json_output.hpp).
#include <chrono>

#include "connector/core/text.hpp"
#include "sinks/encoders/encoders.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed {
namespace {

// Bumped with an incompatible change of the table layouts (additions keep it).
constexpr int kSentinelSchemaVersion = 1;
// Log Analytics cuts string columns at 32 KB; cutting here keeps requests small and the
// cut on a UTF-8 boundary.
constexpr std::size_t kStringColumnLimit = 32 * 1024;
// One field value is limited to 64 KB; a larger dynamic value would arrive cut, i.e. as
// broken JSON, so RawData is left out instead.
constexpr std::size_t kDynamicColumnLimit = 64 * 1024;

class Row {
 public:
  Row(std::string& out, EncodeStats* stats) : json_(out), stats_(stats) {}

  JsonLine& json() { return json_; }

  void text(std::string_view column, std::string_view value) {
    if (value.empty()) return;
    const std::size_t cut = utf8_truncation_point(value, kStringColumnLimit);
    if (cut < value.size() && stats_ != nullptr) ++stats_->truncated_fields;
    json_.key(column);
    json_.string(value.substr(0, cut));
  }
  void integer(std::string_view column, std::int64_t value) {
    json_.key(column);
    json_.integer(value);
  }
  void real(std::string_view column, const Attribute* attribute) {
    if (attribute == nullptr) return;
    double value;
    if (attribute->type == Attribute::Type::number) {
      value = attribute->number;
    } else if (attribute->type == Attribute::Type::integer) {
      value = static_cast<double>(attribute->integer);
    } else {
      return;  // the typed column stays empty; Attributes still has the value
    }
    json_.key(column);
    json_.number(value);  // always with '.' or an exponent: a real, never an int
  }
  void time(std::string_view column, std::int64_t ms) { json_.optional_time(column, ms); }
  void list(std::string_view column, const std::vector<std::string_view>& items) {
    json_.optional_list(column, items);
  }

 private:
  JsonLine json_;
  EncodeStats* stats_;
};

const Attribute* first_attribute(const Event& event, std::string_view a, std::string_view b = {}) {
  const Attribute* found = event.find_attribute(a);
  if (found == nullptr && !b.empty()) found = event.find_attribute(b);
  return found;
}

std::string_view string_attribute(const Event& event, std::string_view key) {
  const Attribute* found = event.find_attribute(key);
  return found != nullptr && found->type == Attribute::Type::string ? found->text
                                                                    : std::string_view{};
}

std::int64_t time_generated(const Event& event, const SentinelOptions& options) {
  for (std::int64_t ms : {event.time_ms, event.updated_ms, event.created_ms}) {
    if (ms != kNoTime) return ms;
  }
  if (options.fallback_time_ms != kNoTime) return options.fallback_time_ms;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void write_head(Row& row, const Event& event, const SentinelOptions& options) {
  row.time("TimeGenerated", time_generated(event, options));
  row.integer("SchemaVersion", kSentinelSchemaVersion);
  row.text("EventKind", to_string(event.kind));
  row.text("EventId", event.id);
  row.text("ProviderId", event.provider_id);
  row.text("EntraTenantId", event.tenant_id);
  row.text("TenantName", event.tenant_name);
  row.text("SourceName", event.source);
  row.text("PayloadKind", event.payload_kind);
  row.text("Vendor", event.vendor);
  row.text("Product", event.product);
  row.text("ProductVersion", event.product_version);
  row.text("DisplayName", event.title);
  row.text("Description", event.description);
  row.text("Severity", to_string(event.severity));
  row.integer("SeverityScore", event.severity_score < 0    ? 0
                               : event.severity_score > 10 ? 10
                                                           : event.severity_score);
  row.text("Status", event.status);
  row.text("Category", event.category);
}

void write_alert_columns(Row& row, const Event& event) {
  row.text("Classification", event.classification);
  row.text("Determination", event.determination);
  row.text("AssignedTo", event.assigned_to);
  row.text("DetectionSource", event.detection_source);
  row.text("ServiceSource", event.service_source);
  row.text("DetectorId", event.detector_id);
  row.text("IncidentId", event.incident_id);
  row.text("PortalUrl", event.url);
  row.text("Remediation", event.remediation);
  row.text("AzureSubscriptionId", event.subscription_id);
  row.text("AzureResourceId", event.resource_id);
  row.time("CreatedTime", event.created_ms);
  row.time("UpdatedTime", event.updated_ms);
  row.time("FirstActivityTime", event.first_activity_ms);
  row.time("LastActivityTime", event.last_activity_ms);
  row.time("ResolvedTime", event.resolved_ms);
  row.list("Tactics", event.tactics);
  row.list("Techniques", event.techniques);
  row.list("Tags", event.tags);
  row.list("RecommendedActions", event.recommended_actions);
}

void write_posture_columns(Row& row, const Event& event) {
  row.text("PortalUrl", event.url);
  row.text("Remediation", event.remediation);
  row.text("AzureSubscriptionId", event.subscription_id);
  row.text("AzureResourceId", event.resource_id);
  std::string_view control = string_attribute(event, "control_name");
  // A control profile's id is the control name (e.g. AdminMFAV2).
  if (control.empty() && event.kind == EventKind::control_profile) control = event.id;
  row.text("ControlName", control);
  row.text("ComplianceStandard", string_attribute(event, "standard"));
  row.text("ImplementationStatus", string_attribute(event, "implementation_status"));
  // Graph control scores call the current value "score" and its percentage
  // "score_in_percentage"; the other kinds use the first names.
  row.real("CurrentScore", first_attribute(event, "current_score", "score"));
  row.real("PreviousScore", first_attribute(event, "previous_score"));
  row.real("MaxScore", first_attribute(event, "max_score"));
  row.real("Percentage", first_attribute(event, "percentage", "score_in_percentage"));
  row.time("CreatedTime", event.created_ms);
  row.time("UpdatedTime", event.updated_ms);
  row.list("Tags", event.tags);
  row.list("RecommendedActions", event.recommended_actions);
}

void write_raw_data(Row& row, const Event& event) {
  if (event.raw_text.empty() && event.raw_value == nullptr) return;
  JsonLine& json = row.json();
  const JsonLine::Mark before = json.mark();
  json.key("RawData");
  const JsonLine::Mark value_start = json.mark();
  if (!event.raw_text.empty()) {
    json.embedded_json(event.raw_text);
  } else {
    thread_local std::string serialized;  // reused: no allocation once warm
    serialized.clear();
    bool written;
    {
      StringAppendStream stream(serialized);  // flushed when it goes out of scope
      JsonAppendWriter writer(stream);
      written = event.raw_value->Accept(writer);
    }
    json.raw(written ? std::string_view(serialized) : std::string_view("{}"));
  }
  if (json.mark().size - value_start.size <= kDynamicColumnLimit) return;
  json.rewind(before);
  json.key("RawDataOmitted");
  json.boolean(true);
}

}  // namespace

SentinelTable sentinel_table(EventKind kind) {
  return kind == EventKind::alert || kind == EventKind::incident ? SentinelTable::alerts
                                                                 : SentinelTable::posture;
}

std::string_view sentinel_table_name(SentinelTable table) {
  return table == SentinelTable::alerts ? "SecfeedAlerts_CL" : "SecfeedPosture_CL";
}

void encode_sentinel(const Event& event, std::string& out, const SentinelOptions& options,
                     EncodeStats* stats) {
  out.reserve(out.size() + 1024 + std::min(event.description.size(), kStringColumnLimit));
  Row row(out, stats);
  row.json().begin_object();
  write_head(row, event, options);
  if (sentinel_table(event.kind) == SentinelTable::alerts) {
    write_alert_columns(row, event);
  } else {
    write_posture_columns(row, event);
  }
  if (!event.entities.empty()) {
    row.json().key("Entities");
    row.json().begin_array();
    for (const Entity& entity : event.entities) write_entity(row.json(), entity);
    row.json().end_array();
  }
  if (!event.attributes.empty()) {
    row.json().key("Attributes");
    row.json().attributes_object(event);
  }
  write_raw_data(row, event);
  row.json().end_object();
}

}  // namespace secfeed
