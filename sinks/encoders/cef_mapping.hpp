// The Event -> CEF extension mapping, compiled from schemas/cef-mapping.json (embedded
// in the binary) into a table of accessors once per process. Encoding is then a loop
// over the table that writes straight into the output buffer. The human-readable form
// of the table is schemas/cef-mapping.md.
//
// Mapping file format: {"fields": [rule, ...]}, each rule
//   {"key": "suser",                       CEF extension key ([A-Za-z0-9]+)
//    "label": "TenantId",                  required for cs*/cn*/cfp*/c6a*/flexString*/
//                                          deviceCustomDate*/flexDate1, else forbidden
//    "source": "entity.user.upn|entity.user.name",   alternatives, first usable wins
//    "kinds": ["alert", "incident"],       optional: the event kinds it applies to
//    "roles": ["destination"],             optional, entity sources: role must contain one
//    "not_roles": ["source"],              optional, entity sources: role must contain none
//    "limit": 255}                         optional: overrides the key dictionary's limit
// Sources: an Event field by its C++ name (title, time_ms, tactics ...; lists are joined
// with ","), `kind`, `severity` (label), `severity_score`, `attr.<key>` (an attribute),
// `entity.<type>.<field>` (the first entity of that type whose field is usable).
// A value is usable when it is present and valid for the key's type (an IPv4 key takes
// only an IPv4 address, cn* only an integer ...). A key appears at most once per kind.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connector/core/event.hpp"
#include "sinks/encoders/cef_escape.hpp"
#include "sinks/encoders/encoders.hpp"

namespace secfeed {

// Value types of the CEF key dictionary. int32: Sentinel's int columns (ports, cnt);
// int64: cn1..cn3; real: cfp1..cfp4; time: epoch milliseconds.
enum class CefValueType : std::uint8_t { string, time, int32, int64, real, ipv4, ipv6 };

struct CefSource {
  enum class Kind : std::uint8_t {
    text,            // std::string_view Event::*
    time,            // std::int64_t Event::* (kNoTime = absent)
    list,            // std::vector<std::string_view> Event::*, joined with ","
    kind_name,       // to_string(event.kind)
    severity_label,  // to_string(event.severity)
    severity_score,  // event.severity_score
    attribute,       // event.find_attribute(attribute_key)
    entity_text,     // std::string_view Entity::* of entities of entity_type
    entity_size,     // Entity::size (>= 0) of entities of entity_type
  };
  Kind kind = Kind::text;
  std::string_view Event::*text = nullptr;
  std::int64_t Event::*time = nullptr;
  std::vector<std::string_view> Event::*list = nullptr;
  std::string attribute_key;
  EntityType entity_type = EntityType::other;
  std::string_view Entity::*entity_text = nullptr;
};

struct CefFieldRule {
  std::string key;
  std::string label_key;  // "<key>Label" when the rule has a label, else empty
  std::string label;
  CefValueType type = CefValueType::string;
  std::size_t limit = 1023;                   // sanitized bytes, string values only
  bool custom_string_limit = false;           // cs1..cs6: CefOptions::custom_string_limit applies
  std::uint32_t kinds_mask = ~0u;             // bit (1 << EventKind)
  std::vector<std::string> roles, not_roles;  // lower case
  std::vector<CefSource> sources;

  bool applies_to(EventKind kind) const { return (kinds_mask >> static_cast<unsigned>(kind)) & 1u; }
};

struct CefMapping {
  std::vector<CefFieldRule> rules;
};

// Compiles a mapping file. On error returns false with `error` naming the rule and
// the problem, e.g. `fields[3] (key "cs1"): label is required for cs1`.
bool compile_cef_mapping(std::string_view json, CefMapping& mapping, std::string& error);

// The embedded schemas/cef-mapping.json, compiled on first use (thread-safe). The
// embedded table is tested to compile; should it not, the mapping is empty and the
// error is reported by cef_mapping_error() (CEF lines then carry only the header).
const CefMapping& cef_mapping();
std::string_view cef_mapping_error();

// One resolved value (views into the event): which member is meaningful depends on
// `form`.
struct CefValue {
  enum class Form : std::uint8_t { text, list, integer, real };
  Form form = Form::text;
  std::string_view text;
  const std::vector<std::string_view>* list = nullptr;
  std::int64_t integer = 0;
  double real = 0;
};

// Finds the rule's first usable source value; false when the event has none.
bool resolve_cef_value(const CefFieldRule& rule, const Event& event, CefValue& value);

// Appends the value as CEF text in `context` (text values sanitized, limited and
// escaped; numbers in decimal; times in epoch milliseconds).
void append_cef_value(std::string& out, const CefFieldRule& rule, const CefValue& value,
                      CefContext context, const CefOptions& options, EncodeStats* stats);

// Calls visit(rule, value) for every extension field the encoder writes for `event`,
// in order. encode_cef is built on it; tests use it to get the unescaped values.
template <class Visitor>
void visit_cef_fields(const Event& event, Visitor&& visit) {
  for (const CefFieldRule& rule : cef_mapping().rules) {
    if (!rule.applies_to(event.kind)) continue;
    CefValue value;
    if (resolve_cef_value(rule, event, value)) visit(rule, value);
  }
}

// The extension as (key, unescaped value) pairs in wire order, labels included
// (`cs1`, value, then `cs1Label`, label): what a correct CEF parser returns. For tests
// and tools (it allocates); encode_cef writes the same values escaped.
std::vector<std::pair<std::string, std::string>> cef_fields_unescaped(
    const Event& event, const CefOptions& options = {});

}  // namespace secfeed
