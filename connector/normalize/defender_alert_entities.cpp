// Entities[] of a Defender for Cloud alert -> Event::entities.
//
// The export serialises entities with .NET reference preservation: an item defined
// once carries `"$id": "4"`, later uses are `{"$ref": "4"}`, and definitions may sit
// inside other entities (a process's ImageFile, a file's FileHashes). We index every
// `$id` under Entities (bounded depth and count, no heap), resolve `$ref` by lookup
// with a bounded number of hops (a cycle or a dangling ref resolves to nothing and is
// dropped - never followed forever), and emit each top-level entity once even when it
// is both defined and referenced. Nested references are resolved one level only (to
// fill a process's image file and account, a file's hashes), so mapping never recurses.
//
// Type (case-insensitive) -> Entity:
//   host               host:     name HostName|NetBiosName, domain DnsDomain,
//                                id AzureID|OMSAgentID|MdatpDeviceId, os OSFamily
//   account            user:     name Name, domain NTDomain, upn Name@UPNSuffix (or
//                                Name when it holds '@'), sid Sid, id AadUserId,
//                                display_name DisplayName
//   ip                 ip:       address Address, country Location.CountryCode
//   file               file:     name Name, path Directory, sha1/sha256/md5 from
//                                FileHashes[] (Algorithm, Value)
//   filehash           file:     hash only - and only when no file entity refers to it
//   process            process:  id ProcessId, command_line CommandLine, name/path from
//                                ImageFile, user from Account.Name
//   azure-resource     resource: id ResourceId, name = last segment, subscription
//   url                url:      url Url
//   mailbox            mailbox:  address MailboxPrimaryAddress, upn Upn, display_name
//   cloud-application  cloud_app: id AppId (string or number), name Name
//   anything else      other:    type_name Type, name Name|DomainName
//   no Type            skipped
// A field of the wrong type rejects the alert: `Entities[3].HostName: expected a
// string, got a number` (the path of the top-level item, even for a resolved $ref).
#include <array>
#include <string>

#include "connector/core/text.hpp"
#include "connector/normalize/defender_common.hpp"
#include "connector/normalize/normalize_util.hpp"

namespace secfeed::defender {
namespace {

constexpr std::size_t kMaxIndexed = 256;  // real alerts carry a few dozen; more are ignored
constexpr int kMaxIndexDepth = 8;
constexpr int kMaxRefHops = 8;

const rapidjson::Value* member(const rapidjson::Value& object, std::string_view key) {
  const rapidjson::Value* v = find_member(object, key, KeyMatch::case_insensitive);
  return (v == nullptr || v->IsNull()) ? nullptr : v;
}

class EntityIndex {
 public:
  void add_definitions(const rapidjson::Value& value, int depth) {
    if (depth > kMaxIndexDepth) return;
    if (value.IsArray()) {
      for (const rapidjson::Value& element : value.GetArray()) {
        add_definitions(element, depth + 1);
      }
      return;
    }
    if (!value.IsObject()) return;
    const rapidjson::Value* id = member(value, "$id");
    if (id != nullptr && id->IsString() && size_ < entries_.size()) {
      entries_[size_++] = Entry{json_string(*id), &value, false};
    }
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      if (it->value.IsObject() || it->value.IsArray()) add_definitions(it->value, depth + 1);
    }
  }

  // The defining object `value` stands for: itself, or what its `$ref` (chain) points
  // at. nullptr for a dangling ref, a cycle, or a non-object.
  const rapidjson::Value* resolve(const rapidjson::Value& value) const {
    const rapidjson::Value* current = &value;
    for (int hop = 0; hop <= kMaxRefHops; ++hop) {
      if (!current->IsObject()) return nullptr;
      const rapidjson::Value* ref = member(*current, "$ref");
      if (ref == nullptr) return current;
      if (!ref->IsString()) return nullptr;
      const Entry* entry = find(json_string(*ref));
      if (entry == nullptr) return nullptr;
      current = entry->value;
    }
    return nullptr;
  }

