#include "sinks/encoders/cef_mapping.hpp"

#include <array>
#include <charconv>

#include <rapidjson/document.h>

#include "connector/core/text.hpp"
#include "embedded.hpp"
#include "sinks/encoders/cef_keys.hpp"

namespace secfeed {
namespace {

struct TextField {
  std::string_view name;
  std::string_view Event::*member;
};
constexpr std::array<TextField, 24> kTextFields = {{
    {"payload_kind", &Event::payload_kind},
    {"source", &Event::source},
    {"tenant_id", &Event::tenant_id},
    {"tenant_name", &Event::tenant_name},
    {"id", &Event::id},
    {"provider_id", &Event::provider_id},
    {"vendor", &Event::vendor},
    {"product", &Event::product},
    {"product_version", &Event::product_version},
    {"title", &Event::title},
    {"description", &Event::description},
    {"status", &Event::status},
    {"category", &Event::category},
    {"classification", &Event::classification},
    {"determination", &Event::determination},
    {"assigned_to", &Event::assigned_to},
    {"detection_source", &Event::detection_source},
    {"service_source", &Event::service_source},
    {"detector_id", &Event::detector_id},
    {"incident_id", &Event::incident_id},
    {"url", &Event::url},
    {"remediation", &Event::remediation},
    {"subscription_id", &Event::subscription_id},
    {"resource_id", &Event::resource_id},
}};

struct TimeField {
  std::string_view name;
  std::int64_t Event::*member;
};
constexpr std::array<TimeField, 6> kTimeFields = {{
    {"time_ms", &Event::time_ms},
    {"created_ms", &Event::created_ms},
    {"updated_ms", &Event::updated_ms},
    {"first_activity_ms", &Event::first_activity_ms},
    {"last_activity_ms", &Event::last_activity_ms},
    {"resolved_ms", &Event::resolved_ms},
}};

struct ListField {
  std::string_view name;
  std::vector<std::string_view> Event::*member;
};
constexpr std::array<ListField, 4> kListFields = {{
    {"tactics", &Event::tactics},
    {"techniques", &Event::techniques},
    {"tags", &Event::tags},
    {"recommended_actions", &Event::recommended_actions},
}};

struct EntityField {
  std::string_view name;
  std::string_view Entity::*member;
};
constexpr std::array<EntityField, 20> kEntityFields = {{
    {"type_name", &Entity::type_name},
    {"role", &Entity::role},
    {"verdict", &Entity::verdict},
    {"name", &Entity::name},
    {"id", &Entity::id},
    {"domain", &Entity::domain},
    {"upn", &Entity::upn},
    {"sid", &Entity::sid},
    {"display_name", &Entity::display_name},
    {"address", &Entity::address},
    {"country", &Entity::country},
    {"path", &Entity::path},
    {"sha1", &Entity::sha1},
    {"sha256", &Entity::sha256},
    {"md5", &Entity::md5},
    {"url", &Entity::url},
    {"command_line", &Entity::command_line},
    {"user", &Entity::user},
    {"os", &Entity::os},
    {"subscription", &Entity::subscription},
}};

constexpr std::array<EntityType, 10> kEntityTypes = {
    EntityType::host,      EntityType::user,    EntityType::ip,       EntityType::file,
    EntityType::url,       EntityType::process, EntityType::resource, EntityType::mailbox,
    EntityType::cloud_app, EntityType::other};

bool parse_source(std::string_view text, CefSource& source) {
  if (text == "kind") {
    source.kind = CefSource::Kind::kind_name;
    return true;
  }
  if (text == "severity") {
    source.kind = CefSource::Kind::severity_label;
    return true;
  }
  if (text == "severity_score") {
    source.kind = CefSource::Kind::severity_score;
    return true;
  }
  if (text.starts_with("attr.")) {
    source.kind = CefSource::Kind::attribute;
    source.attribute_key = std::string(text.substr(5));
    return !source.attribute_key.empty();
  }
  if (text.starts_with("entity.")) {
    text.remove_prefix(7);
    const std::size_t dot = text.find('.');
    if (dot == std::string_view::npos) return false;
    const std::string_view type = text.substr(0, dot), field = text.substr(dot + 1);
    bool type_found = false;
    for (EntityType candidate : kEntityTypes) {
      if (to_string(candidate) == type) {
        source.entity_type = candidate;
        type_found = true;
      }
    }
    if (!type_found) return false;
    if (field == "size") {
      source.kind = CefSource::Kind::entity_size;
      return true;
    }
    for (const EntityField& f : kEntityFields) {
      if (f.name == field) {
        source.kind = CefSource::Kind::entity_text;
        source.entity_text = f.member;
        return true;
      }
    }
    return false;
  }
  for (const TextField& f : kTextFields) {
    if (f.name == text) {
      source.kind = CefSource::Kind::text;
      source.text = f.member;
      return true;
    }
  }
  for (const TimeField& f : kTimeFields) {
    if (f.name == text) {
      source.kind = CefSource::Kind::time;
      source.time = f.member;
      return true;
    }
  }
  for (const ListField& f : kListFields) {
    if (f.name == text) {
      source.kind = CefSource::Kind::list;
      source.list = f.member;
      return true;
    }
  }
  return false;
}

bool read_string_list(const rapidjson::Value& rule, const char* name, std::vector<std::string>& out,
                      std::string& problem) {
  const auto it = rule.FindMember(name);
  if (it == rule.MemberEnd()) return true;
  if (!it->value.IsArray()) {
    problem = std::string(name) + " must be an array of strings";
    return false;
  }
  for (const rapidjson::Value& item : it->value.GetArray()) {
    if (!item.IsString()) {
      problem = std::string(name) + " must be an array of strings";
      return false;
    }
    std::string text(item.GetString(), item.GetStringLength());
    for (char& c : text) c = ascii_lower(c);
    out.push_back(std::move(text));
  }
  return true;
}

// Fills `rule` from one JSON object; on error sets `problem` (without the position).
bool compile_rule(const rapidjson::Value& json, CefFieldRule& rule, std::string& problem) {
  if (!json.IsObject()) {
    problem = "expected an object";
    return false;
  }
  const auto key = json.FindMember("key");
  if (key == json.MemberEnd() || !key->value.IsString()) {
    problem = "key must be a string";
    return false;
  }
  rule.key.assign(key->value.GetString(), key->value.GetStringLength());
  if (!is_valid_cef_key(rule.key)) {
    problem = "key must match [A-Za-z0-9]+";
    return false;
  }
  const std::optional<CefKeyInfo> info = find_cef_key(rule.key);
  if (info) {
    rule.type = info->type;
    rule.limit = info->limit;
    rule.custom_string_limit = info->custom_string;
  }
  const bool labeled = info && info->labeled;
  const auto label = json.FindMember("label");
  const bool has_label = label != json.MemberEnd() && !label->value.IsNull();
  if (has_label) {
    if (!labeled) {
      problem =
          "label is only allowed for custom keys (cs*, cn*, cfp*, c6a*, flexString*, "
          "deviceCustomDate*, flexDate1)";
      return false;
    }
    if (!label->value.IsString() || label->value.GetStringLength() == 0) {
      problem = "label must be a non-empty string";
      return false;
    }
    rule.label.assign(label->value.GetString(), label->value.GetStringLength());
    rule.label_key = rule.key + "Label";
  } else if (labeled) {
    problem = "label is required for " + rule.key;
    return false;
  }
  const auto source = json.FindMember("source");
  if (source == json.MemberEnd() || !source->value.IsString()) {
    problem = "source must be a string";
    return false;
  }
  std::string_view alternatives(source->value.GetString(), source->value.GetStringLength());
  while (true) {
    const std::size_t bar = alternatives.find('|');
    const std::string_view one = trim(alternatives.substr(0, bar));
    CefSource& compiled = rule.sources.emplace_back();
    if (!parse_source(one, compiled)) {
      problem = "unknown source \"" + std::string(one) + "\"";
      return false;
    }
    if (bar == std::string_view::npos) break;
    alternatives.remove_prefix(bar + 1);
  }
  const auto kinds = json.FindMember("kinds");
  if (kinds != json.MemberEnd()) {
    if (!kinds->value.IsArray() || kinds->value.Empty()) {
      problem = "kinds must be a non-empty array of event kinds";
      return false;
    }
    rule.kinds_mask = 0;
    for (const rapidjson::Value& item : kinds->value.GetArray()) {
      const std::optional<EventKind> kind =
          item.IsString() ? event_kind_from_string(item.GetString()) : std::nullopt;
      if (!kind) {
        problem = "kinds: unknown event kind";
        return false;
      }
      rule.kinds_mask |= 1u << static_cast<unsigned>(*kind);
    }
  }
  if (!read_string_list(json, "roles", rule.roles, problem) ||
      !read_string_list(json, "not_roles", rule.not_roles, problem)) {
    return false;
  }
  const auto limit = json.FindMember("limit");
  if (limit != json.MemberEnd()) {
    if (!limit->value.IsUint() || limit->value.GetUint() == 0) {
      problem = "limit must be a positive integer";
      return false;
    }
    rule.limit = limit->value.GetUint();
    rule.custom_string_limit = false;
  }
  return true;
}

bool icontains(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool role_matches(const CefFieldRule& rule, std::string_view role) {
  if (!rule.roles.empty()) {
    bool any = false;
    for (const std::string& wanted : rule.roles) any = any || icontains(role, wanted);
    if (!any) return false;
  }
  for (const std::string& unwanted : rule.not_roles) {
    if (icontains(role, unwanted)) return false;
  }
  return true;
}

bool parse_integer(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 20) return false;
  bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return false;
  std::uint64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  if (magnitude > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return false;
  value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

bool is_ipv4(std::string_view text) {
  int octets = 0;
  std::size_t i = 0;
  while (octets < 4) {
    std::size_t digits = 0;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
      ++digits;
    }
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[i - digits] == '0')) {
      return false;
    }
    ++octets;
    if (octets < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  return i == text.size();
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 4291 text forms, including "::" compression and an embedded IPv4 tail.
bool is_ipv6(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (text.starts_with("::")) {
    compressed = true;
    i = 2;
    if (i == text.size()) return true;
  } else if (text.front() == ':') {
    return false;
  }
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && is_hex(text[end])) ++end;
    if (end < text.size() && text[end] == '.') {
      // IPv4 tail: the rest must be a dotted quad and count as two groups.
      if (!is_ipv4(text.substr(i))) return false;
      groups += 2;
      i = text.size();
      break;
    }
    if (end == i || end - i > 4) return false;
    ++groups;
    i = end;
    if (i == text.size()) break;
    if (text[i] != ':') return false;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == text.size()) break;
    } else if (i == text.size()) {
      return false;  // trailing single colon
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// Converts a candidate to the rule's type; false when it is not usable for the key.
bool accept_text(const CefFieldRule& rule, std::string_view text, CefValue& value) {
  if (text.empty()) return false;
  switch (rule.type) {
    case CefValueType::string:
      value.form = CefValue::Form::text;
      value.text = text;
      return true;
    case CefValueType::ipv4:
      if (!is_ipv4(text)) return false;
      value.form = CefValue::Form::text;
      value.text = text;
      return true;
    case CefValueType::ipv6:
      if (text.find(':') == std::string_view::npos || !is_ipv6(text)) return false;
      value.form = CefValue::Form::text;
      value.text = text;
      return true;
    case CefValueType::int32:
    case CefValueType::int64:
    case CefValueType::time: {
      std::int64_t number;
      if (!parse_integer(text, number)) return false;
      if (rule.type == CefValueType::int32 && (number < INT32_MIN || number > INT32_MAX)) {
        return false;
      }
      value.form = CefValue::Form::integer;
      value.integer = number;
      return true;
    }
    case CefValueType::real:
      return false;
  }
  return false;
}

bool accept_integer(const CefFieldRule& rule, std::int64_t number, CefValue& value) {
  if (rule.type == CefValueType::ipv4 || rule.type == CefValueType::ipv6) return false;
  if (rule.type == CefValueType::int32 && (number < INT32_MIN || number > INT32_MAX)) {
    return false;
  }
  if (rule.type == CefValueType::time && number == kNoTime) return false;
  value.form = CefValue::Form::integer;
  value.integer = number;
  return true;
}

bool accept_real(const CefFieldRule& rule, double number, CefValue& value) {
  if (!(number == number) || number > 1.7e308 || number < -1.7e308) return false;  // NaN, inf
  switch (rule.type) {
    case CefValueType::real:
    case CefValueType::string:
      value.form = CefValue::Form::real;
      value.real = number;
      return true;
    case CefValueType::int32:
    case CefValueType::int64:
      // A whole number stored as a double (JSON "12.0") is still a count.
      // Range first: converting an out-of-range double to an integer is undefined.
      if (number >= 9.2e18 || number <= -9.2e18 ||
          number != static_cast<double>(static_cast<std::int64_t>(number))) {
        return false;
      }
      return accept_integer(rule, static_cast<std::int64_t>(number), value);
    default:
      return false;
  }
}

bool accept_attribute(const CefFieldRule& rule, const Attribute& attribute, CefValue& value) {
  switch (attribute.type) {
    case Attribute::Type::string:
      return accept_text(rule, attribute.text, value);
    case Attribute::Type::integer:
      if (rule.type == CefValueType::real)
        return accept_real(rule, double(attribute.integer), value);
      return accept_integer(rule, attribute.integer, value);
    case Attribute::Type::number:
      return accept_real(rule, attribute.number, value);
    case Attribute::Type::boolean:
      if (rule.type != CefValueType::string) return false;
      value.form = CefValue::Form::text;
      value.text = attribute.boolean ? "true" : "false";
      return true;
    case Attribute::Type::json:
      return rule.type == CefValueType::string && accept_text(rule, attribute.text, value);
  }
  return false;
}

bool resolve_source(const CefFieldRule& rule, const CefSource& source, const Event& event,
                    CefValue& value) {
  switch (source.kind) {
    case CefSource::Kind::text:
      return accept_text(rule, event.*source.text, value);
    case CefSource::Kind::time: {
      const std::int64_t ms = event.*source.time;
      if (ms == kNoTime) return false;
      if (rule.type == CefValueType::string || rule.type == CefValueType::real) return false;
      return accept_integer(rule, ms, value);
    }
    case CefSource::Kind::list: {
      const std::vector<std::string_view>& list = event.*source.list;
      if (list.empty() || rule.type != CefValueType::string) return false;
      value.form = CefValue::Form::list;
      value.list = &list;
      return true;
    }
    case CefSource::Kind::kind_name:
      return accept_text(rule, to_string(event.kind), value);
    case CefSource::Kind::severity_label:
      return accept_text(rule, to_string(event.severity), value);
    case CefSource::Kind::severity_score:
      if (rule.type == CefValueType::real) return accept_real(rule, event.severity_score, value);
      return accept_integer(rule, event.severity_score, value);
    case CefSource::Kind::attribute: {
      const Attribute* attribute = event.find_attribute(source.attribute_key);
      return attribute != nullptr && accept_attribute(rule, *attribute, value);
    }
    case CefSource::Kind::entity_text:
      for (const Entity& entity : event.entities) {
        if (entity.type != source.entity_type || !role_matches(rule, entity.role)) continue;
        if (accept_text(rule, entity.*source.entity_text, value)) return true;
      }
      return false;
    case CefSource::Kind::entity_size:
      for (const Entity& entity : event.entities) {
        if (entity.type != source.entity_type || !role_matches(rule, entity.role)) continue;
        if (entity.size >= 0 && accept_integer(rule, entity.size, value)) return true;
      }
      return false;
  }
  return false;
}

struct CompiledMapping {
  CefMapping mapping;
  std::string error;
};

const CompiledMapping& embedded_mapping() {
  static const CompiledMapping compiled = [] {
    CompiledMapping result;
    if (!compile_cef_mapping(embedded::cef_mapping_json, result.mapping, result.error)) {
      result.mapping.rules.clear();
      result.error = "schemas/cef-mapping.json: " + result.error;
    }
    return result;
  }();
  return compiled;
}

}  // namespace

bool compile_cef_mapping(std::string_view json, CefMapping& mapping, std::string& error) {
  mapping.rules.clear();
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    error = "invalid JSON at offset " + std::to_string(document.GetErrorOffset());
    return false;
  }
  const auto fields_error = [&] {
    error = "expected an object with a \"fields\" array";
    return false;
  };
  if (!document.IsObject()) return fields_error();
  const auto fields = document.FindMember("fields");
  if (fields == document.MemberEnd() || !fields->value.IsArray()) return fields_error();
  const rapidjson::Value& rules = fields->value;
  mapping.rules.reserve(rules.Size());
  for (rapidjson::SizeType i = 0; i < rules.Size(); ++i) {
    CefFieldRule& rule = mapping.rules.emplace_back();
    std::string problem;
    const auto where = [&] {
      std::string text = "fields[" + std::to_string(i) + "]";
      if (!rule.key.empty()) text += " (key \"" + rule.key + "\")";
      return text;
    };
    if (!compile_rule(rules[i], rule, problem)) {
      error = where() + ": " + problem;
      return false;
    }
    // A key (or its label key) twice in one line would be ambiguous to every receiver.
    for (std::size_t j = 0; j + 1 < mapping.rules.size(); ++j) {
      const CefFieldRule& other = mapping.rules[j];
      const bool same_key = other.key == rule.key ||
                            (!rule.label_key.empty() && other.key == rule.label_key) ||
                            (!other.label_key.empty() && other.label_key == rule.key);
      if (same_key && (other.kinds_mask & rule.kinds_mask) != 0) {
        error = where() + ": key already mapped by fields[" + std::to_string(j) +
                "] for an overlapping kind";
        return false;
      }
    }
  }
  return true;
}

const CefMapping& cef_mapping() {
  return embedded_mapping().mapping;
}

std::string_view cef_mapping_error() {
  return embedded_mapping().error;
}

bool resolve_cef_value(const CefFieldRule& rule, const Event& event, CefValue& value) {
  for (const CefSource& source : rule.sources) {
    if (resolve_source(rule, source, event, value)) return true;
  }
  return false;
}

void append_cef_value(std::string& out, const CefFieldRule& rule, const CefValue& value,
                      CefContext context, const CefOptions& options, EncodeStats* stats) {
  const std::size_t limit = rule.custom_string_limit ? options.custom_string_limit : rule.limit;
  switch (value.form) {
    case CefValue::Form::text:
      append_cef_limited(out, value.text, context, limit, stats);
      return;
    case CefValue::Form::list:
      append_cef_limited(out, *value.list, ",", context, limit, stats);
      return;
    case CefValue::Form::integer: {
      char buffer[24];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, value.integer);
      out.append(buffer, result.ptr);
      return;
    }
    case CefValue::Form::real: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, value.real);
      out.append(buffer, result.ptr);
      return;
    }
  }
}

std::vector<std::pair<std::string, std::string>> cef_fields_unescaped(const Event& event,
                                                                      const CefOptions& options) {
  std::vector<std::pair<std::string, std::string>> fields;
  visit_cef_fields(event, [&](const CefFieldRule& rule, const CefValue& value) {
    auto& field = fields.emplace_back(rule.key, std::string());
    append_cef_value(field.second, rule, value, CefContext::unescaped, options, nullptr);
    if (!rule.label_key.empty()) fields.emplace_back(rule.label_key, rule.label);
  });
  return fields;
}

}  // namespace secfeed
