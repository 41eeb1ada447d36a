#include "graph_api.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "alert_templates.hpp"
#include "encoding.hpp"
#include "errors.hpp"
#include "graph_render.hpp"
#include "json_util.hpp"
#include "odata_filter.hpp"

namespace secfeed::emulator {
namespace {

// One item as $filter and $orderby see it.
struct ItemView {
  std::size_t index;
  Ticks last_update;
  Ticks created;
  std::string_view id;
  std::string_view status;
  std::string_view severity;
  std::string_view service_source;
};

enum class Attr { last_update, created, status, severity, service_source };

struct CollectionSpec {
  std::string_view name;  // path segment and @odata.context suffix
  std::array<FilterField, 5> fields;
  std::array<Attr, 5> attrs;  // what each field reads
  std::size_t field_count;
};

const CollectionSpec& spec_of(Collection collection) {
  using F = FieldType;
  static const CollectionSpec kAlertsV2{
      "alerts_v2",
      {{{"lastUpdateDateTime", F::datetime},
        {"createdDateTime", F::datetime},
        {"status", F::text},
        {"severity", F::text},
        {"serviceSource", F::text}}},
      {Attr::last_update, Attr::created, Attr::status, Attr::severity, Attr::service_source},
      5};
  static const CollectionSpec kLegacy{
      "alerts",
      {{{"lastModifiedDateTime", F::datetime},
        {"createdDateTime", F::datetime},
        {"status", F::text},
        {"severity", F::text},
        {"vendorInformation/provider", F::text}}},
      {Attr::last_update, Attr::created, Attr::status, Attr::severity, Attr::service_source},
      5};
  static const CollectionSpec kIncidents{
      "incidents",
      {{{"lastUpdateDateTime", F::datetime},
        {"createdDateTime", F::datetime},
        {"status", F::text},
        {"severity", F::text},
        {"", F::text}}},
      {Attr::last_update, Attr::created, Attr::status, Attr::severity, Attr::service_source},
      4};
  switch (collection) {
    case Collection::alerts_v2:
      return kAlertsV2;
    case Collection::legacy_alerts:
      return kLegacy;
    case Collection::incidents:
      return kIncidents;
  }
  return kAlertsV2;
}

std::string_view alert_status_name(AlertStatus status, bool legacy) {
  switch (status) {
    case AlertStatus::new_alert:
      return legacy ? "newAlert" : "new";
    case AlertStatus::in_progress:
      return "inProgress";
    case AlertStatus::resolved:
      return "resolved";
  }
  return "unknown";
}

std::vector<ItemView> visible_items(Collection collection, const TenantGraph& graph, Ticks as_of) {
  std::vector<ItemView> items;
  if (collection == Collection::incidents) {
    for (std::size_t i = 0; i < graph.incidents().size(); ++i) {
      const auto state = graph.incident_at(i, as_of);
      if (!state) continue;
      items.push_back(ItemView{i, state->last_update, state->created, graph.incidents()[i].id,
                               state->status, severity_name(state->severity_rank), ""});
    }
    return items;
  }
  const bool legacy = collection == Collection::legacy_alerts;
  for (std::size_t i = 0; i < graph.alerts().size(); ++i) {
    const Alert& alert = graph.alerts()[i];
    const AlertVersion* version = alert.at(as_of);
    if (version == nullptr) continue;
    const AlertTemplate& shape = alert_template_for(alert.seed);
    items.push_back(ItemView{i, version->last_update, alert.created(), alert.id,
                             alert_status_name(version->status, legacy), shape.severity,
                             legacy ? shape.product_name : shape.service_source});
  }
  return items;
}

FieldValue value_of(const ItemView& item, Attr attr) {
  switch (attr) {
    case Attr::last_update:
      return {item.last_update, {}};
    case Attr::created:
      return {item.created, {}};
    case Attr::status:
      return {0, item.status};
    case Attr::severity:
      return {0, item.severity};
    case Attr::service_source:
      return {0, item.service_source};
  }
  return {};
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// $skiptoken: base64url("s1:<snapshot ticks>:<offset>").
std::string make_skiptoken(Ticks as_of, std::size_t offset) {
  return base64url_encode("s1:" + std::to_string(as_of) + ":" + std::to_string(offset));
}

bool parse_skiptoken(std::string_view token, Ticks& as_of, std::int64_t& offset) {
  const auto text = base64url_decode(token);
  if (!text || text->rfind("s1:", 0) != 0) return false;
  const std::string_view rest = std::string_view(*text).substr(3);
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  const auto time = parse_integer(rest.substr(0, colon));
  const auto position = parse_integer(rest.substr(colon + 1));
  if (!time || !position || *position < 0) return false;
  as_of = *time;
  offset = *position;
  return true;
}

std::string next_link(const Request& request, std::string_view name, Ticks as_of,
                      std::size_t offset) {
  const std::string_view host = request.header("Host");
  std::string link = "https://" + std::string(host.empty() ? "127.0.0.1" : host) +
                     "/v1.0/security/" + std::string(name) + "?";
  for (const auto& [key, value] : request.query) {
    if (key == "$skiptoken" || key == "$skip") continue;
    link += url_encode(key) + "=" + url_encode(value) + "&";
  }
  return link + "$skiptoken=" + make_skiptoken(as_of, offset);
}

}  // namespace

CollectionLimits limits_of(Collection collection) {
  switch (collection) {
    case Collection::alerts_v2:
      return {100, 1000, -1};
    case Collection::legacy_alerts:
      return {100, 1000, 500};
    case Collection::incidents:
      return {50, 50, -1};
  }
  return {100, 1000, -1};
}

void serve_collection(Collection collection, const TenantGraph& graph, const Request& request,
                      Ticks now, bool malformed_item, Response& response) {
  const CollectionSpec& spec = spec_of(collection);
  const CollectionLimits limits = limits_of(collection);
  const auto bad_request = [&](const std::string& message) {
    set_graph_error(response, 400, "BadRequest", message, request, now);
  };

  std::int64_t top = limits.default_top;
  if (const auto text = request.param("$top")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 1)
      return bad_request("Invalid value '" + std::string(*text) + "' for $top.");
    if (*value > limits.max_top) {
      return bad_request("The limit of '" + std::to_string(limits.max_top) +
                         "' for Top query has been exceeded. The value from the incoming "
                         "request is '" +
                         std::to_string(*value) + "'.");
    }
    top = *value;
  }
  // The snapshot ends one tick before `now`, so nothing created at `now` (by this or a
  // concurrent control request) can slip into a snapshot that later pages replay.
  Ticks as_of = now - 1;
  std::int64_t offset = 0;
  if (const auto token = request.param("$skiptoken")) {
    if (!parse_skiptoken(*token, as_of, offset) || as_of > now) {
      return bad_request("Invalid $skiptoken value.");
    }
  } else if (const auto skip = request.param("$skip")) {
    const auto value = parse_integer(*skip);
    if (!value || *value < 0)
      return bad_request("Invalid value '" + std::string(*skip) + "' for $skip.");
    if (limits.max_skip >= 0 && *value > limits.max_skip) {
      return bad_request("The limit of '" + std::to_string(limits.max_skip) +
                         "' for Skip query has been exceeded. The value from the incoming "
                         "request is '" +
                         std::to_string(*value) + "'.");
    }
    offset = *value;
  }

