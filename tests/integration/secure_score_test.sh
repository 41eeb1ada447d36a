#!/usr/bin/env bash
# The secure_score source end to end: secfeed-emulator (50 tenants, 90 days of scores
# over 15 controls each) -> secfeed run -> file sinks (JSON and CEF):
#   1. backfill: exactly 90 secure_score, 90 x 15 control_score and 15 control_profile
#      events per tenant, no score_change (backfilled history is not news);
#   2. restart: no new event (checkpoints and profile hashes in the state store);
#   3. POST next-day: exactly one more day per tenant;
#   4. regress one control of tenant 1 (+ next day): exactly one score_change with its
#      previous value, new value 0 and delta; score_drop_threshold 15 is above any
#      control's max (10), so one control alone cannot trigger a score_drop;
#   5. regress controls of tenant 2 worth >= 15 points: one score_drop (exact values)
#      plus one control_regression per control;
#   6. profile change: exactly one control_profile event;
#   7. restart again: still no duplicate; the CEF lines of every kind are well-formed.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$SECFEED_BINARY"
export LC_ALL=C  # byte-wise grep/sort: much faster over the 90 MB of output

TENANTS=50
CONTROLS=15
start_emulator --tenants "$TENANTS" --alerts-per-tenant 1

{
  cat <<YAML
state_dir: $WORK/state
log: {level: info}
metrics: {enabled: false}
tls: {ca_file: $TEST_CA_DIR/ca.pem}
dead_letter: {path: $WORK/dead.jsonl}
tenants:
YAML
  for i in $(seq "$TENANTS"); do
    cat <<YAML
  - id: $(emulator_tenant "$i")
    name: tenant-$i
    client_id: $EMULATOR_CLIENT_ID
    client_secret: $EMULATOR_CLIENT_SECRET
    login_url: $EMULATOR_URL
    graph_url: $EMULATOR_URL
YAML
  done
  cat <<YAML
sources:
  - name: score
    type: secure_score
    interval: 1s
    profiles_interval: 2s
    score_drop_threshold: 15
sinks:
  - name: json
    type: file
    path: $WORK/events.jsonl
    format: json
  - name: cef
    type: file
    path: $WORK/events.cef
    format: cef
YAML
} >"$WORK/secfeed.yaml"
chmod 600 "$WORK/secfeed.yaml"  # it holds the (test) client secret

# polls_at_least N: the newest status line reports >= N secure score polls.
polls() { grep -o 'score: tenants=[0-9]* polls=[0-9]*' "$WORK/secfeed.log" | tail -1 | sed 's/.*polls=//'; }
polls_at_least() { local p; p=$(polls); ((${p:-0} >= $1)); }

# The JSON lines start {"schema_version":1,"kind":K,"id":I,"tenant":{"id":T,...: the
# helpers below pre-filter with grep so only the few lines they need are parsed.
keys() {  # "kind id tenant" per event
  grep -o '^{"schema_version":[0-9]*,"kind":"[a-z_]*","id":"[^"]*","tenant":{"id":"[^"]*"' \
    "$WORK/events.jsonl" | awk -F'"' '{ print $6, $10, $16 }'
}
# count KIND [TENANT]: events of a kind (for one tenant).
count() { { grep -F "\"kind\":\"$1\"" "$WORK/events.jsonl" || true; } |
  grep -c -F "\"tenant\":{\"id\":\"${2:-}" || true; }
# per_tenant_counts: "N tenants: secure_score control_score control_profile score_change"
# for each distinct tuple of per-tenant counts.
per_tenant_counts() {
  keys | awk '{ n[$3 " " $1]++; t[$3] = 1 }
    END { for (x in t) print n[x " secure_score"] + 0, n[x " control_score"] + 0,
                              n[x " control_profile"] + 0, n[x " score_change"] + 0 }' |
    sort | uniq -c | awk '{ print $1 " tenants: " $2, $3, $4, $5 }'
}
# tenant_lines TENANT KIND: the JSON lines of one kind of one tenant.
tenant_lines() {
  grep -F "\"kind\":\"$2\"" "$WORK/events.jsonl" | grep -F "\"tenant\":{\"id\":\"$1\"" || true
}

