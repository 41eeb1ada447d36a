#include "connector/app/check/check_report.hpp"

#include <algorithm>
#include <array>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace secfeed::check {

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::ok:
      return "ok";
    case CheckStatus::fail:
      return "FAIL";
    case CheckStatus::skipped:
      return "skipped";
  }
  return "?";
}

bool CheckReport::all_ok() const {
  return std::none_of(rows_.begin(), rows_.end(),
                      [](const CheckRow& row) { return row.status == CheckStatus::fail; });
}

void CheckReport::print_text(std::FILE* out) const {
  std::array<std::size_t, 3> width = {9, 6, 6};  // the header words
  for (const CheckRow& row : rows_) {
    width[0] = std::max(width[0], row.component.size());
    width[1] = std::max(width[1], row.target.size());
    width[2] = std::max(width[2], std::string_view(to_string(row.status)).size());
  }
  auto line = [&](std::string_view component, std::string_view target, std::string_view result,
                  std::string_view detail) {
    std::fprintf(out, "%-*.*s  %-*.*s  %-*.*s", static_cast<int>(width[0]),
                 static_cast<int>(component.size()), component.data(), static_cast<int>(width[1]),
                 static_cast<int>(target.size()), target.data(), static_cast<int>(width[2]),
                 static_cast<int>(result.size()), result.data());
    if (!detail.empty()) {
      std::fprintf(out, "  %.*s", static_cast<int>(detail.size()), detail.data());
    }
    std::fputc('\n', out);
  };
  line("COMPONENT", "TARGET", "RESULT", "DETAIL");
  std::size_t counts[3] = {0, 0, 0};
  for (const CheckRow& row : rows_) {
    line(row.component, row.target, to_string(row.status), row.detail);
    ++counts[static_cast<int>(row.status)];
  }
  std::fprintf(out, "%zu checks: %zu ok, %zu failed, %zu skipped\n", rows_.size(), counts[0],
               counts[1], counts[2]);
}

void CheckReport::print_json(std::FILE* out) const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("ok");
  writer.Bool(all_ok());
  writer.Key("checks");
  writer.StartArray();
  for (const CheckRow& row : rows_) {
    writer.StartObject();
    writer.Key("component");
    writer.String(row.component);
    writer.Key("target");
    writer.String(row.target);
    writer.Key("result");
    writer.String(to_string(row.status));
    writer.Key("detail");
    writer.String(row.detail);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  std::fprintf(out, "%s\n", buffer.GetString());
}

}  // namespace secfeed::check
