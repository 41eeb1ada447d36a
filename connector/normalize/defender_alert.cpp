// Defender for Cloud security alerts, in both shapes Microsoft documents:
//   * the flat PascalCase export form (payload_kind mdc_alert), recognised by
//     SystemAlertId / AlertType / AlertDisplayName;
//   * the ARM REST form {"id","name","type":"Microsoft.Security/Locations/alerts",
//     "properties":{...}} (payload_kind mdc_alert_arm), whose properties use the same
//     names in camelCase, so one reader serves both (keys match case-insensitively).
//
// Mapping (flat key; the ARM properties key is the camelCase of it unless noted):
//   id               SystemAlertId (ARM: properties.systemAlertId, else name) - required
//   provider_id      VendorOriginalId, else SystemAlertId
//   title            AlertDisplayName            description  Description
//   severity         Severity, else ReportedSeverity (High, Medium, Low, Informational)
//   status           Status                      detector_id  AlertType
//   category         Category, else AlertType
//   vendor/product   VendorName / ProductName (product defaults to Defender for Cloud)
//   created_ms       TimeGenerated (ARM: timeGeneratedUtc)
//   updated_ms       ProcessingEndTime (ARM: processingEndTimeUtc)
//   first/last_activity_ms  StartTimeUtc / EndTimeUtc
//   time_ms          the first present of TimeGenerated, ProcessingEndTime, EndTimeUtc,
//                    StartTimeUtc
//   resource_id      AzureResourceId, else the first AzureResource identifier
//   subscription_id  AzureResourceSubscriptionId, else from any ARM id seen
//   tenant_id        TenantId, else AzureResourceTenantId of a resource identifier
//   tactics          Intent split on commas       techniques  Techniques + SubTechniques
//   recommended_actions  RemediationSteps[] (or a string holding a JSON array of them;
//                    a string that is not one is a single step)
//   url              AlertUri
//   entities         Entities[] (defender_alert_entities.cpp) and AzureResource
//                    identifiers of ResourceIdentifiers[] as resource entities
// Attributes (only when present):
//   compromised_entity, confidence_level, confidence_score (number), is_incident
//   (boolean), correlation_key, product_component, workspace_id,
//   workspace_subscription_id, workspace_resource_group, agent_id (top-level keys, else
//   the LogAnalytics resource identifier), extended_properties (json: the object as
//   given, its string values - some of them JSON text - untouched), extended_links
//   (json), arm_id (ARM form: the alert's ARM resource id).
#include <rapidjson/document.h>

