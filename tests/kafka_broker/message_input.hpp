// What secfeed-kafka-produce sends: the lines of NDJSON inputs, or whole files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secfeed::testkafka {

// Appends one message per non-blank line of `text` (a trailing '\r' is dropped).
void append_lines(std::string_view text, std::vector<std::string>* messages);

// Reads each path ("-" = stdin; no paths = stdin). With `whole_file` every input is one
// message, otherwise every non-blank line is. False with *error set on an I/O failure.
bool read_messages(const std::vector<std::string>& paths, bool whole_file,
                   std::vector<std::string>* messages, std::string* error);

// The message key taken from a top-level field of a JSON object: a string's value, or
// the JSON text of any other value. nullopt when the payload is not a JSON object or
// the field is absent or null (the message is then sent without a key).
std::optional<std::string> key_from_field(std::string_view payload, std::string_view field);

}  // namespace secfeed::testkafka
