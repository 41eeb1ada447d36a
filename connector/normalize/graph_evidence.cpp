#include "connector/normalize/graph_evidence.hpp"

#include <string>
#include <string_view>

#include "connector/core/text.hpp"
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed {
namespace {

// One evidence object being read, with the base fields every kind shares.
struct Evidence {
  ObjectReader& reader;
  Event& event;
  Arena& arena;
  std::string_view odata_type;
  std::string_view roles, verdict, remediation_status;

  Entity make(EntityType type) const {
    Entity entity;
    entity.type = type;
    entity.role = roles;
    entity.verdict = verdict;
    entity.remediation_status = remediation_status;
    if (type == EntityType::other) entity.type_name = odata_type;
    return entity;
  }
  // An entity related to the evidence rather than the evidence itself.
  Entity make_related(EntityType type, std::string_view relation) const {
    Entity entity;
    entity.type = type;
    entity.role = relation;
    return entity;
  }
  void add(const Entity& entity) { event.entities.push_back(entity); }
};

// roles[] joined with ',' ("attacker,compromised"): one role is a view into the
// document, several are joined in the arena.
std::string_view read_roles(ObjectReader& reader, Arena& arena) {
  std::size_t count = 0, length = 0;
  std::string_view single;
  const bool ok = for_each_string(reader, "roles", [&](std::string_view role) {
    single = role;
    length += role.size() + (count > 0 ? 1 : 0);
    ++count;
  });
  if (!ok || count <= 1) return single;
  char* out = arena.allocate(length);
  std::size_t n = 0;
  for_each_string(reader, "roles", [&](std::string_view role) {
    if (n > 0) out[n++] = ',';
    role.copy(out + n, role.size());
    n += role.size();
  });
  return {out, n};
}

// fileDetails {fileName, filePath, sha1, sha256, md5, fileSize}.
void read_file_details(ObjectReader& details, Entity& file) {
  file.name = details.string("fileName");
  file.path = details.string("filePath");
  file.sha1 = details.string("sha1");
  file.sha256 = details.string("sha256");
  file.md5 = details.string("md5");
  if (const std::optional<std::int64_t> size = details.integer("fileSize")) file.size = *size;
}

void read_device(Evidence& ev) {
  ObjectReader& r = ev.reader;
  Entity host = ev.make(EntityType::host);
  host.name = r.string("deviceDnsName");
  if (host.name.empty()) host.name = r.string("hostName");
  host.id = r.string("mdeDeviceId");
  const std::string_view azure_ad_id = r.string("azureAdDeviceId");
  if (host.id.empty()) host.id = azure_ad_id;
  host.os = r.string("osPlatform");
  host.address = read_first_string(r, "ipInterfaces");
  ev.add(host);
  for_each_object(r, "loggedOnUsers", [&](ObjectReader& logged_on, std::size_t) {
    Entity user = ev.make_related(EntityType::user, "loggedOnUser");
    user.name = logged_on.string("accountName");
    user.domain = logged_on.string("domainName");
    ev.add(user);
  });
}

void read_user(Evidence& ev) {
  Entity user = ev.make(EntityType::user);
  if (const rapidjson::Value* account = ev.reader.object("userAccount")) {
    ObjectReader account_reader = ev.reader.child(*account, "userAccount");
    read_user_account(account_reader, user);
  }
  ev.add(user);
}

void read_ip(Evidence& ev) {
  Entity ip = ev.make(EntityType::ip);
  ip.address = ev.reader.string("ipAddress");
  ip.country = ev.reader.string("countryLetterCode");
  ev.add(ip);
}

void read_url(Evidence& ev) {
  Entity url = ev.make(EntityType::url);
  url.url = ev.reader.string("url");
  ev.add(url);
}

void read_file(Evidence& ev) {
  Entity file = ev.make(EntityType::file);
  if (const rapidjson::Value* details = ev.reader.object("fileDetails")) {
    ObjectReader details_reader = ev.reader.child(*details, "fileDetails");
    read_file_details(details_reader, file);
  }
  ev.add(file);
}

void read_process(Evidence& ev) {
  ObjectReader& r = ev.reader;
  Entity process = ev.make(EntityType::process);
  process.id = read_id_text(r, "processId", ev.arena);
  process.command_line = r.string("processCommandLine");
  Entity image = ev.make(EntityType::file);
  const rapidjson::Value* image_file = r.object("imageFile");
  if (image_file != nullptr) {
    ObjectReader image_reader = r.child(*image_file, "imageFile");
    read_file_details(image_reader, image);
    process.name = image.name;
    process.path = image.path;
  }
  if (const rapidjson::Value* account = r.object("userAccount")) {
    ObjectReader account_reader = r.child(*account, "userAccount");
    process.user = account_reader.string("accountName");
    if (process.user.empty()) process.user = account_reader.string("userPrincipalName");
  }
  ev.add(process);
  if (image_file != nullptr && (!image.name.empty() || !image.path.empty())) ev.add(image);
}

void read_mailbox(Evidence& ev) {
  ObjectReader& r = ev.reader;
  Entity mailbox = ev.make(EntityType::mailbox);
  mailbox.address = r.string("primaryAddress");
  mailbox.display_name = r.string("displayName");
  mailbox.upn = r.string("upn");
  if (const rapidjson::Value* account = r.object("userAccount")) {
    ObjectReader account_reader = r.child(*account, "userAccount");
    const std::string_view upn = account_reader.string("userPrincipalName");
    if (mailbox.upn.empty()) mailbox.upn = upn;
  }
  ev.add(mailbox);
}

// cloudApplicationEvidence (appId is Int64) and oauthApplicationEvidence (a string).
void read_application(Evidence& ev) {
  Entity app = ev.make(EntityType::cloud_app);
  app.id = read_id_text(ev.reader, "appId", ev.arena);
  app.name = ev.reader.string("displayName");
  ev.add(app);
}

void read_azure_resource(Evidence& ev) {
  Entity resource = ev.make(EntityType::resource);
  resource.id = ev.reader.string("resourceId");
  resource.name = ev.reader.string("resourceName");
  resource.type_name = ev.reader.string("resourceType");
  if (resource.name.empty()) resource.name = last_path_segment(resource.id);
  resource.subscription = subscription_from_resource_id(resource.id);
  ev.add(resource);
}

void read_amazon_resource(Evidence& ev) {
  Entity resource = ev.make(EntityType::resource);
  resource.id = ev.reader.string("amazonResourceId");
  resource.name = ev.reader.string("resourceName");
  resource.type_name = ev.reader.string("resourceType");
  resource.subscription = ev.reader.string("amazonAccountId");
  ev.add(resource);
}

void read_google_resource(Evidence& ev) {
  Entity resource = ev.make(EntityType::resource);
  resource.id = ev.reader.string("fullResourceName");
  resource.name = ev.reader.string("resourceName");
  resource.type_name = ev.reader.string("resourceType");
  resource.subscription = ev.reader.string("projectId");
  ev.add(resource);
}

// "HKEY_LOCAL_MACHINE" + "SOFTWARE\Run" -> "HKEY_LOCAL_MACHINE\SOFTWARE\Run".
std::string_view registry_path(std::string_view hive, std::string_view key, Arena& arena) {
  if (hive.empty()) return key;
  if (key.empty()) return hive;
  return join_in_arena(hive, '\\', key, arena);
}

// registryKeyEvidence: name = the key, path = hive\key.
void read_registry_key(Evidence& ev) {
  Entity key = ev.make(EntityType::other);
  const std::string_view hive = ev.reader.string("registryHive");
  key.name = ev.reader.string("registryKey");
  key.path = registry_path(hive, key.name, ev.arena);
  ev.add(key);
}

// registryValueEvidence: name = the value name, path = hive\key. The value data stays
// in the raw record (the entity model has no field for it).
void read_registry_value(Evidence& ev) {
  Entity value = ev.make(EntityType::other);
  const std::string_view hive = ev.reader.string("registryHive");
  const std::string_view key = ev.reader.string("registryKey");
  value.name = ev.reader.string("registryValueName");
  value.path = registry_path(hive, key, ev.arena);
  ev.add(value);
}

// analyzedMessageEvidence: the message (id = networkMessageId, name = subject), its
// sender (p2Sender is the From: header the user saw, p1Sender the envelope) and
// sender IP, and its recipient.
void read_analyzed_message(Evidence& ev) {
  ObjectReader& r = ev.reader;
  Entity message = ev.make(EntityType::other);
  message.id = r.string("networkMessageId");
  message.name = r.string("subject");
  ev.add(message);
  Entity sender = ev.make_related(EntityType::mailbox, "sender");
  for (const std::string_view key : {std::string_view("p2Sender"), std::string_view("p1Sender")}) {
    const rapidjson::Value* who = r.object(key);
    if (who == nullptr || !sender.address.empty()) continue;
    ObjectReader who_reader = r.child(*who, key);
    sender.address = who_reader.string("emailAddress");
    sender.display_name = who_reader.string("displayName");
  }
  if (!sender.address.empty()) ev.add(sender);
  Entity sender_ip = ev.make_related(EntityType::ip, "sender");
  sender_ip.address = r.string("senderIp");
  if (!sender_ip.address.empty()) ev.add(sender_ip);
  Entity recipient = ev.make_related(EntityType::mailbox, "recipient");
  recipient.address = r.string("recipientEmailAddress");
  if (!recipient.address.empty()) ev.add(recipient);
}

// mailClusterEvidence: id = urn, name = the value the cluster groups by.
void read_mail_cluster(Evidence& ev) {
  Entity cluster = ev.make(EntityType::other);
  cluster.id = ev.reader.string("urn");
  cluster.name = ev.reader.string("clusterByValue");
  ev.add(cluster);
}

void read_security_group(Evidence& ev) {
  Entity group = ev.make(EntityType::other);
  group.id = ev.reader.string("securityGroupId");
  group.name = ev.reader.string("displayName");
  ev.add(group);
}

// kubernetes*Evidence (cluster, namespace, pod, controller, service, secret,
// serviceAccount) all carry a `name`.
void read_kubernetes(Evidence& ev) {
  Entity object = ev.make(EntityType::other);
  object.name = ev.reader.string("name");
  ev.add(object);
}

// First string value among `keys` (other types ignored: the schema is unknown).
std::string_view first_present_string(const ObjectReader& reader,
                                      std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys) {
    const rapidjson::Value* value = reader.find(key);
    if (value != nullptr && value->IsString() && value->GetStringLength() > 0) {
      return json_string(*value);
    }
  }
  return {};
}

// Any other kind: base fields plus whatever name/id it has under a common key.
void read_other(Evidence& ev) {
  Entity other = ev.make(EntityType::other);
  other.name =
      first_present_string(ev.reader, {"name", "displayName", "deviceName", "domainName", "subject",
                                       "url", "servicePrincipalName", "registry", "imageId"});
  other.id = first_present_string(
      ev.reader, {"containerId", "objectId", "appId", "deviceId", "urn", "sessionId"});
  ev.add(other);
}

struct KindReader {
  std::string_view kind;  // @odata.type after its last '.'
  void (*read)(Evidence&);
};
constexpr KindReader kKindReaders[] = {
    {"deviceEvidence", read_device},
    {"userEvidence", read_user},
    {"ipEvidence", read_ip},
    {"urlEvidence", read_url},
    {"fileEvidence", read_file},
    {"processEvidence", read_process},
    {"mailboxEvidence", read_mailbox},
    {"cloudApplicationEvidence", read_application},
    {"oauthApplicationEvidence", read_application},
    {"azureResourceEvidence", read_azure_resource},
    {"amazonResourceEvidence", read_amazon_resource},
    {"googleCloudResourceEvidence", read_google_resource},
    {"registryKeyEvidence", read_registry_key},
    {"registryValueEvidence", read_registry_value},
    {"analyzedMessageEvidence", read_analyzed_message},
    {"mailClusterEvidence", read_mail_cluster},
    {"securityGroupEvidence", read_security_group},
};

// "#microsoft.graph.security.deviceEvidence" -> "deviceEvidence".
std::string_view evidence_kind(std::string_view odata_type) {
  const std::size_t dot = odata_type.rfind('.');
  std::string_view kind = dot == std::string_view::npos ? odata_type : odata_type.substr(dot + 1);
  if (!kind.empty() && kind.front() == '#') kind.remove_prefix(1);
  return kind;
}

void (*reader_for(std::string_view kind))(Evidence&) {
  for (const KindReader& entry : kKindReaders) {
    if (iequals(entry.kind, kind)) return entry.read;
  }
  if (istarts_with(kind, "kubernetes") && iends_with(kind, "Evidence")) return read_kubernetes;
  return read_other;
}

}  // namespace

void read_graph_evidence(ObjectReader& alert, Event& event, Arena& arena) {
  for_each_object(alert, "evidence", [&](ObjectReader& item, std::size_t) {
    Evidence ev{item, event, arena, item.string("@odata.type"), {}, {}, {}};
    ev.roles = read_roles(item, arena);
    ev.verdict = item.string("verdict");
    ev.remediation_status = item.string("remediationStatus");
    reader_for(evidence_kind(ev.odata_type))(ev);
  });
}

}  // namespace secfeed
