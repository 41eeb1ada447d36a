#!/usr/bin/env bash
# 200 tenants in one secfeed process (an MSSP's multi-tenant app): graph_alerts and
# graph_incidents for all of them into one JSON file sink. Tenant 57 is configured with a
# wrong client secret, tenant 133 is throttled forever (429 + Retry-After on every Graph
# request). Every other tenant delivers its whole ground truth, also after a round of new
# alerts and status changes; the two failing tenants deliver nothing, are each named in
# one error log line (AADSTS7000215; 429) and counted as failing in the status line; no
# other tenant is reported failing; neither secret nor any token appears in the log.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/graph.sh"
require_tools "$SECFEED_BINARY"

TENANTS=200
start_emulator --tenants "$TENANTS" --alerts-per-tenant 12 --history-hours 1 --seed 5
graph_use_tenants 1 "$TENANTS"
WRONG=$(emulator_tenant 57)
THROTTLED=$(emulator_tenant 133)
WRONG_SECRET="not-the-secret-$RANDOM$RANDOM"
GRAPH_CREDENTIAL[$WRONG]="    client_secret_file: $(graph_secret_file wrong "$WRONG_SECRET")"
GRAPH_SOURCES=(graph_alerts graph_incidents)
GRAPH_INTERVAL=2s
GRAPH_LAG=2s
GRAPH_LOOKBACK=2h
GRAPH_METRICS_LISTEN="127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
graph_write_config run
emulator_api POST faults "{\"path_prefix\": \"/v1.0/security/\", \"tenant\": \"$THROTTLED\",
  \"status\": 429, \"retry_after\": 1, \"count\": -1}" >/dev/null

graph_start run
EXCLUDE=(--exclude-tenant "$WRONG" --exclude-tenant "$THROTTLED")
graph_wait_complete run 150 "${EXCLUDE[@]}"
echo "ok: $((TENANTS - 2)) tenants delivered their history"

emulator_api POST advance '{"alerts": 2, "updates": 3, "visible_after_ms": 500}' >/dev/null
sleep 0.8
graph_wait_complete run 90 "${EXCLUDE[@]}"
echo "ok: $((TENANTS - 2)) tenants delivered a new round"

# The failing tenants, as an operator sees them. The status line (every second) counts
# them per source; give it a moment in case the last line predates the last failure.
status_line_counts() {
  local line
  line=$(grep ' status: ' "$WORK/run.log" | tail -n 1)
  [[ $line == *"graph_alerts: tenants=$TENANTS failing_tenants=2 "* &&
    $line == *"graph_incidents: tenants=$TENANTS failing_tenants=2 "* ]]
}
wait_for 10 "a status line with 2 failing tenants per source" status_line_counts
echo "ok: status line: 2 failing tenants per source"

# /metrics counts the failing tenants.
metrics=$(curl -sS --max-time 5 "http://$GRAPH_METRICS_LISTEN/metrics") || fail "no /metrics"
for tenant in "$WRONG" "$THROTTLED"; do
  grep -qE "^secfeed_graph_poll_failures_total\{[^}]*tenant=\"$tenant\"[^}]*\} [1-9]" <<<"$metrics" ||
    fail "no poll failures counted for $tenant in /metrics"
done
grep -qE "^secfeed_graph_throttled_total\{[^}]*tenant=\"$THROTTLED\"[^}]*\} [1-9]" <<<"$metrics" ||
  fail "no throttling counted for $THROTTLED in /metrics"
echo "ok: /metrics counts the failing tenants"
graph_stop

errors="$WORK/errors.txt"
grep -E ' ERROR ' "$WORK/run.log" >"$errors" || true
grep -F "$WRONG" "$errors" | grep 'AADSTS7000215' >/dev/null ||
  fail "no error line names tenant $WRONG with AADSTS7000215"
grep -F "$THROTTLED" "$errors" | grep '429' >/dev/null || fail "no error line names tenant $THROTTLED with 429"
# Logged once per state change, not per attempt.
expect_eq "error lines of $WRONG per source" 2 "$(grep -cF "$WRONG" "$errors")"
expect_eq "error lines of $THROTTLED per source" 2 "$(grep -cF "$THROTTLED" "$errors")"
other=$(grep -vF -e "$WRONG" -e "$THROTTLED" "$errors" || true)
[[ -z $other ]] || fail "errors for other tenants: $(head -n 3 <<<"$other")"
echo "ok: the failing tenants are named in the log, no other tenant is"

served=$(emulator_api GET faults | python3 -c 'import json,sys; print(json.load(sys.stdin)["served_by_tenant"].get(sys.argv[1], 0))' "$THROTTLED")
((served > 0)) || fail "the throttled tenant never asked"
echo "ok: tenant $THROTTLED was refused $served times"

for source in "${GRAPH_SOURCES[@]}"; do
  # The failing tenants are left out of the truth, so any event of theirs counts as extra.
  graph_expect_exact run "$source" "${EXCLUDE[@]}" --show 2
done
sed "s/^/  /" "$errors"
graph_scan_log_for_secrets "$WORK/run.log" "$EMULATOR_CLIENT_SECRET" "$WRONG_SECRET"
echo "PASS"
