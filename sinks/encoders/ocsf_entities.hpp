// Event entities -> the OCSF objects of a finding: `resources` (cloud resources),
// `evidences` (everything else, one artifact per entity) and `observables` (the
// indexable values: host names, IPs, users, hashes ...). Internal to the ocsf encoder.
#pragma once

#include "connector/core/event.hpp"
#include "sinks/encoders/json_output.hpp"

namespace secfeed::ocsf {

// "resources":[...] from resource entities, else from Event::resource_id; nothing when
// there is neither.
void write_resources(JsonLine& json, const Event& event);

// "evidences":[...] for every entity but resources; nothing when there is none.
void write_evidences(JsonLine& json, const Event& event);

// "observables":[...]; nothing when no entity has an observable value.
void write_observables(JsonLine& json, const Event& event);

}  // namespace secfeed::ocsf
