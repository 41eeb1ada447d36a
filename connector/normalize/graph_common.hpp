// Helpers shared by the Microsoft Graph normalizers (alerts_v2, legacy alerts,
// incidents, secure scores, control profiles). Everything reads through ObjectReader,
// so a wrong JSON type is reported with its full path and the first error wins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "connector/core/arena.hpp"
#include "connector/core/event.hpp"
#include "connector/core/json_reader.hpp"

namespace secfeed {

// serviceSource -> readable product name, case-insensitive
// ("microsoftDefenderForEndpoint" -> "Microsoft Defender for Endpoint").
// Values not in the table (Graph adds new sources) are returned unchanged.
std::string_view product_name_from_service_source(std::string_view service_source);

// The canonical MITRE ATT&CK tactic name ("InitialAccess") when `text` names a tactic,
// compared case-insensitively and ignoring spaces, '_' and '-' ("initial access",
// "Initial_Access"); "" otherwise (MDE categories such as "Malware" are no tactic).
std::string_view mitre_tactic_name(std::string_view text);

// Appends the canonical tactic named by `text` to `tactics` unless already there.
void add_tactic_if_known(std::string_view text, std::vector<std::string_view>& tactics);

// Graph userAccount {accountName, domainName, userPrincipalName, userSid, azureAdUserId,
// displayName} -> the user fields of `user` (type is left to the caller).
void read_user_account(ObjectReader& account, Entity& user);

// Appends the strings of array `key`. A non-string element is an error naming it:
// `mitreTechniques[1]: expected a string, got a number`. Empty strings are skipped.
void read_string_array(ObjectReader& reader, std::string_view key,
                       std::vector<std::string_view>& out);

// First non-empty string of array `key` (every element must be a string, as above).
std::string_view read_first_string(ObjectReader& reader, std::string_view key);

// Element count of array `key` (e.g. comments); nullopt when absent.
std::optional<std::int64_t> read_array_size(ObjectReader& reader, std::string_view key);

// A string or an integer (Graph types some ids as Int64: processId, appId) as text;
// integers are formatted into the arena. Other types are an error.
std::string_view read_id_text(ObjectReader& reader, std::string_view key, Arena& arena);

// Adds attribute `attribute_key` = the compact JSON text of object/array `key` when
// present (objects and arrays only; other types are an error).
void add_json_attribute(ObjectReader& reader, std::string_view key, std::string_view attribute_key,
                        Event& event, Arena& arena);

// Adds a string attribute only when `value` is not empty.
void add_string_if_present(Event& event, std::string_view key, std::string_view value);

// Calls `use(text)` for each non-empty string of array `key` (null elements skipped).
// Any other element is an error naming it (`mitreTechniques[1]: expected a string, got
// a number`) and stops the walk. Returns false when an error was recorded.
template <typename UseString>
bool for_each_string(ObjectReader& reader, std::string_view key, UseString&& use) {
  const rapidjson::Value* list = reader.array(key);
  if (list == nullptr) return !reader.failed();
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const rapidjson::Value& element = (*list)[i];
    if (element.IsNull()) continue;
    if (!element.IsString()) {
      reader.element(element, key, i)
          .fail({}, std::string("expected a string, got ") + std::string(json_type_name(element)));
      return false;
    }
    if (element.GetStringLength() > 0) use(json_string(element));
  }
  return !reader.failed();
}

// Calls `read(element_reader, index)` for each element of array `key`; a non-object
// element is an error (`evidence[3]: expected an object, got a string`) and stops.
template <typename ReadElement>
void for_each_object(ObjectReader& reader, std::string_view key, ReadElement&& read) {
  const rapidjson::Value* list = reader.array(key);
  if (list == nullptr) return;
  for (rapidjson::SizeType i = 0; i < list->Size() && !reader.failed(); ++i) {
    const rapidjson::Value& element = (*list)[i];
    ObjectReader element_reader = reader.element(element, key, i);
    if (!element.IsObject()) {
      element_reader.fail(
          {}, std::string("expected an object, got ") + std::string(json_type_name(element)));
      return;
    }
    read(element_reader, static_cast<std::size_t>(i));
  }
}

}  // namespace secfeed
