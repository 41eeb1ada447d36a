// Microsoft Graph /security/secureScoreControlProfiles -> one control_profile Event
// (id = the control name that secureScores' controlScores[] refer to).
//
// Attributes (snake_case): max_score (number), tier, rank (integer), service,
// action_type, action_url, user_impact, implementation_cost, threats (json),
// deprecated (boolean), remediation, remediation_impact, compliance_information (json),
// control_state_updates (json). action_url and remediation are also Event.url and
// Event.remediation.
#include "connector/normalize/graph_common.hpp"
#include "connector/normalize/normalizer.hpp"

namespace secfeed {

bool normalize_control_profile(const rapidjson::Value& item, const NormalizeContext& ctx,
                               EventBatch& out, std::string& error) {
  ObjectReader r(item, KeyMatch::exact, error);
  Event& e = out.add();
  e.kind = EventKind::control_profile;
  e.id = r.required_string("id");
  e.tenant_id = r.string("azureTenantId");
  e.title = r.string("title");
  e.category = r.string("controlCategory");
  e.updated_ms = r.time("lastModifiedDateTime").value_or(kNoTime);
  e.time_ms = e.updated_ms;
  if (const rapidjson::Value* vendor = r.object("vendorInformation")) {
    ObjectReader vendor_reader = r.child(*vendor, "vendorInformation");
    e.product = vendor_reader.string("provider");
    e.vendor = vendor_reader.string("vendor");
  }

  if (const std::optional<double> max_score = r.number("maxScore")) {
    e.add_number("max_score", *max_score);
  }
  add_string_if_present(e, "tier", r.string("tier"));
  if (const std::optional<std::int64_t> rank = r.integer("rank")) e.add_integer("rank", *rank);
  add_string_if_present(e, "service", r.string("service"));
  add_string_if_present(e, "action_type", r.string("actionType"));
  e.url = r.string("actionUrl");
  add_string_if_present(e, "action_url", e.url);
  add_string_if_present(e, "user_impact", r.string("userImpact"));
  add_string_if_present(e, "implementation_cost", r.string("implementationCost"));
  add_json_attribute(r, "threats", "threats", e, ctx.arena);
  if (const std::optional<bool> deprecated = r.boolean("deprecated")) {
    e.add_boolean("deprecated", *deprecated);
  }
  e.remediation = r.string("remediation");
  add_string_if_present(e, "remediation", e.remediation);
  add_string_if_present(e, "remediation_impact", r.string("remediationImpact"));
  add_json_attribute(r, "complianceInformation", "compliance_information", e, ctx.arena);
  add_json_attribute(r, "controlStateUpdates", "control_state_updates", e, ctx.arena);
  return !r.failed();
}

}  // namespace secfeed