#include "connector/core/text.hpp"
#include "connector/normalize/defender_common.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed::defender {
namespace {

// Some captures carry RemediationSteps as the JSON text of an array of strings.
void read_remediation_steps(ObjectReader& alert, Event& event, Arena& arena) {
  constexpr std::string_view kKey = "RemediationSteps";
  const rapidjson::Value* steps = alert.find(kKey);
  if (steps == nullptr) return;
  if (!steps->IsString()) {
    read_string_array(alert, kKey, event.recommended_actions);
    return;
  }
  const std::string_view text = trim(json_string(*steps));
  if (text.empty()) return;
  if (text.front() == '[') {
    // One parser per thread, its pool block kept: a Document per alert allocated (and
    // page-faulted in) a fresh 64 KB pool chunk every time.
    struct Decoder {
      char block[16 * 1024];
      rapidjson::MemoryPoolAllocator<> pool{block, sizeof block};
      rapidjson::Document document{&pool};
    };
    thread_local Decoder decoder;
    rapidjson::Document& decoded = decoder.document;
    decoded.Parse(text.data(), text.size());
    const bool decoded_array = !decoded.HasParseError() && decoded.IsArray();
    if (decoded_array) {
      // The decoded document is reused: keep copies of its strings in the arena.
      for (const rapidjson::Value& step : decoded.GetArray()) {
        if (step.IsString() && step.GetStringLength() > 0) {
          event.recommended_actions.push_back(arena.store(json_string(step)));
        }
      }
    }
    decoded.SetNull();
    decoder.pool.Clear();
    if (decoded_array) return;
  }
  event.recommended_actions.push_back(text);
}

void add_string_once(Event& event, std::string_view key, std::string_view value) {
  if (!value.empty() && event.find_attribute(key) == nullptr) event.add_string(key, value);
}

// ResourceIdentifiers[]: AzureResource items become resource entities (one per id);
// the LogAnalytics item names the workspace.
void read_resource_identifiers(ObjectReader& alert, Event& event) {
  constexpr std::string_view kKey = "ResourceIdentifiers";
  const rapidjson::Value* identifiers = alert.array(kKey);
  if (identifiers == nullptr) return;
  std::size_t index = 0;
  for (const rapidjson::Value& item : identifiers->GetArray()) {
    ObjectReader reader = alert.element(item, kKey, index++);
    if (!item.IsObject()) {
      if (!item.IsNull()) {
        reader.fail({},
                    std::string("expected an object, got ") + std::string(json_type_name(item)));
      }
      continue;
    }
    const std::string_view resource_id = reader.string("AzureResourceId");
    if (event.tenant_id.empty()) event.tenant_id = reader.string("AzureResourceTenantId");
    add_string_once(event, "workspace_id", reader.string("WorkspaceId"));
    add_string_once(event, "workspace_subscription_id", reader.string("WorkspaceSubscriptionId"));
    add_string_once(event, "workspace_resource_group", reader.string("WorkspaceResourceGroup"));
    add_string_once(event, "agent_id", reader.string("AgentId"));
    if (resource_id.empty()) continue;
    if (event.resource_id.empty()) event.resource_id = resource_id;
    set_subscription_from(event, resource_id);
    bool known = false;
    for (const Entity& entity : event.entities) {
      known = known || (entity.type == EntityType::resource && iequals(entity.id, resource_id));
    }
    if (known) continue;
    Entity& resource = event.add_entity(EntityType::resource);
    resource.id = resource_id;
    resource.name = last_path_segment(resource_id);
    resource.subscription = subscription_from_resource_id(resource_id);
  }
}

std::int64_t first_time(std::initializer_list<std::optional<std::int64_t>> candidates) {
  for (const std::optional<std::int64_t>& t : candidates) {
    if (t) return *t;
  }
  return kNoTime;
}

// The fields both forms share; `alert` reads the flat record or the ARM properties.
void read_alert_fields(ObjectReader& alert, Event& event, Arena& arena) {
  const std::string_view system_alert_id = alert.string("SystemAlertId");
  if (event.id.empty()) event.id = system_alert_id;
  event.provider_id = alert.string("VendorOriginalId");
  if (event.provider_id.empty()) event.provider_id = system_alert_id;
  event.title = alert.string("AlertDisplayName");
  event.description = alert.string("Description");
  std::string_view severity = alert.string("Severity");
  if (severity.empty()) severity = alert.string("ReportedSeverity");
  set_severity(event, severity);
  event.status = alert.string("Status");
  event.detector_id = alert.string("AlertType");
  event.category = alert.string("Category");
  if (event.category.empty()) event.category = event.detector_id;
  const std::string_view vendor = alert.string("VendorName");
  if (!vendor.empty()) event.vendor = vendor;
  const std::string_view product = alert.string("ProductName");
  if (!product.empty()) event.product = product;

  std::optional<std::int64_t> generated = alert.time("TimeGenerated");
  if (!generated) generated = alert.time("TimeGeneratedUtc");
  std::optional<std::int64_t> processed = alert.time("ProcessingEndTime");
  if (!processed) processed = alert.time("ProcessingEndTimeUtc");
  const std::optional<std::int64_t> start = alert.time("StartTimeUtc");
  const std::optional<std::int64_t> end = alert.time("EndTimeUtc");
  event.created_ms = first_time({generated});
  event.updated_ms = first_time({processed});
  event.first_activity_ms = first_time({start});
  event.last_activity_ms = first_time({end});
  event.time_ms = first_time({generated, processed, end, start});

  event.resource_id = alert.string("AzureResourceId");
  event.subscription_id = alert.string("AzureResourceSubscriptionId");
  set_subscription_from(event, event.resource_id);
  const std::string_view tenant = alert.string("TenantId");
  if (!tenant.empty()) event.tenant_id = tenant;

  split_list(alert.string("Intent"), ',', event.tactics);
  read_string_array(alert, "Techniques", event.techniques);
  read_string_array(alert, "SubTechniques", event.techniques);
  read_remediation_steps(alert, event, arena);
  event.url = alert.string("AlertUri");

  add_string_if(event, "compromised_entity", alert.string("CompromisedEntity"));
  add_string_if(event, "confidence_level", alert.string("ConfidenceLevel"));
  add_number_if(event, "confidence_score", alert.number("ConfidenceScore"));
  add_boolean_if(event, "is_incident", alert.boolean("IsIncident"));
  add_string_if(event, "correlation_key", alert.string("CorrelationKey"));
  add_string_if(event, "product_component", alert.string("ProductComponentName"));
  add_string_if(event, "workspace_id", alert.string("WorkspaceId"));
  add_string_if(event, "workspace_subscription_id", alert.string("WorkspaceSubscriptionId"));
  add_string_if(event, "workspace_resource_group", alert.string("WorkspaceResourceGroup"));
  add_string_if(event, "agent_id", alert.string("AgentId"));
  add_json_if(event, "extended_properties", alert.object("ExtendedProperties"), arena);
  add_json_if(event, "extended_links", alert.array("ExtendedLinks"), arena);

  read_alert_entities(alert, "Entities", event, arena);
  read_resource_identifiers(alert, event);
}

}  // namespace

bool normalize_alert_flat(const rapidjson::Value& item, const NormalizeContext& ctx,
                          EventBatch& out, std::string& error) {
  ObjectReader alert(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::alert, "mdc_alert");
  event.id = alert.required_string("SystemAlertId");
  read_alert_fields(alert, event, ctx.arena);
  return !alert.failed();
}

bool normalize_alert_arm(const rapidjson::Value& item, const NormalizeContext& ctx, EventBatch& out,
                         std::string& error) {
  ObjectReader record(item, KeyMatch::case_insensitive, error);
  Event& event = start_event(out, EventKind::alert, "mdc_alert_arm");
  const std::string_view arm_id = record.string("id");
  const std::string_view name = record.string("name");
  const rapidjson::Value* properties = record.object("properties");
  if (properties == nullptr) {
    record.fail("properties", "required field is missing");
    return false;
  }
  ObjectReader alert = record.child(*properties, "properties");
  read_alert_fields(alert, event, ctx.arena);
  if (event.id.empty()) event.id = name;
  if (event.provider_id.empty()) event.provider_id = event.id;
  if (event.id.empty()) record.fail("name", "required field is missing");
  add_string_if(event, "arm_id", arm_id);
  set_subscription_from(event, arm_id);
  return !record.failed();
}

}  // namespace secfeed::defender
