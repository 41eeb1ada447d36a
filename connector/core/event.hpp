// The normalized event model: one shape for every Microsoft security payload.
// Its JSON form is described by schemas/event.schema.json (encoded by
// sinks/encoders/json_encoder). All text fields are views into the parsed source
// document or into the batch's Arena: an Event is valid only while both live. Sinks
// encode events into their own buffers before the batch is released.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace secfeed {

enum class EventKind : std::uint8_t {
  alert,
  incident,
  secure_score,
  control_score,
  control_profile,
  recommendation,
  finding,
  compliance,
  score_change,
};
inline constexpr int kEventKindCount = 9;

// Normalized severity. The 0..10 number (CEF scale) travels beside it in
// Event::severity_score because some sources (Defender findings, score changes) carry
// a finer value than the enum.
enum class Severity : std::uint8_t { unknown, informational, low, medium, high, critical };

std::string_view to_string(EventKind kind);
std::string_view to_string(Severity severity);
std::optional<EventKind> event_kind_from_string(std::string_view text);  // case-insensitive
// Maps any vendor spelling (High, HIGH, informational, Informational, unknownFutureValue)
// to the enum; unrecognised text is `unknown`.
Severity severity_from_string(std::string_view text);
// CEF scale: unknown 0, informational 1, low 3, medium 5, high 8, critical 10.
int default_severity_score(Severity severity);

inline constexpr std::int64_t kNoTime = INT64_MIN;  // "absent" for every *_ms field

enum class EntityType : std::uint8_t {
  host,
  user,
  ip,
  file,
  url,
  process,
  resource,
  mailbox,
  cloud_app,
  other,
};
std::string_view to_string(EntityType type);

// One extracted entity. Which fields are set depends on the type:
//   host:      name (DNS/NetBIOS), id (MDE/AAD device id), os, address (IP)
//   user:      name (account), domain, upn, sid, id (AAD object id), display_name
//   ip:        address, country
//   file:      name, path, sha1, sha256, md5, size
//   url:       url
//   process:   id (pid as text), command_line, name (image file), path, user (account)
//   resource:  id (ARM id), name, type (resource type), subscription
//   mailbox:   address (primary SMTP), upn, display_name
//   cloud_app: id (app id), name
//   other:     type_name (e.g. the unknown evidence's @odata.type), name
// `role` carries the evidence roles / verdict when the source gives them, and
// `remediation_status` the evidence's remediationStatus (Graph alerts_v2).
struct Entity {
  EntityType type = EntityType::other;
  std::string_view type_name, role, verdict, remediation_status;
  std::string_view name, id, domain, upn, sid, display_name, address, country;
  std::string_view path, sha1, sha256, md5, url, command_line, user, os, subscription;
  std::int64_t size = -1;
};

// A kind-specific attribute that has no typed field (scores, counts, resource types,
// open extra keys). Keys are snake_case and stable: they are part of the schema.
struct Attribute {
  enum class Type : std::uint8_t { string, integer, number, boolean, json };
  std::string_view key;
  Type type = Type::string;
  std::string_view text;  // string value, or raw JSON text when type == json
  std::int64_t integer = 0;
  double number = 0;
  bool boolean = false;
};

struct Event {
  EventKind kind = EventKind::alert;
  // Where it came from: the payload kind (graph_alert, mdc_alert ...), the configured
  // source name, and the tenant (the payload's own tenant id wins over the config's).
  std::string_view payload_kind, source, tenant_id, tenant_name;
  std::string_view id;           // stable id of the object (alert id, score id ...)
  std::string_view provider_id;  // vendor-side id (providerAlertId, SystemAlertId)
  std::string_view vendor, product, product_version;
  std::string_view title, description, status, category, classification, determination;
  std::string_view assigned_to, detection_source, service_source, detector_id;
  std::string_view incident_id, url, remediation, subscription_id, resource_id;
  Severity severity = Severity::unknown;
  int severity_score = 0;  // 0..10
  // Milliseconds since the epoch (UTC); kNoTime when absent. `time_ms` is the event's
  // own time: the last update for alerts/incidents, the score date for scores.
  std::int64_t time_ms = kNoTime;
  std::int64_t created_ms = kNoTime, updated_ms = kNoTime, first_activity_ms = kNoTime;
  std::int64_t last_activity_ms = kNoTime, resolved_ms = kNoTime;
  std::vector<std::string_view> tactics, techniques, tags, recommended_actions;
  std::vector<Entity> entities;
  std::vector<Attribute> attributes;
  // The record as it arrived: raw_text when the source had it as one JSON text,
  // otherwise raw_value (an item inside a list response) which encoders serialize.
  std::string_view raw_text;
  const rapidjson::Value* raw_value = nullptr;

  // Resets every field but keeps vector capacity, so a reused Event allocates nothing.
  void clear();

  Entity& add_entity(EntityType type);
  void add_string(std::string_view key, std::string_view value);
  void add_integer(std::string_view key, std::int64_t value);
  void add_number(std::string_view key, double value);
  void add_boolean(std::string_view key, bool value);
  void add_json(std::string_view key, std::string_view raw_json);
  const Attribute* find_attribute(std::string_view key) const;
};

// A reusable list of events: clear() keeps the Event objects (and their vectors'
// capacity) for the next batch. Backed by a deque so a reference returned by add()
// stays valid while more events are added.
class EventBatch {
 public:
  Event& add();
  void clear() { size_ = 0; }
  // Drops events added after `size` (a normalizer rejecting an item half-way).
  void truncate(std::size_t size) {
    if (size < size_) size_ = size;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Event& operator[](std::size_t i) { return events_[i]; }
  const Event& operator[](std::size_t i) const { return events_[i]; }
  auto begin() { return events_.begin(); }
  auto end() { return events_.begin() + static_cast<std::ptrdiff_t>(size_); }
  auto begin() const { return events_.begin(); }
  auto end() const { return events_.begin() + static_cast<std::ptrdiff_t>(size_); }

 private:
  std::deque<Event> events_;
  std::size_t size_ = 0;
};

}  // namespace secfeed
