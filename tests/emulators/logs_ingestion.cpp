#include "logs_ingestion.hpp"

#include <filesystem>
#include <sstream>

#include "clock.hpp"
#include "errors.hpp"
#include "gzip.hpp"
#include "json_util.hpp"

namespace secfeed::emulator {
namespace {

// Finds the streamDeclarations object in the accepted file shapes.
const rapidjson::Value* find_declarations(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return nullptr;
  if (const auto it = doc.FindMember("streamDeclarations");
      it != doc.MemberEnd() && it->value.IsObject()) {
    return &it->value;
  }
  if (const auto it = doc.FindMember("properties"); it != doc.MemberEnd()) {
    return find_declarations(it->value);
  }
  if (const auto it = doc.FindMember("resources"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& resource : it->value.GetArray()) {
      if (const rapidjson::Value* found = find_declarations(resource)) return found;
    }
    return nullptr;
  }
  // The bare map: every member is a stream with a columns array.
  for (const auto& member : doc.GetObject()) {
    if (!member.value.IsObject() || !member.value.HasMember("columns")) return nullptr;
  }
  return doc.MemberCount() > 0 ? &doc : nullptr;
}

// Whether `value` fits a column of `type`; null fits every type.
bool fits(const rapidjson::Value& value, std::string_view type) {
  if (value.IsNull() || type == "dynamic") return true;
  if (type == "string") return value.IsString();
  if (type == "int") return value.IsInt();
  if (type == "long") return value.IsInt64();
  if (type == "real") return value.IsNumber();
  if (type == "boolean") return value.IsBool();
  if (type == "datetime") {
    return value.IsString() &&
           parse_datetime(std::string_view(value.GetString(), value.GetStringLength())).has_value();
  }
  return false;
}

std::string_view json_type_name(const rapidjson::Value& value) {
  if (value.IsString()) return "string";
  if (value.IsBool()) return "boolean";
  if (value.IsNumber()) return value.IsInt64() ? "integer" : "number";
  if (value.IsArray()) return "array";
  if (value.IsObject()) return "object";
  return "null";
}

}  // namespace

std::optional<std::string> LogsIngestion::load_file(const std::string& path, bool required) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open " + path;
  std::stringstream text;
  text << file.rdbuf();
  rapidjson::Document doc;
  if (doc.Parse(text.str().c_str()).HasParseError()) return path + " is not valid JSON";
  const rapidjson::Value* declarations = find_declarations(doc);
  if (declarations == nullptr) {
    return required ? std::optional<std::string>(path + " holds no streamDeclarations")
                    : std::nullopt;
  }
  for (const auto& stream : declarations->GetObject()) {
    const auto columns = stream.value.FindMember("columns");
    if (columns == stream.value.MemberEnd() || !columns->value.IsArray()) {
      return path + ": stream " + stream.name.GetString() + " has no columns array";
    }
    std::vector<Column> parsed;
    for (const auto& column : columns->value.GetArray()) {
      auto name = json_get_string(column, "name");
      auto type = json_get_string(column, "type");
      if (!name || !type) return path + ": every column needs a name and a type";
      parsed.push_back(Column{std::move(*name), std::move(*type)});
    }
    streams_[stream.name.GetString()] = std::move(parsed);
  }
  return std::nullopt;
}

std::optional<std::string> LogsIngestion::load_streams(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return load_file(path, true);
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    if (entry.path().extension() != ".json") continue;
    if (auto failure = load_file(entry.path().string(), false)) return failure;
  }
  if (streams_.empty()) return "no streamDeclarations found in " + path;
  return std::nullopt;
}

std::optional<std::string> LogsIngestion::open_output(const std::string& path) {
  output_.open(path, std::ios::app | std::ios::binary);
  if (!output_) return "cannot open " + path + " for writing";
  return std::nullopt;
}

std::int64_t LogsIngestion::accepted_rows(std::string_view stream) const {
  const auto it = accepted_.find(stream);
  return it == accepted_.end() ? 0 : it->second;
}

