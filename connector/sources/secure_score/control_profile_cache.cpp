#include "connector/sources/secure_score/control_profile_cache.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connector/normalize/normalize_util.hpp"

namespace secfeed {

namespace {
constexpr std::size_t kScratchChunk = 16 * 1024;  // one profile's JSON text is a few KB
}  // namespace

std::string content_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kHex[hash & 15];
  return out;
}

void ControlProfileCache::begin() {
  next_ = std::make_unique<Generation>();
}

bool ControlProfileCache::add_page(std::string_view body, std::string_view source,
                                   std::string_view tenant_id, std::string_view tenant_name,
                                   std::vector<Rejected>& rejected, std::string& error) {
  if (!next_) begin();
  Generation& g = *next_;
  auto doc = std::make_unique<rapidjson::Document>(&g.pool);
  doc->Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc->HasParseError() || !doc->IsObject()) {
    error = "secureScoreControlProfiles: the response is not a JSON object";
    return false;
  }
  const auto value = doc->FindMember("value");
  if (value == doc->MemberEnd() || !value->value.IsArray()) {
    error = "secureScoreControlProfiles: the response has no value array";
    return false;
  }
  std::string reason;
  std::size_t index = 0;
  // The item's JSON text is needed only for its hash (or the dead letter): written
  // here, not into the generation's arena, which is kept until the next refresh.
  Arena scratch(kScratchChunk);
  for (const rapidjson::Value& item : value->value.GetArray()) {
    const std::size_t first = g.events.size();
    scratch.reset();
    NormalizeContext ctx{g.arena, source, tenant_id, tenant_name, {}};
    if (!normalize_item(PayloadKind::control_profile, item, ctx, g.events, reason)) {
      rejected.push_back(Rejected{"value[" + std::to_string(index) + "]", reason,
                                  std::string(json_text(item, scratch))});
    } else {
      const std::string_view text = json_text(item, scratch);
      for (std::size_t i = first; i < g.events.size(); ++i) {
        g.hashes.push_back(content_hash(text));
        g.by_name.emplace(std::string(g.events[i].id), i);
      }
    }
    ++index;
  }
  g.pages.push_back(std::move(doc));
  return true;
}

void ControlProfileCache::commit() {
  if (!next_) return;
  next_->loaded = true;
  current_ = std::move(next_);
}

const Event* ControlProfileCache::find(std::string_view control_name) const {
  const auto it = current_->by_name.find(control_name);
  return it == current_->by_name.end() ? nullptr : &current_->events[it->second];
}

std::string ControlProfileCache::hashes_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  for (const auto& [name, index] : current_->by_name) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    const std::string& hash = current_->hashes[index];
    w.String(hash.data(), static_cast<rapidjson::SizeType>(hash.size()));
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::map<std::string, std::string, std::less<>> ControlProfileCache::parse_hashes(
    std::string_view json) {
  std::map<std::string, std::string, std::less<>> out;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    if (!it->value.IsString()) continue;
    out.emplace(std::string(it->name.GetString(), it->name.GetStringLength()),
                std::string(it->value.GetString(), it->value.GetStringLength()));
  }
  return out;
}

}  // namespace secfeed
