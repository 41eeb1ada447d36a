#!/usr/bin/env bash
# SIGHUP reload, end to end: test broker -> secfeed run (eventhub source) -> file sink.
#   1. an invalid config file + SIGHUP: the error is logged as FILE:LINE:COL: key: reason,
#      the daemon keeps running with the old config (same PID, events keep flowing to
#      the old file);
#   2. a valid config that moves the file sink + SIGHUP: drain, re-exec (same PID, a new
#      "started" line), later events land in the new file; nothing lost or duplicated
#      across both files;
#   3. SIGTERM afterwards still stops cleanly.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

start_broker --brokers 1 --topic r1:2

CONFIG="$WORK/reload.yaml"
write_config() {  # OUTPUT_FILE
  cat >"$CONFIG.tmp" <<YAML
state_dir: $WORK/state
log: {level: info}
metrics: {listen: "127.0.0.1:0"}
dead_letter: {path: $WORK/dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["$BOOTSTRAP"]}
    topic: r1
    consumer_group: g-reload
    commit_interval: 200ms
sinks:
  - name: out
    type: file
    path: $1
    format: json
YAML
  mv "$CONFIG.tmp" "$CONFIG"  # atomically: a reader never sees half a file
}

has_lines() { (($(cat "${@:2}" 2>/dev/null | wc -l) >= $1)); }
count() { grep -c "$1" "$WORK/secfeed.log" || true; }
ids() { cat "$@" 2>/dev/null | python3 -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["id"])'; }
alive() { kill -0 "$PID" 2>/dev/null; }

write_config "$WORK/first.jsonl"
"$SECFEED_BINARY" run -c "$CONFIG" --status-interval 0 >"$WORK/secfeed.log" 2>&1 &
PID=$!
EXTRA_PIDS+=("$PID")
wait_for 30 "the first start" grep -q "started:" "$WORK/secfeed.log"

python3 "$GEN" --messages 200 --id-prefix a "$WORK/a.ndjson" >"$WORK/a.truth"
a_events=$(truth "$WORK/a.truth" events)
produce r1 "$WORK/a.ndjson"
wait_for 60 "the first batch in first.jsonl" has_lines "$a_events" "$WORK/first.jsonl"

# ---- 1. Invalid config: logged with its position, nothing changes.
cp "$CONFIG" "$WORK/valid.yaml"
sed 's/commit_interval: 200ms/commit_intervall: 200ms/' "$WORK/valid.yaml" >"$CONFIG"
kill -HUP "$PID"
wait_for 30 "the reload error" grep -q "reload: the new configuration is invalid" "$WORK/secfeed.log"
expected="reload: the new configuration is invalid, keeping the running one: $CONFIG:11:5: sources[0].commit_intervall: unknown key (did you mean \"commit_interval\"?)"
grep -qF "$expected" "$WORK/secfeed.log" || fail "the error does not name file, line and key: $(grep reload "$WORK/secfeed.log")"
echo "ok: invalid config reported with file:line:col: key: reason"
sleep 1
alive || fail "secfeed exited after an invalid reload"
expect_eq "starts after an invalid reload" 1 "$(count "started:")"
python3 "$GEN" --messages 100 --id-prefix b "$WORK/b.ndjson" >"$WORK/b.truth"
b_events=$(truth "$WORK/b.truth" events)
produce r1 "$WORK/b.ndjson"
wait_for 60 "more events in first.jsonl with the old config" has_lines $((a_events + b_events)) "$WORK/first.jsonl"

# ---- 2. Valid config moving the sink: drain, re-exec, new file.
write_config "$WORK/second.jsonl"
kill -HUP "$PID"
wait_for 60 "the restart" eval '(($(count "started:") == 2))'
alive || fail "secfeed is gone after the reload"
grep -q "reload: received SIGHUP, $CONFIG is valid; draining, then restarting with it" "$WORK/secfeed.log" ||
  fail "no reload line"
grep -q "stopped cleanly" "$WORK/secfeed.log" || fail "the reload did not drain cleanly"
grep -q "reload: restarting with the new configuration" "$WORK/secfeed.log" || fail "no restart line"
expect_eq "events in first.jsonl at the reload" $((a_events + b_events)) "$(lines "$WORK/first.jsonl")"
python3 "$GEN" --messages 150 --id-prefix c "$WORK/c.ndjson" >"$WORK/c.truth"
c_events=$(truth "$WORK/c.truth" events)
produce r1 "$WORK/c.ndjson"
wait_for 60 "the new events in second.jsonl" has_lines "$c_events" "$WORK/second.jsonl"
sleep 1  # duplicates would show up now
total=$((a_events + b_events + c_events))
expect_eq "events after the reload go to the new file only" "$c_events" "$(lines "$WORK/second.jsonl")"
expect_eq "distinct events across both files" "$total" \
  "$(ids "$WORK/first.jsonl" "$WORK/second.jsonl" | sort -u | wc -l)"
expect_eq "lines across both files (no duplicates: offsets were committed)" "$total" \
  "$(($(lines "$WORK/first.jsonl") + $(lines "$WORK/second.jsonl")))"
# The metrics endpoint is back (port 0: a new port, named in the second listening line).
url=$(grep -o 'metrics: listening on http://127.0.0.1:[0-9]*' "$WORK/secfeed.log" | tail -n 1 |
  sed 's/.*on //')
expect_eq "delivered counter of the new run" "$c_events" \
  "$(curl -sS --max-time 10 "$url/metrics" | awk '$1 == "secfeed_sink_events_delivered_total{sink=\"out\"}" {print $2}')"

# ---- 3. SIGTERM still works after the re-exec.
kill -TERM "$PID"
timeout 60 tail --pid="$PID" -f /dev/null || fail "secfeed did not stop"
status=0
wait "$PID" || status=$?
expect_eq "exit status after SIGTERM" 0 "$status"
expect_eq "clean stops (reload + SIGTERM)" 2 "$(count "stopped cleanly")"
echo "PASS"