# ---- 1. Backfill.
per_day=$((1 + CONTROLS))
total=$((TENANTS * (90 * per_day + CONTROLS)))
start_secfeed secfeed  # common.sh: $WORK/secfeed.yaml, a fresh $WORK/secfeed.log
wait_for 150 "$total backfilled events" has_lines "$total" "$WORK/events.jsonl"
wait_for 30 "a second poll round" polls_at_least $((TENANTS * 2))
expect_eq "events after the backfill" "$total" "$(lines "$WORK/events.jsonl")"
expect_eq "per tenant after the backfill" "$TENANTS tenants: 90 $((90 * CONTROLS)) $CONTROLS 0" \
  "$(per_tenant_counts)"
expect_eq "distinct (tenant, kind, id)" "$total" "$(keys | sort -u | wc -l)"
expect_eq "CEF lines" "$total" "$(lines "$WORK/events.cef")"
[[ ! -s $WORK/dead.jsonl ]] || fail "unexpected dead letters: $(head -c 500 "$WORK/dead.jsonl")"

# ---- 2. Restart: nothing new.
stop_secfeed secfeed
start_secfeed secfeed
wait_for 60 "two poll rounds after the restart" polls_at_least $((TENANTS * 2))
sleep 2.5  # a profile refresh round (profiles_interval 2s) as well
expect_eq "events after the restart" "$total" "$(lines "$WORK/events.jsonl")"

# ---- 3. Next day: exactly one more set per tenant.
emulator_api POST secure-score/next-day '{}' >/dev/null
total=$((total + TENANTS * per_day))
wait_for 60 "the next day" has_lines "$total" "$WORK/events.jsonl"
sleep 2
expect_eq "events after next-day" "$total" "$(lines "$WORK/events.jsonl")"
expect_eq "per tenant after next-day" "$TENANTS tenants: 91 $((91 * CONTROLS)) $CONTROLS 0" \
  "$(per_tenant_counts)"

# newest_scores TENANT: "control score" of the tenant's newest day, highest score first.
newest_scores() {
  tenant_lines "$1" control_score | python3 -c '
import json, sys
latest = {}
for e in map(json.loads, sys.stdin):
    a = e["attributes"]
    day = e["id"][len(sys.argv[1]) + 1:][:10]
    if a["control_name"] not in latest or latest[a["control_name"]][0] < day:
        latest[a["control_name"]] = (day, a["score"])
for name, (_, score) in sorted(latest.items(), key=lambda kv: (-kv[1][1], kv[0])):
    print(name, score)' "$1"
}
# score_changes TENANT: "change_type control previous current delta" lines, sorted.
score_changes() {
  tenant_lines "$1" score_change | python3 -c '
import json, sys
rows = []
for e in map(json.loads, sys.stdin):
    a = e["attributes"]
    rows.append("%s %s %g %g %g" % (a["change_type"], a.get("control_name", "-"),
                                    a["previous_score"], a["current_score"], a["delta"]))
print("\n".join(sorted(rows)))'
}

# ---- 4. One control of tenant 1 regresses to 0.
T1=$(emulator_tenant 1)
read -r control previous < <(newest_scores "$T1" | head -1)
awk -v p="$previous" 'BEGIN { exit !(p > 0) }' || fail "tenant 1 has no control above 0"
emulator_api POST secure-score/regress "{\"tenant\":\"$T1\",\"control\":\"$control\"}" >/dev/null
emulator_api POST secure-score/next-day "{\"tenant\":\"$T1\"}" >/dev/null
total=$((total + per_day + 1))
wait_for 60 "tenant 1's regressed day" has_lines "$total" "$WORK/events.jsonl"
sleep 2
expect_eq "events after the regression" "$total" "$(lines "$WORK/events.jsonl")"
expect_eq "score_change events" 1 "$(count score_change)"
expect_eq "the control regression" \
  "control_regression $control $(printf '%g' "$previous") 0 $(printf '%g' "-$previous")" \
  "$(score_changes "$T1")"

