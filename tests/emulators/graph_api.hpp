// Graph security collections (alerts_v2, legacy alerts, incidents): OData query options,
// and paging by an opaque $skiptoken that pins the snapshot time, so a client that follows
// @odata.nextLink sees one consistent, gap-free result even while alerts change.
#pragma once

#include "clock.hpp"
#include "graph_model.hpp"
#include "http_types.hpp"

namespace secfeed::emulator {

enum class Collection { alerts_v2, legacy_alerts, incidents };

struct CollectionLimits {
  int default_top;
  int max_top;   // above: HTTP 400
  int max_skip;  // above: HTTP 400; < 0: unlimited
};

CollectionLimits limits_of(Collection collection);

// Answers GET /v1.0/security/<collection> for `graph`'s tenant. `malformed_item` inserts
// one schema-violating item into the page (fault injection).
void serve_collection(Collection collection, const TenantGraph& graph, const Request& request,
                      Ticks now, bool malformed_item, Response& response);

}  // namespace secfeed::emulator
