#include "sinks/encoders/ocsf_entities.hpp"

#include <charconv>

#include "connector/core/text.hpp"
#include "sinks/encoders/ocsf_enums.hpp"

namespace secfeed::ocsf {
namespace {

bool is_destination(const Entity& entity) {
  constexpr std::string_view kDestination = "destination";
  for (std::size_t i = 0; i + kDestination.size() <= entity.role.size(); ++i) {
    if (iequals(entity.role.substr(i, kDestination.size()), kDestination)) return true;
  }
  return false;
}

// A pid is an integer in OCSF; process ids that are not one go to `uid`.
bool parse_pid(std::string_view text, std::int64_t& pid) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  return ec == std::errc() && end == text.data() + text.size() && pid >= 0 && pid <= INT32_MAX;
}

void enum_fields(JsonLine& json, std::string_view id_key, std::string_view caption_key,
                 Enum value) {
  json.key(id_key);
  json.integer(value.id);
  json.key(caption_key);
  json.string(value.caption);
}

void write_hash(JsonLine& json, int algorithm_id, std::string_view algorithm,
                std::string_view value) {
  if (value.empty()) return;
  json.begin_object();
  json.key("algorithm_id");
  json.integer(algorithm_id);
  json.key("algorithm");
  json.string(algorithm);
  json.key("value");
  json.string(value);
  json.end_object();
}

// OCSF File: name is required; Graph's filePath is the folder, hence parent_folder.
void write_file(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.optional_string("name", entity.name);
  json.optional_string("parent_folder", entity.path);
  if (entity.size >= 0) {
    json.key("size");
    json.integer(entity.size);
  }
  if (!entity.sha256.empty() || !entity.sha1.empty() || !entity.md5.empty()) {
    json.key("hashes");
    json.begin_array();
    write_hash(json, 3, "SHA-256", entity.sha256);
    write_hash(json, 2, "SHA-1", entity.sha1);
    write_hash(json, 1, "MD5", entity.md5);
    json.end_array();
  }
  enum_fields(json, "type_id", "type", {1, "Regular File"});
  json.end_object();
}

void write_device(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.optional_string("hostname", entity.name);
  json.optional_string("uid", entity.id);
  json.optional_string("ip", entity.address);
  if (!entity.os.empty()) {
    json.key("os");
    json.begin_object();
    json.key("name");
    json.string(entity.os);
    enum_fields(json, "type_id", "type", os_type(entity.os));
    json.end_object();
  }
  enum_fields(json, "type_id", "type", {});
  json.end_object();
}

void write_user(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.optional_string("name", entity.name);
  json.optional_string("domain", entity.domain);
  // The Entra object id is the stable uid; the SID stands in when it is all there is.
  json.optional_string("uid", entity.id.empty() ? entity.sid : entity.id);
  if (!entity.id.empty()) json.optional_string("uid_alt", entity.sid);
  json.optional_string("email_addr", entity.upn);
  json.optional_string("full_name", entity.display_name);
  json.end_object();
}

void write_mailbox_user(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.optional_string("name", entity.upn);
  json.optional_string("email_addr", entity.address);
  json.optional_string("full_name", entity.display_name);
  json.end_object();
}

void write_endpoint(JsonLine& json, const Entity& entity) {
  json.begin_object();
  json.optional_string("ip", entity.address);
  if (!entity.country.empty()) {
    json.key("location");
    json.begin_object();
    json.key("country");
    json.string(entity.country);
    json.end_object();
  }
  json.end_object();
}

void write_process(JsonLine& json, const Entity& entity) {
  json.begin_object();
  std::int64_t pid = 0;
  if (parse_pid(entity.id, pid)) {
    json.key("pid");
    json.integer(pid);
  } else {
    json.optional_string("uid", entity.id);
  }
  json.optional_string("name", entity.name);
  json.optional_string("cmd_line", entity.command_line);
  if (!entity.name.empty()) {
    json.key("file");
    json.begin_object();
    json.key("name");
    json.string(entity.name);
    json.optional_string("parent_folder", entity.path);
    enum_fields(json, "type_id", "type", {1, "Regular File"});
    json.end_object();
  }
  json.optional_object_of("user", "name", entity.user);
  json.end_object();
}

// Whatever the artifact object cannot hold: the evidence roles, its remediation
// status, and for `other` entities their name/id/path.
void write_evidence_data(JsonLine& json, const Entity& entity) {
  const bool has_other_fields =
      entity.type == EntityType::other &&
      (!entity.name.empty() || !entity.id.empty() || !entity.path.empty());
  if (entity.role.empty() && entity.remediation_status.empty() && !has_other_fields) return;
  json.key("data");
  json.begin_object();
  json.optional_string("roles", entity.role);
  json.optional_string("remediation_status", entity.remediation_status);
  if (entity.type == EntityType::other) {
    json.optional_string("name", entity.name);
    json.optional_string("id", entity.id);
    json.optional_string("path", entity.path);
  }
  json.end_object();
}

void write_evidence(JsonLine& json, const Entity& entity) {
  json.begin_object();
  switch (entity.type) {
    case EntityType::host:
      json.key("device");
      write_device(json, entity);
      break;
    case EntityType::user:
      json.key("user");
      write_user(json, entity);
      break;
    case EntityType::mailbox:
      json.key("user");
      write_mailbox_user(json, entity);
      break;
    case EntityType::ip:
      json.key(is_destination(entity) ? "dst_endpoint" : "src_endpoint");
      write_endpoint(json, entity);
      break;
    case EntityType::file:
      json.key("file");
      write_file(json, entity);
      break;
    case EntityType::url:
      json.key("url");
      json.begin_object();
      json.optional_string("url_string", entity.url);
      json.end_object();
      break;
    case EntityType::process:
      json.key("process");
      write_process(json, entity);
      break;
    case EntityType::cloud_app:
      json.key("actor");
      json.begin_object();
      json.optional_string("app_name", entity.name);
      json.optional_string("app_uid", entity.id);
      json.end_object();
      break;
    case EntityType::resource:  // in `resources`, never here
    case EntityType::other:
      json.optional_string("name", entity.type_name);
      break;
  }
  if (!entity.verdict.empty()) {
    enum_fields(json, "verdict_id", "verdict", verdict(entity.verdict));
  }
  write_evidence_data(json, entity);
  json.end_object();
}

struct Observable {
  std::string_view name;
  int type_id;
  std::string_view type;
};

void write_observable(JsonLine& json, bool& open, const Observable& observable,
                      std::string_view value) {
  if (value.empty()) return;
  if (!open) {
    json.key("observables");
    json.begin_array();
    open = true;
  }
  json.begin_object();
  json.key("name");
  json.string(observable.name);
  json.key("type_id");
  json.integer(observable.type_id);
  json.key("type");
  json.string(observable.type);
  json.key("value");
  json.string(value);
  json.end_object();
}

}  // namespace

