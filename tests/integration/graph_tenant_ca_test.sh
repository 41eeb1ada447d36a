#!/usr/bin/env bash
# A tenant's own CA bundle (`tenants[].ca_file`) is used for every request made for that
# tenant: its Entra ID token and its Graph reads. No global tls.ca_file here, so the
# system store, which does not trust the emulator's test CA, is the default:
#   tenant 1 has ca_file = the test CA: its whole ground truth arrives, exactly once;
#   tenant 2 has none: nothing arrives, and its error line names it and the failed
#   certificate verification (so the bundle really is per tenant, not process-wide).
# `secfeed check` reports the same: tenant 1's Graph probe passes, tenant 2's fails.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/graph.sh"
require_tools "$SECFEED_BINARY"

start_emulator --tenants 2 --alerts-per-tenant 15 --history-hours 1 --seed 11
graph_use_tenants 1 2
TRUSTING=${GRAPH_TENANTS[0]}
UNTRUSTING=${GRAPH_TENANTS[1]}
GRAPH_CREDENTIAL[$TRUSTING]=$(printf '    client_secret_file: %s\n    ca_file: %s' \
  "$(graph_secret_file one "$EMULATOR_CLIENT_SECRET")" "$TEST_CA_DIR/ca.pem")
GRAPH_TLS_CA_FILE=""
GRAPH_SOURCES=(graph_alerts)
GRAPH_LAG=1s
GRAPH_LOOKBACK=2h
graph_write_config ca
graph_start ca
graph_wait_complete ca 90 --exclude-tenant "$UNTRUSTING"
untrusted_error() {
  grep ' ERROR ' "$WORK/ca.log" | grep -F "$UNTRUSTING" | grep -i 'certificate verify failed' >/dev/null
}
wait_for 60 "an error line naming $UNTRUSTING and the failed verification" untrusted_error
graph_stop
expect_eq "events of $TRUSTING (its ca_file)" 15 "$(grep -cF "\"id\":\"$TRUSTING\"" "$WORK/ca.out")"
expect_eq "events of $UNTRUSTING (system store)" 0 "$(grep -cF "\"id\":\"$UNTRUSTING\"" "$WORK/ca.out")"
grep ' ERROR ' "$WORK/ca.log" | grep -F "$TRUSTING" && fail "errors for $TRUSTING"
echo "ok: the tenant's CA bundle is used for its token and Graph requests, and only for it"

status=0
timeout 120 "$SECFEED_BINARY" check -c "$WORK/ca.yaml" --format json >"$WORK/check.json" \
  2>"$WORK/check.log" || status=$?
((status != 0)) || fail "check passed although tenant $UNTRUSTING cannot verify Graph"
python3 - "$WORK/check.json" "$TRUSTING" "$UNTRUSTING" <<'PY' || fail "check report: $(cat "$WORK/check.json")"
import json, sys
rows = json.load(open(sys.argv[1]))["checks"]
def results(tenant):  # the tenant's own row and its source rows
    mine = [r for r in rows if tenant in r["component"] + " " + r["target"]]
    assert len(mine) >= 2, "rows of %s: %s" % (tenant, mine)
    return [(r["component"], r["result"], r["detail"]) for r in mine]
trusting, untrusting = results(sys.argv[2]), results(sys.argv[3])
assert all(result == "ok" for _, result, _ in trusting), trusting
assert any(result == "FAIL" and "certificate" in detail.lower() for _, result, detail in untrusting), untrusting
PY
echo "ok: secfeed check passes the tenant with its CA bundle and fails the other"
echo "PASS"
