#!/usr/bin/env bash
# Graph pollers, quick end to end: the emulator with 2 tenants -> secfeed run with
# graph_alerts and graph_incidents -> a raw file sink. Every ground-truth version
# (GET /_emulator/ground-truth; of the pre-start history only each object's current
# version, the one an API poll can return) arrives exactly once; a restart re-reads the overlap
# and delivers nothing twice (committed de-dup keys); new versions made while running
# are picked up by the next rounds.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$SECFEED_BINARY"

start_emulator --tenants 2 --alerts-per-tenant 120 --history-hours 6
T1=$(emulator_tenant 1)
T2=$(emulator_tenant 2)

cat >"$WORK/secfeed.yaml" <<YAML
state_dir: $WORK/state
log: {level: info}
dead_letter: {path: $WORK/dead.jsonl}
tls: {ca_file: $TEST_CA_DIR/ca.pem}
tenants:
  - {id: $T1, name: First, client_id: $EMULATOR_CLIENT_ID, client_secret: $EMULATOR_CLIENT_SECRET,
     login_url: $EMULATOR_URL, graph_url: $EMULATOR_URL}
  - {id: $T2, name: Second, client_id: $EMULATOR_CLIENT_ID, client_secret: $EMULATOR_CLIENT_SECRET,
     login_url: $EMULATOR_URL, graph_url: $EMULATOR_URL}
sources:
  - {name: alerts, type: graph_alerts, tenants: all, interval: 1s, lag: 0s, overlap: 30m,
     initial_lookback: 12h, page_size: 37}
  - {name: incidents, type: graph_incidents, tenants: all, interval: 1s, lag: 0s, overlap: 30m,
     initial_lookback: 12h, page_size: 7}
sinks:
  - {name: out, type: file, path: $WORK/out.jsonl, format: raw}
YAML


# Every "kind tenant id version" the emulator has shown, from its ground truth.
ground_truth() {
  local kind tenant
  for kind in alerts incidents; do
    for tenant in "$T1" "$T2"; do
      emulator_api GET "ground-truth?tenant=$tenant&kind=$kind" | python3 -c '
import json, sys
for v in json.load(sys.stdin)["versions"]:
    print(sys.argv[1], sys.argv[2], v["id"], v["lastUpdateDateTime"])' "$kind" "$tenant"
    done
  done | sort
}
# What a poller must see: of the history that existed before it started (the ground
# truth also counts versions superseded before anyone could poll), the current version
# of each object; of the versions shown since, each one that stayed current for at
# least a second (an incident changes twice within 100 ns when `advance` adds two of
# its alerts: no poll can see the first state).
ground_truth >"$WORK/truth-at-start"
truth() {
  ground_truth | python3 -c '
import sys
from datetime import datetime
def ms(text):  # 7 fraction digits -> milliseconds
    head, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(head).timestamp() * 1000 + int((frac + "000")[:3])
start = set(open(sys.argv[1]).read().splitlines())
versions = {}
for line in sys.stdin.read().splitlines():
    kind, tenant, id_, version = line.split()
    versions.setdefault((kind, tenant, id_), []).append(version)
for key, vs in versions.items():
    vs.sort()
    for i, v in enumerate(vs):
        line = " ".join((*key, v))
        last = i + 1 == len(vs)
        if last or (line not in start and ms(vs[i + 1]) - ms(v) >= 1000):
            print(line)' "$WORK/truth-at-start" | sort
}
# The same lines from what the file sink received (raw Graph items).
received() {
  [[ -f $WORK/out.jsonl ]] || return 0
  python3 -c '
import json, sys
for line in open(sys.argv[1]):
    item = json.loads(line)
    kind = "incidents" if "incidentWebUrl" in item and "alertWebUrl" not in item else "alerts"
    print(kind, item["tenantId"], item["id"], item["lastUpdateDateTime"])' "$WORK/out.jsonl" | sort
}
has_all() { [[ -z $(comm -23 <(truth) <(received | sort -u)) ]]; }

expected=$(truth | wc -l)
((expected >= 240)) || fail "the emulator's ground truth is too small: $expected"

start_secfeed secfeed  # common.sh: $WORK/secfeed.yaml, a fresh $WORK/secfeed.log
wait_for 90 "all $expected versions" has_all
sleep 2  # a duplicate would show up in the next rounds
expect_eq "versions delivered (no duplicates)" "$expected" "$(received | wc -l)"
expect_eq "distinct versions" "$expected" "$(received | sort -u | wc -l)"
expect_eq "nothing missing" "" "$(comm -23 <(truth) <(received))"
stop_secfeed secfeed

# Restart: the 30-minute overlap is read again and dropped as already delivered.
round_after_restart() {
  grep -q "status: alerts: .* duplicates_dropped=[1-9]" "$WORK/secfeed.log"
}
start_secfeed secfeed
wait_for 30 "a polling round after the restart" round_after_restart
# New alerts and status changes while running.
emulator_api POST advance '{"alerts": 3, "updates": 4, "visible_after_ms": 0}' >/dev/null
expected=$(truth | wc -l)
wait_for 60 "all $expected versions after advance" has_all
sleep 2
stop_secfeed secfeed
expect_eq "no duplicates after restart and advance" "$(received | sort -u | wc -l)" \
  "$(received | wc -l)"
expect_eq "nothing missing after restart" "" "$(comm -23 <(truth) <(received))"
expect_eq "only versions the emulator showed" "" "$(comm -13 <(ground_truth) <(received))"
[[ ! -s $WORK/dead.jsonl ]] || fail "unexpected dead letters: $(head -c 500 "$WORK/dead.jsonl")"
echo "PASS"
