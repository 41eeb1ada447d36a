// Microsoft Graph /security/alerts (the deprecated v1 alerts) -> one alert Event,
// mapped onto the alerts_v2 fields: azureTenantId -> tenant, lastModifiedDateTime ->
// updated, closedDateTime -> resolved, eventDateTime -> first activity,
// lastEventDateTime -> last activity, vendorInformation.provider -> product and
// service_source, feedback -> classification, incidentIds[0] -> incident id.
// Status keeps the v1 spelling (newAlert, inProgress, resolved).
//
// Attributes (snake_case): sub_provider, confidence (integer), risk_score,
// incident_ids (json), detection_ids (json), source_materials (json),
// comment_count (integer).
//
// Entities: userStates -> user, hostStates -> host, fileStates -> file,
// networkConnections -> ip (role "source"/"destination") and url, processes -> process
// plus its image file.
#include "connector/core/text.hpp"
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalize_util.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {
namespace {

// fileHash {hashType, hashValue} -> the matching hash field of `file`.
void read_file_hash(ObjectReader& reader, Entity& file) {
  const rapidjson::Value* hash = reader.object("fileHash");
  if (hash == nullptr) return;
  ObjectReader hash_reader = reader.child(*hash, "fileHash");
  const std::string_view type = hash_reader.string("hashType");
  const std::string_view value = hash_reader.string("hashValue");
  if (iequals(type, "sha256")) file.sha256 = value;
  if (iequals(type, "sha1")) file.sha1 = value;
  if (iequals(type, "md5")) file.md5 = value;
}

void read_user_states(ObjectReader& r, Event& e) {
  for_each_object(r, "userStates", [&](ObjectReader& state, std::size_t) {
    Entity& user = e.add_entity(EntityType::user);
    user.name = state.string("accountName");
    user.domain = state.string("domainName");
    user.upn = state.string("userPrincipalName");
    user.sid = state.string("onPremisesSecurityIdentifier");
    user.id = state.string("aadUserId");
    user.role = state.string("emailRole");  // sender / recipient for mail alerts
    if (iequals(user.role, "unknown")) user.role = {};
  });
}

void read_host_states(ObjectReader& r, Event& e) {
  for_each_object(r, "hostStates", [&](ObjectReader& state, std::size_t) {
    Entity& host = e.add_entity(EntityType::host);
    host.name = state.string("fqdn");
    const std::string_view netbios = state.string("netBiosName");
    if (host.name.empty()) host.name = netbios;
    host.os = state.string("os");
    host.address = state.string("privateIpAddress");
    const std::string_view public_ip = state.string("publicIpAddress");
    if (host.address.empty()) host.address = public_ip;
  });
}

void read_file_states(ObjectReader& r, Event& e) {
  for_each_object(r, "fileStates", [&](ObjectReader& state, std::size_t) {
    Entity& file = e.add_entity(EntityType::file);
    file.name = state.string("name");
    file.path = state.string("path");
    read_file_hash(state, file);
  });
}

void read_network_connections(ObjectReader& r, Event& e) {
  for_each_object(r, "networkConnections", [&](ObjectReader& connection, std::size_t) {
    const std::string_view source = connection.string("sourceAddress");
    const std::string_view destination = connection.string("destinationAddress");
    const std::string_view url = connection.string("destinationUrl");
    if (!source.empty()) {
      Entity& ip = e.add_entity(EntityType::ip);
      ip.address = source;
      ip.role = "source";
    }
    if (!destination.empty()) {
      Entity& ip = e.add_entity(EntityType::ip);
      ip.address = destination;
      ip.role = "destination";
    }
    if (!url.empty()) {
      Entity& link = e.add_entity(EntityType::url);
      link.url = url;
      link.role = "destination";
    }
  });
}

void read_processes(ObjectReader& r, Event& e, Arena& arena) {
  for_each_object(r, "processes", [&](ObjectReader& state, std::size_t) {
    Entity process;
    process.type = EntityType::process;
    process.id = read_id_text(state, "processId", arena);
    process.command_line = state.string("commandLine");
    process.name = state.string("name");
    process.path = state.string("path");
    process.user = state.string("accountName");
    Entity image;
    image.type = EntityType::file;
    image.name = process.name;
    image.path = process.path;
    read_file_hash(state, image);
    e.entities.push_back(process);
    if (!image.name.empty() || !image.path.empty()) e.entities.push_back(image);
  });
}

}  // namespace

bool normalize_graph_legacy_alert(const rapidjson::Value& item, const NormalizeContext& ctx,
                                  EventBatch& out, std::string& error) {
  ObjectReader r(item, KeyMatch::exact, error);
  Event& e = out.add();
  e.kind = EventKind::alert;
  e.id = r.required_string("id");
  e.tenant_id = r.string("azureTenantId");
  e.subscription_id = r.string("azureSubscriptionId");
  e.title = r.string("title");
  e.description = r.string("description");
  e.category = r.string("category");
  add_tactic_if_known(e.category, e.tactics);
  e.severity = severity_from_string(r.string("severity"));
  e.status = r.string("status");
  e.assigned_to = r.string("assignedTo");
  e.classification = r.string("feedback");

  e.created_ms = r.time("createdDateTime").value_or(kNoTime);
  e.first_activity_ms = r.time("eventDateTime").value_or(kNoTime);
  e.last_activity_ms = r.time("lastEventDateTime").value_or(kNoTime);
  e.updated_ms = r.time("lastModifiedDateTime").value_or(kNoTime);
  e.resolved_ms = r.time("closedDateTime").value_or(kNoTime);
  e.time_ms = e.updated_ms != kNoTime ? e.updated_ms : e.created_ms;

  read_string_array(r, "recommendedActions", e.recommended_actions);
  read_string_array(r, "tags", e.tags);

  if (const rapidjson::Value* vendor = r.object("vendorInformation")) {
    ObjectReader vendor_reader = r.child(*vendor, "vendorInformation");
    e.product = vendor_reader.string("provider");
    e.service_source = e.product;
    e.vendor = vendor_reader.string("vendor");
    e.product_version = vendor_reader.string("providerVersion");
    add_string_if_present(e, "sub_provider", vendor_reader.string("subProvider"));
  }

  e.incident_id = read_first_string(r, "incidentIds");
  if (const rapidjson::Value* incidents = r.find("incidentIds");
      incidents != nullptr && incidents->IsArray() && incidents->Size() > 1) {
    e.add_json("incident_ids", json_text(*incidents, ctx.arena));
  }
  if (const std::optional<std::int64_t> confidence = r.integer("confidence")) {
    e.add_integer("confidence", *confidence);
  }
  add_string_if_present(e, "risk_score", r.string("riskScore"));
  add_json_attribute(r, "detectionIds", "detection_ids", e, ctx.arena);
  add_json_attribute(r, "sourceMaterials", "source_materials", e, ctx.arena);
  if (const std::optional<std::int64_t> comments = read_array_size(r, "comments")) {
    e.add_integer("comment_count", *comments);
  }

  read_user_states(r, e);
  read_host_states(r, e);
  read_file_states(r, e);
  read_network_connections(r, e);
  read_processes(r, e, ctx.arena);
  return !r.failed();
}

}  // namespace secfeed
