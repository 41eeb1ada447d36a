#include "tests/kafka_broker/message_input.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace secfeed::testkafka {
namespace {

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool read_stream(std::FILE* file, std::string* content) {
  char chunk[65536];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) content->append(chunk, n);
  return std::ferror(file) == 0;
}

bool read_input(const std::string& path, std::string* content, std::string* error) {
  if (path == "-") {
    if (read_stream(stdin, content)) return true;
    *error = std::string("stdin: ") + std::strerror(errno);
    return false;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  const bool ok = read_stream(file, content);
  if (!ok) *error = path + ": " + std::strerror(errno);
  std::fclose(file);
  return ok;
}

}  // namespace

void append_lines(std::string_view text, std::vector<std::string>* messages) {
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_blank(line)) messages->emplace_back(line);
  }
}

bool read_messages(const std::vector<std::string>& paths, bool whole_file,
                   std::vector<std::string>* messages, std::string* error) {
  const std::vector<std::string> stdin_only{"-"};
  for (const std::string& path : paths.empty() ? stdin_only : paths) {
    std::string content;
    if (!read_input(path, &content, error)) return false;
    if (whole_file) {
      messages->push_back(std::move(content));
    } else {
      append_lines(content, messages);
    }
  }
  return true;
}

std::optional<std::string> key_from_field(std::string_view payload, std::string_view field) {
  rapidjson::Document document;
  document.Parse(payload.data(), payload.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  const auto member =
      document.FindMember(rapidjson::Value(rapidjson::StringRef(field.data(), field.size())));
  if (member == document.MemberEnd() || member->value.IsNull()) return std::nullopt;
  const rapidjson::Value& value = member->value;
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace secfeed::testkafka
