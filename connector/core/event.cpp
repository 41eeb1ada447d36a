#include "connector/core/event.hpp"

#include <array>

#include "connector/core/text.hpp"

namespace secfeed {
namespace {

constexpr std::array<std::string_view, kEventKindCount> kKindNames = {
    "alert",          "incident", "secure_score", "control_score", "control_profile",
    "recommendation", "finding",  "compliance",   "score_change",
};

}  // namespace

std::string_view to_string(EventKind kind) {
  return kKindNames[static_cast<int>(kind)];
}

std::optional<EventKind> event_kind_from_string(std::string_view text) {
  for (int i = 0; i < kEventKindCount; ++i) {
    if (iequals(text, kKindNames[i])) return static_cast<EventKind>(i);
  }
  return std::nullopt;
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::informational:
      return "informational";
    case Severity::low:
      return "low";
    case Severity::medium:
      return "medium";
    case Severity::high:
      return "high";
    case Severity::critical:
      return "critical";
    case Severity::unknown:
      break;
  }
  return "unknown";
}

Severity severity_from_string(std::string_view text) {
  if (iequals(text, "high")) return Severity::high;
  if (iequals(text, "medium") || iequals(text, "moderate")) return Severity::medium;
  if (iequals(text, "low")) return Severity::low;
  if (iequals(text, "informational") || iequals(text, "info")) return Severity::informational;
  if (iequals(text, "critical")) return Severity::critical;
  return Severity::unknown;
}

int default_severity_score(Severity severity) {
  switch (severity) {
    case Severity::informational:
      return 1;
    case Severity::low:
      return 3;
    case Severity::medium:
      return 5;
    case Severity::high:
      return 8;
    case Severity::critical:
      return 10;
    case Severity::unknown:
      break;
  }
  return 0;
}

std::string_view to_string(EntityType type) {
  switch (type) {
    case EntityType::host:
      return "host";
    case EntityType::user:
      return "user";
    case EntityType::ip:
      return "ip";
    case EntityType::file:
      return "file";
    case EntityType::url:
      return "url";
    case EntityType::process:
      return "process";
    case EntityType::resource:
      return "resource";
    case EntityType::mailbox:
      return "mailbox";
    case EntityType::cloud_app:
      return "cloud_app";
    case EntityType::other:
      break;
  }
  return "other";
}

void Event::clear() {
  // Keep the vectors (their capacity is the point of reuse); reset everything else.
  std::vector<std::string_view> tactics_keep = std::move(tactics);
  std::vector<std::string_view> techniques_keep = std::move(techniques);
  std::vector<std::string_view> tags_keep = std::move(tags);
  std::vector<std::string_view> actions_keep = std::move(recommended_actions);
  std::vector<Entity> entities_keep = std::move(entities);
  std::vector<Attribute> attributes_keep = std::move(attributes);
  *this = Event{};
  tactics = std::move(tactics_keep);
  techniques = std::move(techniques_keep);
  tags = std::move(tags_keep);
  recommended_actions = std::move(actions_keep);
  entities = std::move(entities_keep);
  attributes = std::move(attributes_keep);
  tactics.clear();
  techniques.clear();
  tags.clear();
  recommended_actions.clear();
  entities.clear();
  attributes.clear();
}

Entity& Event::add_entity(EntityType type) {
  Entity& entity = entities.emplace_back();
  entity.type = type;
  return entity;
}

void Event::add_string(std::string_view key, std::string_view value) {
  Attribute& a = attributes.emplace_back();
  a.key = key;
  a.type = Attribute::Type::string;
  a.text = value;
}

void Event::add_integer(std::string_view key, std::int64_t value) {
  Attribute& a = attributes.emplace_back();
  a.key = key;
  a.type = Attribute::Type::integer;
  a.integer = value;
}

void Event::add_number(std::string_view key, double value) {
  Attribute& a = attributes.emplace_back();
  a.key = key;
  a.type = Attribute::Type::number;
  a.number = value;
}

void Event::add_boolean(std::string_view key, bool value) {
  Attribute& a = attributes.emplace_back();
  a.key = key;
  a.type = Attribute::Type::boolean;
  a.boolean = value;
}

void Event::add_json(std::string_view key, std::string_view raw_json) {
  Attribute& a = attributes.emplace_back();
  a.key = key;
  a.type = Attribute::Type::json;
  a.text = raw_json;
}

const Attribute* Event::find_attribute(std::string_view key) const {
  for (const Attribute& a : attributes) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

Event& EventBatch::add() {
  if (size_ < events_.size()) {
    Event& event = events_[size_++];
    event.clear();
    return event;
  }
  ++size_;
  return events_.emplace_back();
}

}  // namespace secfeed