void write_resources(JsonLine& json, const Event& event) {
  bool open = false;
  const auto open_once = [&] {
    if (open) return;
    json.key("resources");
    json.begin_array();
    open = true;
  };
  for (const Entity& entity : event.entities) {
    if (entity.type != EntityType::resource) continue;
    open_once();
    json.begin_object();
    json.optional_string("uid", entity.id);
    json.optional_string("name", entity.name);
    json.optional_string("type", entity.type_name);
    json.end_object();
  }
  if (!open && !event.resource_id.empty()) {
    open_once();
    json.begin_object();
    json.key("uid");
    json.string(event.resource_id);
    json.end_object();
  }
  if (open) json.end_array();
}

void write_evidences(JsonLine& json, const Event& event) {
  bool open = false;
  for (const Entity& entity : event.entities) {
    if (entity.type == EntityType::resource) continue;
    if (!open) {
      json.key("evidences");
      json.begin_array();
      open = true;
    }
    write_evidence(json, entity);
  }
  if (open) json.end_array();
}

void write_observables(JsonLine& json, const Event& event) {
  bool open = false;
  for (const Entity& entity : event.entities) {
    switch (entity.type) {
      case EntityType::host:
        write_observable(json, open, {"device.hostname", 1, "Hostname"}, entity.name);
        write_observable(json, open, {"device.ip", 2, "IP Address"}, entity.address);
        break;
      case EntityType::ip:
        write_observable(
            json, open,
            {is_destination(entity) ? "dst_endpoint.ip" : "src_endpoint.ip", 2, "IP Address"},
            entity.address);
        break;
      case EntityType::user:
        write_observable(json, open, {"user.name", 4, "User Name"}, entity.name);
        write_observable(json, open, {"user.email_addr", 5, "Email Address"}, entity.upn);
        break;
      case EntityType::mailbox:
        write_observable(json, open, {"user.email_addr", 5, "Email Address"}, entity.address);
        break;
      case EntityType::url:
        write_observable(json, open, {"url.url_string", 6, "URL String"}, entity.url);
        break;
      case EntityType::file:
        write_observable(json, open, {"file.name", 7, "File Name"}, entity.name);
        write_observable(json, open, {"file.hashes.value", 8, "Hash"}, entity.sha256);
        write_observable(json, open, {"file.hashes.value", 8, "Hash"}, entity.sha1);
        write_observable(json, open, {"file.hashes.value", 8, "Hash"}, entity.md5);
        break;
      case EntityType::process:
        write_observable(json, open, {"process.name", 9, "Process Name"}, entity.name);
        break;
      case EntityType::resource:
        write_observable(json, open, {"resources.uid", 10, "Resource UID"}, entity.id);
        break;
      case EntityType::cloud_app:
      case EntityType::other:
        break;
    }
  }
  if (open) json.end_array();
}

}  // namespace secfeed::ocsf