void LogsIngestion::handle(const Request& request, std::string_view dcr, std::string_view stream,
                           Response& response) {
  if (request.method != "POST") {
    return set_azure_error(response, 405, "MethodNotAllowed", "Only POST is supported.");
  }
  const std::string_view api_version = request.param("api-version").value_or("");
  if (api_version != "2023-01-01" && api_version != "2021-11-01-preview") {
    return set_azure_error(
        response, 400, "UnsupportedApiVersion",
        "The api-version '" + std::string(api_version) + "' is not supported. Use 2023-01-01.");
  }
  const auto declared = streams_.find(stream);
  if (declared == streams_.end()) {
    return set_azure_error(response, 404, "InvalidStream",
                           "Stream '" + std::string(stream) +
                               "' is not declared in data "
                               "collection rule '" +
                               std::string(dcr) + "'.");
  }
  if (request.header("Content-Type").find("application/json") == std::string_view::npos) {
    return set_azure_error(response, 415, "InvalidContentType",
                           "Content-Type must be application/json.");
  }
  const auto too_large = [&] {
    set_azure_error(response, 413, "ContentLengthLimitExceeded",
                    "Maximum request body size of 1048576 bytes (uncompressed) was exceeded.");
  };
  if (request.body.size() > kMaxIngestionBodyBytes) return too_large();
  std::string inflated;
  std::string_view body = request.body;
  const std::string_view encoding = request.header("Content-Encoding");
  if (encoding == "gzip") {
    const InflateResult result = gunzip(request.body, kMaxIngestionBodyBytes, inflated);
    if (result == InflateResult::too_large) return too_large();
    if (result == InflateResult::corrupt) {
      return set_azure_error(response, 400, "InvalidContentEncoding",
                             "The request body is not valid gzip.");
    }
    body = inflated;
  } else if (!encoding.empty() && encoding != "identity") {
    return set_azure_error(response, 415, "UnsupportedContentEncoding",
                           "Content-Encoding '" + std::string(encoding) + "' is not supported.");
  }

  rapidjson::Document doc;
  if (!json_nesting_within(body, kMaxJsonNesting) ||
      doc.Parse(body.data(), body.size()).HasParseError() || !doc.IsArray()) {
    return set_azure_error(response, 400, "InvalidContentFormat",
                           "The request body must be a JSON array of objects.");
  }
  const std::vector<Column>& columns = declared->second;
  std::size_t row_number = 0;
  for (const auto& row : doc.GetArray()) {
    if (!row.IsObject()) {
      return set_azure_error(response, 400, "InvalidContentFormat",
                             "Row " + std::to_string(row_number) + " is not a JSON object.");
    }
    for (const auto& member : row.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      const Column* column = nullptr;
      for (const Column& candidate : columns) {
        if (candidate.name == name) column = &candidate;
      }
      if (column == nullptr) {
        return set_azure_error(response, 400, "InvalidColumn",
                               "Row " + std::to_string(row_number) + ": column '" +
                                   std::string(name) + "' is not declared in stream '" +
                                   std::string(stream) + "'.");
      }
      if (!fits(member.value, column->type)) {
        return set_azure_error(response, 400, "InvalidColumnType",
                               "Row " + std::to_string(row_number) + ": column '" +
                                   std::string(name) + "' must be of type '" + column->type +
                                   "' but is a JSON " + std::string(json_type_name(member.value)) +
                                   ".");
      }
    }
    ++row_number;
  }

  if (output_.is_open()) {
    for (const auto& row : doc.GetArray()) {
      rapidjson::StringBuffer buffer;
      JsonWriter w(buffer);
      w.StartObject();
      json_field(w, "stream", stream);
      json_field(w, "dcr", dcr);
      json_key(w, "row");
      row.Accept(w);
      w.EndObject();
      output_ << buffer.GetString() << '\n';
    }
    output_.flush();
  }
  accepted_[std::string(stream)] += static_cast<std::int64_t>(row_number);
  response.status = 204;
  response.body.clear();
}

}  // namespace secfeed::emulator
