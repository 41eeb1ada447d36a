// alerts_v2 evidence[] -> Event entities.
//
// Evidence is polymorphic on "@odata.type" = "#microsoft.graph.security.<kind>Evidence"
// (40+ kinds, more added over time). Known kinds become typed entities; every other
// kind (and a missing @odata.type) becomes an `other` entity carrying the base fields
// (type_name = @odata.type, verdict, roles, remediationStatus) and, when the object has
// one, a name/id read leniently, so an unknown kind never rejects the alert.
//
// Derived entities (a device's loggedOnUsers, a message's sender and recipient) carry
// the relation as role ("loggedOnUser", "sender", "recipient") and no verdict; a
// process's image file is the same evidence and inherits its role and verdict.
#pragma once

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/core/json_reader.hpp"

namespace secfeed {

// Reads array "evidence" of `alert` (if present) into `event.entities`.
void read_graph_evidence(ObjectReader& alert, Event& event, Arena& arena);

}  // namespace secfeed