# ---- 5. Tenant 2 loses >= 15 points: one score_drop plus one event per control.
T2=$(emulator_tenant 2)
mapfile -t top < <(newest_scores "$T2")
dropped=0
expected=()
for row in "${top[@]}"; do
  read -r name score <<<"$row"
  awk -v s="$score" 'BEGIN { exit !(s > 0) }' || break
  emulator_api POST secure-score/regress "{\"tenant\":\"$T2\",\"control\":\"$name\"}" >/dev/null
  expected+=("control_regression $name $(printf '%g' "$score") 0 $(printf '%g' "-$score")")
  dropped=$(awk -v a="$dropped" -v b="$score" 'BEGIN { print a + b }')
  awk -v d="$dropped" 'BEGIN { exit !(d >= 15) }' && break
done
awk -v d="$dropped" 'BEGIN { exit !(d >= 15) }' || fail "tenant 2 has fewer than 15 points"
before=$(tenant_lines "$T2" secure_score | python3 -c 'import json, sys
print(max(map(json.loads, sys.stdin), key=lambda e: e["id"])["attributes"]["current_score"])')
emulator_api POST secure-score/next-day "{\"tenant\":\"$T2\"}" >/dev/null
total=$((total + per_day + ${#expected[@]} + 1))
wait_for 60 "tenant 2's regressed day" has_lines "$total" "$WORK/events.jsonl"
sleep 2
expect_eq "events after tenant 2's regression" "$total" "$(lines "$WORK/events.jsonl")"
after=$(awk -v a="$before" -v d="$dropped" 'BEGIN { printf "%g", a - d }')
expected+=("score_drop - $(printf '%g' "$before") $after $(printf '%g' "-$dropped")")
expect_eq "tenant 2's score changes" "$(printf '%s\n' "${expected[@]}" | sort)" \
  "$(score_changes "$T2")"

# ---- 6. One profile changes.
T3=$(emulator_tenant 3)
emulator_api POST secure-score/profile-change "{\"tenant\":\"$T3\",\"control\":\"OneAdmin\"}" \
  >/dev/null
total=$((total + 1))
wait_for 30 "the changed profile" has_lines "$total" "$WORK/events.jsonl"
sleep 3  # another profiles round: nothing more
expect_eq "events after the profile change" "$total" "$(lines "$WORK/events.jsonl")"
expect_eq "tenant 3's control_profile events" $((CONTROLS + 1)) "$(count control_profile "$T3")"

# ---- 7. Restart once more: no duplicates; CEF forms.
stop_secfeed secfeed
start_secfeed secfeed
wait_for 60 "two poll rounds after the second restart" polls_at_least $((TENANTS * 2))
sleep 2.5
stop_secfeed secfeed
expect_eq "events after the second restart" "$total" "$(lines "$WORK/events.jsonl")"
expect_eq "CEF lines after everything" "$total" "$(lines "$WORK/events.cef")"
for kind in secure_score control_score control_profile; do
  grep -q "^CEF:0|Microsoft|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|.*cs1=" "$WORK/events.cef" ||
    fail "no CEF line with a tenant"
done
grep -q '|control_regression|Secure Score control regressed: .*|8|.*cs3=control_regression cs3Label=ChangeType.*cfp1=0 cfp1Label=CurrentScore' \
  "$WORK/events.cef" || fail "no CEF control_regression line: $(grep -m1 regressed "$WORK/events.cef")"
grep -q "|score_drop|Secure Score dropped|.*cfp4=$(printf '%g' "$before") cfp4Label=PreviousScore" \
  "$WORK/events.cef" || fail "no CEF score_drop line: $(grep -m1 'Score dropped' "$WORK/events.cef")"
grep -q '|Microsoft Secure Score|.*cs2=AdminMFAV2 cs2Label=ControlName.*cfp2=10 cfp2Label=MaxScore' \
  "$WORK/events.cef" || fail "no CEF control_score line with the joined max score"
echo "secure_score: all checks passed"
