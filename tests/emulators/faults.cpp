#include "faults.hpp"

#include "json_util.hpp"

namespace secfeed::emulator {
namespace {

std::optional<std::string> parse_fault(const rapidjson::Value& object, Fault& fault) {
  if (!object.IsObject()) return "a fault must be a JSON object";
  fault.path_prefix = json_get_string(object, "path_prefix").value_or("");
  fault.tenant = json_get_string(object, "tenant").value_or("");
  fault.status = static_cast<int>(json_get_int(object, "status").value_or(0));
  fault.retry_after = static_cast<int>(json_get_int(object, "retry_after").value_or(-1));
  fault.delay_ms = static_cast<int>(json_get_int(object, "delay_ms").value_or(0));
  fault.count = static_cast<int>(json_get_int(object, "count").value_or(1));
  const std::string action = json_get_string(object, "action").value_or("");
  if (action == "reset") {
    fault.action = Fault::Action::reset;
  } else if (action == "truncate") {
    fault.action = Fault::Action::truncate;
  } else if (action == "malformed_item") {
    fault.action = Fault::Action::malformed_item;
  } else if (!action.empty()) {
    return "unknown action '" + action + "' (reset, truncate, malformed_item)";
  }
  if (fault.status != 0 && fault.status != 206 && (fault.status < 400 || fault.status > 599)) {
    return "status must be 206 or 400..599";
  }
  if (fault.delay_ms < 0 || fault.delay_ms > 600'000) return "delay_ms must be 0..600000";
  if (fault.status == 0 && fault.delay_ms == 0 && fault.action == Fault::Action::none) {
    return "a fault needs a status, a delay_ms or an action";
  }
  if (fault.count == 0) return "count must not be 0 (use -1 for forever)";
  return std::nullopt;
}

std::string_view action_name(Fault::Action action) {
  switch (action) {
    case Fault::Action::none:
      return "";
    case Fault::Action::reset:
      return "reset";
    case Fault::Action::truncate:
      return "truncate";
    case Fault::Action::malformed_item:
      return "malformed_item";
  }
  return "";
}

}  // namespace

std::optional<std::string> FaultRegistry::add(std::string_view json) {
  rapidjson::Document doc;
  if (!json_nesting_within(json, kMaxJsonNesting) ||
      doc.Parse(json.data(), json.size()).HasParseError()) {
    return "body is not JSON";
  }
  std::vector<Fault> parsed;
  if (doc.IsArray()) {
    for (const auto& item : doc.GetArray()) {
      if (auto error = parse_fault(item, parsed.emplace_back())) return error;
    }
  } else if (auto error = parse_fault(doc, parsed.emplace_back())) {
    return error;
  }
  faults_.insert(faults_.end(), parsed.begin(), parsed.end());
  return std::nullopt;
}

std::optional<Fault> FaultRegistry::take(std::string_view path, std::string_view tenant) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (path.substr(0, it->path_prefix.size()) != it->path_prefix) continue;
    if (!it->tenant.empty() && it->tenant != tenant) continue;
    Fault fault = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    ++served_;
    if (!tenant.empty()) ++served_by_tenant_[std::string(tenant)];
    return fault;
  }
  return std::nullopt;
}

void FaultRegistry::write_status(JsonWriter& w) const {
  json_field(w, "faults", static_cast<std::int64_t>(faults_.size()));
  json_key(w, "active");
  w.StartArray();
  for (const Fault& fault : faults_) {
    w.StartObject();
    json_field(w, "path_prefix", fault.path_prefix);
    if (!fault.tenant.empty()) json_field(w, "tenant", fault.tenant);
    if (fault.status != 0) json_field(w, "status", fault.status);
    if (fault.retry_after >= 0) json_field(w, "retry_after", fault.retry_after);
    if (fault.delay_ms > 0) json_field(w, "delay_ms", fault.delay_ms);
    if (fault.action != Fault::Action::none) json_field(w, "action", action_name(fault.action));
    json_field(w, "remaining", fault.count);  // -1: forever
    w.EndObject();
  }
  w.EndArray();
  json_field(w, "served", served_);
  json_key(w, "served_by_tenant");
  w.StartObject();
  for (const auto& [tenant, count] : served_by_tenant_) json_field(w, tenant, count);
  w.EndObject();
}

}  // namespace secfeed::emulator
