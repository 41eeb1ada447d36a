// /_emulator/... : the test-control API (no authentication; loopback test tool only).
// Endpoints and bodies are documented in README.md.
#include "emulator_app.hpp"
#include "errors.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {
namespace {

void write_versions(JsonWriter& w, const std::vector<VersionKey>& versions) {
  std::size_t ids = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i == 0 || versions[i].first != versions[i - 1].first) ++ids;
  }
  json_field(w, "id_count", static_cast<std::int64_t>(ids));
  json_field(w, "version_count", static_cast<std::int64_t>(versions.size()));
  json_key(w, "versions");
  w.StartArray();
  for (const auto& [id, time] : versions) {
    w.StartObject();
    json_field(w, "id", id);
    json_field(w, "lastUpdateDateTime", format_datetime(time));
    w.EndObject();
  }
  w.EndArray();
}

void bad_request(Response& response, const std::string& message) {
  set_azure_error(response, 400, "BadRequest", message);
}

}  // namespace

void EmulatorApp::handle_control(const Request& request, Response& response) {
  const std::string_view action =
      std::string_view(request.path).substr(std::string_view("/_emulator/").size());
  rapidjson::Document body;
  if (request.method == "POST" && !request.body.empty() &&
      (!json_nesting_within(request.body, kMaxJsonNesting) ||
       body.Parse(request.body.data(), request.body.size()).HasParseError())) {
    return bad_request(response, "body is not JSON");
  }
  if (!body.IsObject()) body.SetObject();
  std::string tenant_id(request.param("tenant").value_or(""));
  if (tenant_id.empty()) tenant_id = json_get_string(body, "tenant").value_or("");
  const std::vector<Tenant*> tenants = selected_tenants(tenant_id);
  if (!tenant_id.empty() && tenants.empty()) {
    return set_azure_error(response, 404, "NotFound", "unknown tenant '" + tenant_id + "'");
  }
  const Ticks now = clock_.now();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();

  if (action == "health" && request.method == "GET") {
    json_field(w, "status", "ok");
    json_field(w, "now", format_datetime(now));
  } else if (action == "tenants" && request.method == "GET") {
    json_key(w, "tenants");
    w.StartArray();
    for (const Tenant* tenant : tenants) {
      w.StartObject();
      json_field(w, "id", tenant->graph.tenant_id());
      json_field(w, "alerts", static_cast<std::int64_t>(tenant->graph.alerts().size()));
      json_field(w, "incidents", static_cast<std::int64_t>(tenant->graph.incidents().size()));
      json_field(w, "secure_score_days", static_cast<std::int64_t>(tenant->score.day_count()));
      w.EndObject();
    }
    w.EndArray();
  } else if (action == "ground-truth" && request.method == "GET") {
    const std::string_view kind = request.param("kind").value_or("alerts");
    if (kind != "alerts" && kind != "incidents") {
      return bad_request(response, "kind must be alerts or incidents");
    }
    const auto truth = [&](const Tenant& tenant) {
      return kind == "alerts" ? tenant.graph.alert_ground_truth(now)
                              : tenant.graph.incident_ground_truth(now);
    };
    json_field(w, "kind", kind);
    json_field(w, "now", format_datetime(now));
    if (!tenant_id.empty()) {
      json_field(w, "tenant", tenant_id);
      write_versions(w, truth(*tenants.front()));
    } else {
      // Every tenant in one answer (a 200-tenant test would otherwise need 200 requests).
      json_key(w, "tenants");
      w.StartArray();
      for (const Tenant* tenant : tenants) {
        w.StartObject();
        json_field(w, "tenant", tenant->graph.tenant_id());
        write_versions(w, truth(*tenant));
        w.EndObject();
      }
      w.EndArray();
    }
  } else if (action == "faults" && request.method == "POST") {
    if (auto error = faults_.add(request.body)) return bad_request(response, *error);
    json_field(w, "faults", static_cast<std::int64_t>(faults_.size()));
  } else if (action == "faults" && request.method == "GET") {
    faults_.write_status(w);
  } else if (action == "faults" && request.method == "DELETE") {
    faults_.clear();
    json_field(w, "faults", 0);
  } else if (action == "advance" && request.method == "POST") {
    const auto alerts = json_get_int(body, "alerts").value_or(0);
    const auto updates = json_get_int(body, "updates").value_or(0);
    const auto delay_ms = json_get_int(body, "visible_after_ms").value_or(0);
    if (alerts < 0 || updates < 0 || delay_ms < 0 || alerts > 100'000 || updates > 100'000) {
      return bad_request(response, "alerts, updates and visible_after_ms must be 0..100000");
    }
    const auto join = body.FindMember("join_incidents");
    const bool join_incidents =
        join == body.MemberEnd() || !join->value.IsBool() || join->value.GetBool();
    std::int64_t moved = 0;
    for (Tenant* tenant : tenants) {
      moved += tenant->graph.advance(static_cast<int>(alerts), static_cast<int>(updates), now,
                                     delay_ms * kTicksPerMs, join_incidents);
    }
    json_field(w, "alerts_added", alerts * static_cast<std::int64_t>(tenants.size()));
    json_field(w, "updates_made", moved);
  } else if (action == "secure-score/next-day" && request.method == "POST") {
    for (Tenant* tenant : tenants) tenant->score.next_day();
    json_field(w, "tenants", static_cast<std::int64_t>(tenants.size()));
  } else if (action == "secure-score/regress" && request.method == "POST") {
    const std::string control = json_get_string(body, "control").value_or("");
    for (Tenant* tenant : tenants) {
      if (!tenant->score.regress(control))
        return bad_request(response, "unknown control '" + control + "'");
    }
    json_field(w, "control", control);
  } else if (action == "secure-score/profile-change" && request.method == "POST") {
    const std::string control = json_get_string(body, "control").value_or("");
    for (Tenant* tenant : tenants) {
      if (!tenant->score.change_profile(control))
        return bad_request(response, "unknown control '" + control + "'");
    }
    json_field(w, "control", control);
  } else if (action == "token-lifetime" && request.method == "POST") {
    const auto seconds = json_get_int(body, "seconds");
    if (!seconds || *seconds < 1 || *seconds > 86400)
      return bad_request(response, "seconds must be 1..86400");
    tokens_.set_lifetime_seconds(static_cast<int>(*seconds));
    json_field(w, "seconds", *seconds);
  } else if (action == "ingested" && request.method == "GET") {
    if (const auto stream = request.param("stream")) {
      json_field(w, "stream", *stream);
      json_field(w, "count", ingestion_.accepted_rows(*stream));
    } else {
      json_key(w, "streams");
      w.StartObject();
      for (const auto& [name, count] : ingestion_.accepted()) json_field(w, name, count);
      w.EndObject();
    }
  } else {
    return set_azure_error(response, 404, "NotFound",
                           "unknown control endpoint " + request.method + " " + request.path);
  }
  w.EndObject();
  response.set_json(200, buffer.GetString());
}

}  // namespace secfeed::emulator