  const std::span<const FilterField> fields(spec.fields.data(), spec.field_count);
  auto parsed = ODataFilter::parse(request.param("$filter").value_or(""), fields);
  if (auto* error = std::get_if<std::string>(&parsed)) return bad_request(*error);
  const ODataFilter& filter = std::get<ODataFilter>(parsed);

  // $orderby=<datetime field> [asc|desc]; default newest created first.
  Attr order_attr = Attr::created;
  bool descending = true;
  if (const auto orderby = request.param("$orderby")) {
    const std::string_view text = *orderby;
    const std::size_t space = text.find(' ');
    const std::string_view field = text.substr(0, space);
    const std::string_view direction =
        space == std::string_view::npos ? std::string_view("asc") : text.substr(space + 1);
    std::size_t found = spec.field_count;
    for (std::size_t i = 0; i < spec.field_count; ++i) {
      if (spec.fields[i].name == field && spec.fields[i].type == FieldType::datetime) found = i;
    }
    if (found == spec.field_count || (direction != "asc" && direction != "desc")) {
      return bad_request("Invalid $orderby clause '" + std::string(text) + "'.");
    }
    order_attr = spec.attrs[found];
    descending = direction == "desc";
  }

  std::vector<ItemView> items = visible_items(collection, graph, as_of);
  std::erase_if(items, [&](const ItemView& item) {
    return !filter.matches([&](std::size_t field) { return value_of(item, spec.attrs[field]); });
  });
  std::sort(items.begin(), items.end(), [&](const ItemView& a, const ItemView& b) {
    const Ticks ka = value_of(a, order_attr).time;
    const Ticks kb = value_of(b, order_attr).time;
    if (ka != kb) return descending ? ka > kb : ka < kb;
    return a.id < b.id;
  });

  const RenderOptions options{request.header("Prefer").find("include-unknown-enum-members") !=
                              std::string_view::npos};
  const auto begin = static_cast<std::size_t>(
      std::min<std::int64_t>(offset, static_cast<std::int64_t>(items.size())));
  const std::size_t end = std::min(items.size(), begin + static_cast<std::size_t>(top));

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_field(w, "@odata.context",
             "https://graph.microsoft.com/v1.0/$metadata#security/" + std::string(spec.name));
  if (request.param("$count").value_or("") == "true") {
    json_field(w, "@odata.count", static_cast<std::int64_t>(items.size()));
  }
  json_key(w, "value");
  w.StartArray();
  for (std::size_t i = begin; i < end; ++i) {
    if (malformed_item && i == begin + (end - begin) / 2) render_malformed_item(w);
    const ItemView& item = items[i];
    switch (collection) {
      case Collection::alerts_v2: {
        const Alert& alert = graph.alerts()[item.index];
        render_alert_v2(w, graph, alert, *alert.at(as_of), options);
        break;
      }
      case Collection::legacy_alerts: {
        const Alert& alert = graph.alerts()[item.index];
        render_legacy_alert(w, graph, alert, *alert.at(as_of));
        break;
      }
      case Collection::incidents:
        render_incident(w, graph, graph.incidents()[item.index],
                        *graph.incident_at(item.index, as_of), options);
        break;
    }
  }
  if (malformed_item && begin == end) render_malformed_item(w);
  w.EndArray();
  if (end < items.size())
    json_field(w, "@odata.nextLink", next_link(request, spec.name, as_of, end));
  w.EndObject();
  response.set_json(200, buffer.GetString());
  response.set_header("Content-Type",
                      "application/json;odata.metadata=minimal;odata.streaming=true;"
                      "IEEE754Compatible=false;charset=utf-8");
  response.set_header("OData-Version", "4.0");
}

}  // namespace secfeed::emulator
