// JSON shapes of Graph security resources, as the v1.0 endpoints return them.
#pragma once

#include "graph_model.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {

// Without `Prefer: include-unknown-enum-members` newer enum members read
// `unknownFutureValue`.
struct RenderOptions {
  bool include_unknown_enum_members = false;
};

void render_alert_v2(JsonWriter& w, const TenantGraph& graph, const Alert& alert,
                     const AlertVersion& version, RenderOptions options);
void render_legacy_alert(JsonWriter& w, const TenantGraph& graph, const Alert& alert,
                         const AlertVersion& version);
void render_incident(JsonWriter& w, const TenantGraph& graph, const Incident& incident,
                     const IncidentState& state, RenderOptions options);

// An item that violates the schema (fault `malformed_item`): numeric id, bad timestamps.
void render_malformed_item(JsonWriter& w);

}  // namespace secfeed::emulator
