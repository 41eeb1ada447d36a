// Helpers shared by the Graph and the Defender normalizers.
#pragma once

#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"

namespace secfeed {

// "/subscriptions/<guid>/resourceGroups/..." -> "<guid>" (case-insensitive), else "".
std::string_view subscription_from_resource_id(std::string_view resource_id);

// Last path segment of an ARM id ("/.../virtualMachines/vm1" -> "vm1"), else "".
std::string_view last_path_segment(std::string_view resource_id);

// Splits "InitialAccess, Execution" on `separator`, trimming, skipping empties.
void split_list(std::string_view text, char separator, std::vector<std::string_view>& out);

// Appends every string element of a JSON array (other elements are ignored).
void append_strings(const rapidjson::Value* array, std::vector<std::string_view>& out);

// Compact JSON text of `value`, stored in the arena (for Attribute::Type::json).
std::string_view json_text(const rapidjson::Value& value, Arena& arena);

// `first` + `separator` + `second` in the arena (derived ids, registry paths).
std::string_view join_in_arena(std::string_view first, char separator, std::string_view second,
                               Arena& arena);

// Attribute key for an open JSON key, stored in the arena: "scoreInPercentage" ->
// "score_in_percentage", "IsApplicable" -> "is_applicable", "MFARegistrationV2" ->
// "mfa_registration_v2", "odd-key.name" -> "odd_key_name"; "_" when nothing is left.
std::string_view snake_case_key(std::string_view key, Arena& arena);

// Adds `value` under `key` typed by its JSON type: string, integer (fits int64),
// number, boolean, or json (objects, arrays, and integers beyond int64). Null is skipped.
void add_json_typed_attribute(Event& event, std::string_view key, const rapidjson::Value& value,
                              Arena& arena);

}  // namespace secfeed
