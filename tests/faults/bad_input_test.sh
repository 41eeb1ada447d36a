#!/usr/bin/env bash
# Hostile input in every source, with good input before and after it:
#   eventhub (test broker, one partition, so offsets name the messages): truncated JSON,
#   text, wrong types, a record that is a number, invalid UTF-8, a NUL byte inside a
#   string, 100,000-deep arrays and objects (bare and inside a record), a 900 KB field
#   (tests/faults/gen_bad_records.py);
#   Graph (emulator): schema-violating items in alerts_v2 and incidents pages
#   (`malformed_item` fault: numeric id, "yesterday" as a time, ...).
# Each bad record is dead-lettered with its reason (exact text asserted for several),
# counted in /metrics, and the stream goes on: every good event before and after the bad
# ones arrives (eventhub: every generated id; Graph: the ground truth exactly once).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"

start_broker --brokers 1 --topic mdc:1
start_emulator --tenants 1 --alerts-per-tenant 200 --history-hours 3 --seed 53
python3 "$GEN" --messages 100 --id-prefix before "$WORK/before.ndjson" >"$WORK/before.truth"
python3 "$FAULTS_DIR/gen_bad_records.py" "$WORK/bad.ndjson" >"$WORK/bad.cases"
python3 "$GEN" --messages 100 --seed 2 --id-prefix after "$WORK/after.ndjson" >"$WORK/after.truth"
# + 1: the 900 KB field's alert is valid and delivered.
events=$(($(truth "$WORK/before.truth" events) + $(truth "$WORK/after.truth" events) + 1))
cat "$WORK/before.ndjson" "$WORK/bad.ndjson" "$WORK/after.ndjson" >"$WORK/all.ndjson"
produce mdc "$WORK/all.ndjson"

# Two malformed alerts_v2 items and one malformed incident, in the first pages read.
emulator_api POST faults '[{"path_prefix": "/v1.0/security/alerts_v2", "action": "malformed_item", "count": 2},
  {"path_prefix": "/v1.0/security/incidents", "action": "malformed_item", "count": 1}]' >/dev/null
{
  yaml_header run
  echo "sources:"
  yaml_eventhub_source mdc g-bad
  yaml_graph_source graph_alerts 50
  yaml_graph_source graph_incidents 50
  echo "sinks:"
  yaml_file_sink run
} >"$WORK/run.yaml"
secfeed_validate run
secfeed_start run
wait_for 30 "metrics" metrics_ready run
wait_for 120 "every good eventhub event, before and after the bad ones" \
  source_complete "$WORK/run.out" mdc "$events"
GRAPH_SOURCES=(graph_alerts graph_incidents)
GRAPH_PID=$PID_run
graph_wait_complete run 120
expect_eq "malformed Graph items served" 3 "$(graph_faults_served)"
sleep 2  # late dead letters would show up now

# Dead letters, by case: eventhub ones name partition 0 and the message's offset;
# prints "CASE COUNT REASON" per message and "graph SOURCE REASON" per Graph item.
python3 - "$WORK/bad.cases" "$WORK/run-dead.jsonl" "$(wc -l <"$WORK/before.ndjson")" \
  >"$WORK/dead-by-case.txt" <<'PY2' || fail "cannot read the dead letters"
import json, re, sys
cases = json.load(open(sys.argv[1]))
first = int(sys.argv[3])
by_offset, graph = {}, []
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    m = re.match(r"partition 0 offset (\d+)", d.get("position", ""))
    if m:
        by_offset.setdefault(int(m.group(1)), []).append(d["reason"])
    else:
        graph.append(f"graph {d.get('source')} {d['reason']}")
for i, case in enumerate(cases):
    reasons = by_offset.get(first + i, [])
    print(case["case"], len(reasons), *sorted(set(reasons)))
print(*sorted(graph), sep="\n")
PY2
cat "$WORK/dead-by-case.txt"
dead_letter() { grep "^$1 " "$WORK/dead-by-case.txt"; }  # CASE: its line
expect_eq "truncated JSON" "truncated_json 1 invalid JSON at offset 32: Invalid value." "$(dead_letter truncated_json)"
expect_eq "text" "not_json 1 invalid JSON at offset 0: Invalid value." "$(dead_letter not_json)"
expect_eq "numeric id" "id_is_number 1 id: expected a string, got a number" "$(dead_letter id_is_number)"
expect_eq "numeric severity" "severity_is_number 1 Severity: expected a string, got a number" \
  "$(dead_letter severity_is_number)"
expect_eq "a record that is a number" "record_is_number 1 expected a JSON object, got a number" \
  "$(dead_letter record_is_number)"
expect_eq "invalid UTF-8" "invalid_utf8 1 invalid JSON at offset 910: Invalid encoding in string." \
  "$(dead_letter invalid_utf8)"
expect_eq "a NUL byte inside a string" \
  "nul_in_string 1 invalid JSON at offset 911: Missing a closing quotation mark in string." \
  "$(dead_letter nul_in_string)"
for case in deep_array deep_object deep_in_record; do
  expect_eq "$case" "$case 1 JSON nested deeper than 64 levels" "$(dead_letter "$case")"
done
expect_eq "a 900 KB field is no reason to dead-letter" "huge_field 0" "$(dead_letter huge_field)"
expect_eq "the 900 KB title delivered intact" 1 "$(python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get("title") == "h" * 900000))' "$WORK/run.out")"
expect_eq "malformed Graph items dead-lettered" \
  "$(printf 'graph graph_alerts id: expected a non-empty string\n%.0s' 1 2)
graph graph_incidents id: expected a non-empty string" "$(grep '^graph ' "$WORK/dead-by-case.txt")"
dead=$(lines "$WORK/run-dead.jsonl")
expect_eq "dead letters in all (10 eventhub, 3 Graph)" 13 "$dead"

# The same counts in /metrics.
curl -sf --max-time 5 "$(metrics_url run)/metrics" | grep -E 'reject|dead_letter' | grep -v '^#' || true
expect_eq "secfeed_dead_letters_total" "$dead" "$(metric run secfeed_dead_letters_total)"
expect_eq "secfeed_dead_letter_write_errors_total" 0 "$(metric run secfeed_dead_letter_write_errors_total)"
expect_eq "secfeed_pipeline_records_rejected_total" "$dead" "$(metric run secfeed_pipeline_records_rejected_total)"
expect_eq "secfeed_eventhub_records_rejected_total{source=\"mdc\"}" 10 \
  "$(metric run 'secfeed_eventhub_records_rejected_total{source="mdc"}')"
tenant=$(emulator_tenant 1)
expect_eq "secfeed_source_rejected_total of graph_alerts" 2 \
  "$(metric run "secfeed_source_rejected_total{source=\"graph_alerts\",tenant=\"$tenant\"}")"
expect_eq "secfeed_source_rejected_total of graph_incidents" 1 \
  "$(metric run "secfeed_source_rejected_total{source=\"graph_incidents\",tenant=\"$tenant\"}")"
secfeed_stop run
# The stream went on: Graph exactly once, every good eventhub event exactly once.
for source in "${GRAPH_SOURCES[@]}"; do graph_expect_exact run "$source"; done
expect_eq "eventhub events (distinct)" "$events" "$(source_distinct "$WORK/run.out" mdc)"
expect_eq "eventhub events (lines)" "$events" "$(grep -c '"source":"mdc"' "$WORK/run.out")"
echo "PASS"
