// Helpers shared by the Defender for Cloud normalizers (see defender_common.hpp).
#include "connector/normalize/defender_common.hpp"

#include "connector/core/text.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed::defender {
namespace {

// The export names its enrichment object after the record type, in either casing;
// compliance and scores use the generic one.
constexpr std::string_view kEnrichmentKeys[] = {
    "assessmentEventDataEnrichment",
    "subAssessmentEventDataEnrichment",
    "securityEventDataEnrichment",
};

void read_enrichment(ObjectReader& record, Event& event) {
  for (std::string_view key : kEnrichmentKeys) {
    const rapidjson::Value* enrichment = record.object(key);
    if (enrichment == nullptr) continue;
    ObjectReader reader = record.child(*enrichment, key);
    add_string_if(event, "action", reader.string("action"));
    add_boolean_if(event, "is_snapshot", reader.boolean("isSnapshot"));
    add_string_if(event, "interval", reader.string("interval"));
    return;
  }
}

}  // namespace

Event& start_event(EventBatch& out, EventKind kind, std::string_view payload_kind) {
  Event& event = out.add();
  event.kind = kind;
  event.payload_kind = payload_kind;
  event.product = kProduct;
  return event;
}

std::string_view read_arm_envelope(ObjectReader& record, Event& event) {
  event.id = record.required_string("id");
  set_subscription_from(event, event.id);
  event.tenant_id = record.string("tenantId");
  read_enrichment(record, event);
  return record.string("name");
}

const rapidjson::Value* required_object(ObjectReader& reader, std::string_view key) {
  const rapidjson::Value* object = reader.object(key);
  if (object == nullptr) reader.fail(key, "required field is missing");
  return object;
}

void read_resource_details(ObjectReader& properties, Event& event) {
  const rapidjson::Value* details = properties.object("resourceDetails");
  if (details == nullptr) return;
  ObjectReader reader = properties.child(*details, "resourceDetails");
  const std::string_view source = reader.string("source");
  std::string_view id = reader.string("id");
  const std::string_view native_id = reader.string("nativeResourceId");
  if (id.empty()) id = native_id;
  const std::string_view name = reader.string("resourceName");
  const std::string_view type = reader.string("resourceType");
  add_string_if(event, "resource_source", source);
  if (id.empty() && name.empty()) return;
  if (event.resource_id.empty()) event.resource_id = id;
  set_subscription_from(event, id);
  Entity& resource = event.add_entity(EntityType::resource);
  resource.id = id;
  resource.name = name.empty() ? last_path_segment(id) : name;
  resource.type_name = type;
  resource.subscription = subscription_from_resource_id(id);
}

void set_subscription_from(Event& event, std::string_view arm_id) {
  if (event.subscription_id.empty()) event.subscription_id = subscription_from_resource_id(arm_id);
}

std::string_view segment_after(std::string_view id, std::string_view marker) {
  for (std::size_t i = 0; i + marker.size() <= id.size(); ++i) {
    if (iequals(id.substr(i, marker.size()), marker)) {
      const std::string_view rest = id.substr(i + marker.size());
      return rest.substr(0, rest.find('/'));
    }
  }
  return {};
}

void set_severity(Event& event, std::string_view text) {
  if (!text.empty()) event.severity = severity_from_string(text);
}

void add_string_if(Event& event, std::string_view key, std::string_view value) {
  if (!value.empty()) event.add_string(key, value);
}

void add_integer_if(Event& event, std::string_view key, std::optional<std::int64_t> value) {
  if (value) event.add_integer(key, *value);
}

void add_number_if(Event& event, std::string_view key, std::optional<double> value) {
  if (value) event.add_number(key, *value);
}

void add_boolean_if(Event& event, std::string_view key, std::optional<bool> value) {
  if (value) event.add_boolean(key, *value);
}

void add_json_if(Event& event, std::string_view key, const rapidjson::Value* value, Arena& arena) {
  if (value != nullptr) event.add_json(key, json_text(*value, arena));
}

void read_string_array(ObjectReader& reader, std::string_view key,
                       std::vector<std::string_view>& out) {
  const rapidjson::Value* array = reader.array(key);
  if (array == nullptr) return;
  std::size_t index = 0;
  for (const rapidjson::Value& element : array->GetArray()) {
    if (element.IsString()) {
      if (element.GetStringLength() > 0) out.push_back(json_string(element));
    } else if (!element.IsNull()) {
      std::string message = "expected a string, got ";
      message += json_type_name(element);
      reader.element(element, key, index).fail({}, message);
      return;
    }
    ++index;
  }
}

std::string_view portal_url(std::string_view link, Arena& arena) {
  if (link.empty() || link.find("://") != std::string_view::npos) return link;
  constexpr std::string_view kScheme = "https://";
  char* out = arena.allocate(kScheme.size() + link.size());
  kScheme.copy(out, kScheme.size());
  link.copy(out + kScheme.size(), link.size());
  return {out, kScheme.size() + link.size()};
}

std::string_view excerpt(std::string_view text) {
  constexpr std::size_t kLimit = 200;
  return text.substr(0, utf8_truncation_point(text, kLimit));
}

}  // namespace secfeed::defender
