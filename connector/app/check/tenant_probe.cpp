#include "connector/app/check/probes.hpp"

namespace secfeed::check {

void check_tenant(CheckContext& context, const TenantConfig& tenant, CheckReport& report) {
  const std::string scope = graph_scope(tenant.cloud);
  const TokenOutcome token = context.run<TokenOutcome>(
      [&context, &tenant, &scope] { return fetch_token(context, tenant, scope); });
  context.tenant_has_token[tenant.id] = token.ok();
  CheckRow row{"tenant " + tenant.name, tenant.id, CheckStatus::ok, token.failure};
  if (token.ok()) {
    row.detail = "token for " + scope + " (client " + tenant.client_id + ")";
  } else {
    row.status = CheckStatus::fail;
  }
  report.add(std::move(row));
}

}  // namespace secfeed::check
