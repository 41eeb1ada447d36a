#include "connector/sources/secure_score/score_snapshot.hpp"

#include <cmath>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace secfeed {

const ControlSnapshot* ScoreSnapshot::find(std::string_view control_name) const {
  for (const ControlSnapshot& control : controls) {
    if (control.name == control_name) return &control;
  }
  return nullptr;
}

std::string ScoreSnapshot::serialize() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("date");
  w.String(date.data(), static_cast<rapidjson::SizeType>(date.size()));
  w.Key("current");
  w.Double(std::isfinite(current_score) ? current_score : 0);
  w.Key("max");
  w.Double(std::isfinite(max_score) ? max_score : 0);
  w.Key("controls");
  w.StartArray();
  for (const ControlSnapshot& control : controls) {
    w.StartArray();
    w.String(control.name.data(), static_cast<rapidjson::SizeType>(control.name.size()));
    w.Double(std::isfinite(control.score) ? control.score : 0);
    w.Double(std::isfinite(control.max_score) ? control.max_score : -1);
    w.EndArray();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<ScoreSnapshot> ScoreSnapshot::parse(std::string_view text) {
  rapidjson::Document doc;
  // Our own flat format: the nesting is bounded by rapidjson's iterative parser.
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const auto date = doc.FindMember("date");
  const auto current = doc.FindMember("current");
  const auto max = doc.FindMember("max");
  const auto controls = doc.FindMember("controls");
  if (date == doc.MemberEnd() || !date->value.IsString() || current == doc.MemberEnd() ||
      !current->value.IsNumber() || max == doc.MemberEnd() || !max->value.IsNumber() ||
      controls == doc.MemberEnd() || !controls->value.IsArray()) {
    return std::nullopt;
  }
  ScoreSnapshot snapshot;
  snapshot.date.assign(date->value.GetString(), date->value.GetStringLength());
  snapshot.current_score = current->value.GetDouble();
  snapshot.max_score = max->value.GetDouble();
  for (const rapidjson::Value& entry : controls->value.GetArray()) {
    if (!entry.IsArray() || entry.Size() != 3 || !entry[0].IsString() || !entry[1].IsNumber() ||
        !entry[2].IsNumber()) {
      return std::nullopt;
    }
    snapshot.controls.push_back(
        ControlSnapshot{std::string(entry[0].GetString(), entry[0].GetStringLength()),
                        entry[1].GetDouble(), entry[2].GetDouble()});
  }
  return snapshot;
}

std::optional<double> numeric_attribute(const Event& event, std::string_view key) {
  const Attribute* attribute = event.find_attribute(key);
  if (attribute == nullptr) return std::nullopt;
  if (attribute->type == Attribute::Type::number) return attribute->number;
  if (attribute->type == Attribute::Type::integer) return static_cast<double>(attribute->integer);
  return std::nullopt;
}

ScoreSnapshot snapshot_of(const EventBatch& events, std::size_t first, std::size_t last,
                          std::string_view date) {
  ScoreSnapshot snapshot;
  snapshot.date = std::string(date);
  bool have_score = false;
  for (std::size_t i = first; i < last && i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == EventKind::secure_score && !have_score) {
      have_score = true;
      snapshot.current_score = numeric_attribute(e, "current_score").value_or(0);
      snapshot.max_score = numeric_attribute(e, "max_score").value_or(0);
    } else if (e.kind == EventKind::control_score) {
      const Attribute* name = e.find_attribute("control_name");
      const std::optional<double> score = numeric_attribute(e, "score");
      if (name == nullptr || name->type != Attribute::Type::string || !score) continue;
      snapshot.controls.push_back(ControlSnapshot{std::string(name->text), *score,
                                                  numeric_attribute(e, "max_score").value_or(-1)});
    }
  }
  return snapshot;
}

}  // namespace secfeed