  // Marks a definition as emitted; false if it already was. Objects without an `$id`
  // cannot be referenced, so they are always emitted exactly once.
  bool claim(const rapidjson::Value* definition) {
    for (std::size_t i = 0; i < size_; ++i) {
      if (entries_[i].value == definition) {
        if (entries_[i].claimed) return false;
        entries_[i].claimed = true;
      }
    }
    return true;
  }

 private:
  struct Entry {
    std::string_view id;
    const rapidjson::Value* value;
    bool claimed;
  };
  const Entry* find(std::string_view id) const {
    for (std::size_t i = 0; i < size_; ++i) {
      if (entries_[i].id == id) return &entries_[i];
    }
    return nullptr;
  }
  std::array<Entry, kMaxIndexed> entries_;
  std::size_t size_ = 0;
};

struct EntityContext {
  EntityIndex& index;
  Event& event;
  Arena& arena;
};

// A nested reference (ImageFile, Account, FileHashes[i]) resolved one level.
const rapidjson::Value* nested(ObjectReader& entity, std::string_view key,
                               const EntityIndex& index) {
  const rapidjson::Value* value = entity.object(key);
  return value == nullptr ? nullptr : index.resolve(*value);
}

std::string_view first_of(ObjectReader& entity, std::string_view a, std::string_view b,
                          std::string_view c = {}) {
  std::string_view value = entity.string(a);
  if (value.empty()) value = entity.string(b);
  if (value.empty() && !c.empty()) value = entity.string(c);
  return value;
}

// The text of a value that is an id as a string or a number (cloud-application AppId).
std::string_view id_text(ObjectReader& entity, std::string_view key, Arena& arena) {
  const rapidjson::Value* value = entity.find(key);
  if (value != nullptr && value->IsNumber()) return json_text(*value, arena);
  return entity.string(key);
}

void read_hash(ObjectReader& hash, Entity& file) {
  const std::string_view algorithm = hash.string("Algorithm");
  const std::string_view value = hash.string("Value");
  if (iequals(algorithm, "SHA1")) file.sha1 = value;
  if (iequals(algorithm, "SHA256")) file.sha256 = value;
  if (iequals(algorithm, "MD5")) file.md5 = value;
}

void map_host(ObjectReader& entity, Entity& host) {
  host.name = first_of(entity, "HostName", "NetBiosName");
  host.domain = entity.string("DnsDomain");
  host.id = first_of(entity, "AzureID", "OMSAgentID", "MdatpDeviceId");
  host.os = entity.string("OSFamily");
}

void map_account(ObjectReader& entity, Entity& user, Arena& arena) {
  user.name = entity.string("Name");
  user.domain = entity.string("NTDomain");
  user.sid = entity.string("Sid");
  user.id = entity.string("AadUserId");
  user.display_name = entity.string("DisplayName");
  const std::string_view suffix = entity.string("UPNSuffix");
  if (!suffix.empty() && !user.name.empty()) {
    const std::size_t size = user.name.size() + 1 + suffix.size();
    char* upn = arena.allocate(size);
    user.name.copy(upn, user.name.size());
    upn[user.name.size()] = '@';
    suffix.copy(upn + user.name.size() + 1, suffix.size());
    user.upn = {upn, size};
  } else if (user.name.find('@') != std::string_view::npos) {
    user.upn = user.name;
  }
}

void map_ip(ObjectReader& entity, Entity& ip) {
  ip.address = entity.string("Address");
  if (const rapidjson::Value* location = entity.object("Location")) {
    ObjectReader reader = entity.child(*location, "Location");
    ip.country = reader.string("CountryCode");
  }
}

void map_file(ObjectReader& entity, Entity& file, EntityIndex& index) {
  file.name = entity.string("Name");
  file.path = entity.string("Directory");
  const rapidjson::Value* hashes = entity.array("FileHashes");
  if (hashes == nullptr) return;
  std::size_t position = 0;
  for (const rapidjson::Value& item : hashes->GetArray()) {
    const rapidjson::Value* hash = index.resolve(item);
    if (hash == nullptr) continue;
    index.claim(hash);  // folded into this file: not a separate entity
    ObjectReader reader = entity.element(*hash, "FileHashes", position++);
    read_hash(reader, file);
  }
}

void map_process(ObjectReader& entity, Entity& process, const EntityIndex& index) {
  process.id = entity.string("ProcessId");
  process.command_line = entity.string("CommandLine");
  if (const rapidjson::Value* image = nested(entity, "ImageFile", index)) {
    ObjectReader reader = entity.child(*image, "ImageFile");
    process.name = reader.string("Name");
    process.path = reader.string("Directory");
  }
  if (const rapidjson::Value* account = nested(entity, "Account", index)) {
    ObjectReader reader = entity.child(*account, "Account");
    process.user = reader.string("Name");
  }
}

void map_entity(ObjectReader& entity, EntityContext& ctx) {
  const std::string_view type = entity.string("Type");
  if (type.empty()) return;  // a bare {"$ref": null} or a stray object: nothing to name
  if (iequals(type, "host")) {
    map_host(entity, ctx.event.add_entity(EntityType::host));
  } else if (iequals(type, "account")) {
    map_account(entity, ctx.event.add_entity(EntityType::user), ctx.arena);
  } else if (iequals(type, "ip")) {
    map_ip(entity, ctx.event.add_entity(EntityType::ip));
  } else if (iequals(type, "file") || iequals(type, "filehash")) {
    Entity& file = ctx.event.add_entity(EntityType::file);
    if (iequals(type, "file")) {
      map_file(entity, file, ctx.index);
    } else {
      read_hash(entity, file);
    }
  } else if (iequals(type, "process")) {
    map_process(entity, ctx.event.add_entity(EntityType::process), ctx.index);
  } else if (iequals(type, "azure-resource")) {
    Entity& resource = ctx.event.add_entity(EntityType::resource);
    resource.id = entity.string("ResourceId");
    resource.name = last_path_segment(resource.id);
    resource.subscription = subscription_from_resource_id(resource.id);
    set_subscription_from(ctx.event, resource.id);
  } else if (iequals(type, "url")) {
    ctx.event.add_entity(EntityType::url).url = entity.string("Url");
  } else if (iequals(type, "mailbox")) {
    Entity& mailbox = ctx.event.add_entity(EntityType::mailbox);
    mailbox.address = entity.string("MailboxPrimaryAddress");
    mailbox.upn = entity.string("Upn");
    mailbox.display_name = entity.string("DisplayName");
  } else if (iequals(type, "cloud-application")) {
    Entity& app = ctx.event.add_entity(EntityType::cloud_app);
    app.id = id_text(entity, "AppId", ctx.arena);
    app.name = entity.string("Name");
  } else {
    Entity& other = ctx.event.add_entity(EntityType::other);
    other.type_name = type;
    other.name = first_of(entity, "Name", "DomainName");
  }
}

bool is_filehash(const rapidjson::Value& definition) {
  const rapidjson::Value* type = member(definition, "Type");
  return type != nullptr && type->IsString() && iequals(json_string(*type), "filehash");
}

}  // namespace

void read_alert_entities(ObjectReader& alert, std::string_view key, Event& event, Arena& arena) {
  const rapidjson::Value* entities = alert.array(key);
  if (entities == nullptr) return;
  EntityIndex index;
  index.add_definitions(*entities, 0);
  EntityContext ctx{index, event, arena};
  // Hashes go last: a file that refers to them (wherever it sits) folds them in first.
  for (const bool hashes : {false, true}) {
    std::size_t position = 0;
    for (const rapidjson::Value& item : entities->GetArray()) {
      const std::size_t at = position++;
      if (!item.IsObject()) {
        if (!hashes && !item.IsNull()) {
          alert.element(item, key, at)
              .fail({},
                    std::string("expected an object, got ") + std::string(json_type_name(item)));
          return;
        }
        continue;
      }
      const rapidjson::Value* definition = index.resolve(item);
      if (definition == nullptr || is_filehash(*definition) != hashes) continue;
      if (!index.claim(definition)) continue;
      ObjectReader reader = alert.element(*definition, key, at);
      map_entity(reader, ctx);
      if (alert.failed()) return;
    }
  }
}

}  // namespace secfeed::defender
