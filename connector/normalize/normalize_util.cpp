#include "connector/normalize/normalize_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/core/json_reader.hpp"
#include "connector/core/text.hpp"

namespace secfeed {

std::string_view subscription_from_resource_id(std::string_view resource_id) {
  constexpr std::string_view kMarker = "/subscriptions/";
  for (std::size_t i = 0; i + kMarker.size() <= resource_id.size(); ++i) {
    if (iequals(resource_id.substr(i, kMarker.size()), kMarker)) {
      std::string_view rest = resource_id.substr(i + kMarker.size());
      return rest.substr(0, rest.find('/'));
    }
  }
  return {};
}

std::string_view last_path_segment(std::string_view resource_id) {
  while (!resource_id.empty() && resource_id.back() == '/') resource_id.remove_suffix(1);
  const std::size_t slash = resource_id.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : resource_id.substr(slash + 1);
}

void split_list(std::string_view text, char separator, std::vector<std::string_view>& out) {
  while (!text.empty()) {
    const std::size_t end = text.find(separator);
    const std::string_view part = trim(text.substr(0, end));
    if (!part.empty()) out.push_back(part);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

void append_strings(const rapidjson::Value* array, std::vector<std::string_view>& out) {
  if (array == nullptr || !array->IsArray()) return;
  for (const rapidjson::Value& element : array->GetArray()) {
    if (element.IsString() && element.GetStringLength() > 0) out.push_back(json_string(element));
  }
}

std::string_view json_text(const rapidjson::Value& value, Arena& arena) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return arena.store({buffer.GetString(), buffer.GetSize()});
}

}  // namespace secfeed
