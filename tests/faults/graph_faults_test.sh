#!/usr/bin/env bash
# Graph pollers (graph_alerts + graph_incidents, one tenant) through prolonged faults,
# each phase followed by new alerts and status changes, then the ground truth:
#   1. the token endpoint down (503 on /{tenant}/oauth2 for 8 s) at startup: no event,
#      no crash, then everything once the endpoint answers;
#   2. a 429 storm (20 answers with Retry-After: 1) across both streams;
#   3. slow answers: 2 beyond the request timeout (3 s), 10 at 800 ms;
#   4. 6 connection resets and 6 truncated bodies;
# and at the end: exactly once against the emulator's ground truth (nothing missing,
# nothing invented, no duplicate), every injected fault served, no dead letter.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools "$SECFEED_BINARY"

TENANT=$(emulator_tenant 1)
start_emulator --tenants 1 --alerts-per-tenant 600 --history-hours 3 --seed 41
graph_use_tenants 1 1
GRAPH_SOURCES=(graph_alerts graph_incidents)
GRAPH_PAGE_SIZE=([graph_alerts]=100 [graph_incidents]=50)
GRAPH_LOOKBACK=4h
GRAPH_LAG=1s
GRAPH_TIMEOUT=3s
GRAPH_METRICS_LISTEN=127.0.0.1:0
graph_write_config run

faults() { emulator_api POST faults "$1" >/dev/null || fail "cannot set faults"; }
served_at_least() { (($(graph_faults_served) - $1 >= $2)); }  # START N
# phase NAME FAULTS EXPECTED_SERVED: new data, the faults until all are served, then the
# ground truth in full.
phase() {
  local start
  start=$(graph_faults_served)
  faults "$2"
  emulator_api POST advance '{"alerts": 30, "updates": 40, "visible_after_ms": 300}' >/dev/null
  wait_for 120 "the $1 faults served" served_at_least "$start" "$3"
  graph_wait_complete run 120
  echo "ok: $1: $3 faults served, then the ground truth in full (${SECONDS}s)"
}

# ---- 1. Token endpoint down at startup.
faults "{\"path_prefix\": \"/$TENANT/oauth2\", \"status\": 503, \"count\": -1}"
graph_start run
wait_for 30 "metrics" metrics_ready run
wait_for 30 "token requests refused" served_at_least 0 2
sleep 6
graph_alive || fail "secfeed exited while the token endpoint was down"
expect_eq "events delivered without a token" 0 "$(graph_lines "$WORK/run.out")"
grep -q "HTTP 503" "$WORK/run.log" || fail "the token endpoint's 503 was not reported"
emulator_api DELETE faults >/dev/null
graph_wait_complete run 120
echo "ok: token endpoint down for 8 s, then the ground truth in full (${SECONDS}s)"

# ---- 2..4.
phase "429 storm" '{"path_prefix": "/v1.0/security/", "status": 429, "retry_after": 1, "count": 20}' 20
throttled=$(metric run secfeed_graph_throttled_total)
((throttled >= 20)) || fail "secfeed_graph_throttled_total is $throttled after 20 answers of 429"
echo "ok: secfeed_graph_throttled_total = $throttled"
phase "slow answers" '[{"path_prefix": "/v1.0/security/", "delay_ms": 4000, "count": 2},
  {"path_prefix": "/v1.0/security/", "delay_ms": 800, "count": 10}]' 12
phase "resets and truncated bodies" '[{"path_prefix": "/v1.0/security/", "action": "reset", "count": 6},
  {"path_prefix": "/v1.0/security/", "action": "truncate", "count": 6}]' 12

active=$(emulator_api GET faults | python3 -c 'import json,sys; print(json.load(sys.stdin)["faults"])')
expect_eq "injected faults left unserved" 0 "$active"
graph_stop
for source in "${GRAPH_SOURCES[@]}"; do graph_expect_exact run "$source"; done
expect_eq "dead letters" 0 "$(graph_lines "$WORK/run-dead.jsonl")"
echo "PASS"
