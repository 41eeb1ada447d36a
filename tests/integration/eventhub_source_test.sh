#!/usr/bin/env bash
# Defender for Cloud export through the Kafka endpoint, end to end with real processes:
# the test broker (librdkafka mock cluster, 3 brokers, 4 partitions) -> secfeed run ->
# file sink, compared with the generator's ground truth:
#   1. thousands of mixed records in all three body forms: every event exactly once,
#      poison records (invalid JSON, wrong types) dead-lettered with partition/offset/
#      reason, 900 KB fields delivered intact, clean SIGTERM;
#   2. kill -9 mid-stream, restart: nothing lost, duplicates counted and bounded;
#   3. two instances in one group split the partitions; stopping one moves its
#      partitions to the other with nothing lost;
#   4. every broker down for 30 s plus injected fetch errors: consumption resumes,
#      nothing lost.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

# Each scenario reads its own topic (a new group starts from the earliest offset).
start_broker --brokers 3 --topic mdc1:4 --topic mdc2:4 --topic mdc3:4 --topic mdc4:4

# write_config NAME GROUP OUT: a config for one secfeed instance, reading $TOPIC.
write_config() {
  cat >"$WORK/$1.yaml" <<YAML
state_dir: $WORK/state-$1
metrics: {listen: "127.0.0.1:0"}  # several instances run at once
log: {level: info}
dead_letter: {path: $WORK/$1-dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["${BOOTSTRAP//,/\",\"}"]}
    topic: $TOPIC
    consumer_group: $2
    commit_interval: 200ms
    properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "500"}
sinks:
  - name: out
    type: file
    path: $3
    format: json
YAML
}

# start_secfeed NAME: runs an instance in the background; sets PID_<NAME>.



ids() { cat "$@" 2>/dev/null | python3 -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["id"])'; }
has_lines() { (($(cat "${@:2}" 2>/dev/null | wc -l) >= $1)); }
has_distinct() { (($(ids "${@:2}" | sort -u | wc -l) >= $1)); }

# ---- 1. Mixed records, poison included: exactly once.
TOPIC=mdc1
python3 "$GEN" --messages 2000 --poison-every 50 --huge-every 1000 --id-prefix a "$WORK/a.ndjson" \
  >"$WORK/a.truth"
events=$(truth "$WORK/a.truth" events)
poison=$(truth "$WORK/a.truth" poison_records)
produce "$TOPIC" "$WORK/a.ndjson"
write_config one g1 "$WORK/one.jsonl"
start_secfeed one
wait_for 90 "$events events in the file sink" has_lines "$events" "$WORK/one.jsonl"
wait_for 30 "$poison dead letters" has_lines "$poison" "$WORK/one-dead.jsonl"
sleep 1  # anything beyond the expected count would show up now
stop_secfeed one
expect_eq "events delivered" "$events" "$(lines "$WORK/one.jsonl")"
expect_eq "distinct events" "$events" "$(ids "$WORK/one.jsonl" | sort -u | wc -l)"
expect_eq "dead letters" "$poison" "$(lines "$WORK/one-dead.jsonl")"
grep -q '"position":"partition [0-3] offset [0-9]*' "$WORK/one-dead.jsonl" ||
  fail "dead letters must name partition and offset"
grep -q '"reason":"invalid JSON at offset' "$WORK/one-dead.jsonl" || fail "missing JSON reason"
grep -q '"reason":"id: expected a string, got a number"' "$WORK/one-dead.jsonl" ||
  fail "missing type reason"
expect_eq "900 KB fields flow through intact" 2 \
  "$(python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) if len(json.loads(l).get("description","")) == 900000))' \
    "$WORK/one.jsonl")"

# ---- 2. kill -9 in the middle, restart: nothing lost, duplicates bounded.
TOPIC=mdc2
python3 "$GEN" --messages 3000 --id-prefix b "$WORK/b.ndjson" >"$WORK/b.truth"
events=$(truth "$WORK/b.truth" events)
write_config two g2 "$WORK/two.jsonl"
produce "$TOPIC" "$WORK/b.ndjson"
kills=0
for round in 1 2 3; do
  start_secfeed two
  # Let it make some progress, then kill it without warning.
  target=$((events * round / 4))
  wait_for 90 "progress past $target" has_lines "$target" "$WORK/two.jsonl"
  kill -KILL "$PID_two"
  wait "$PID_two" 2>/dev/null || true
  kills=$((kills + 1))
done
start_secfeed two
wait_for 120 "all events after $kills kill -9" has_distinct "$events" "$WORK/two.jsonl"
sleep 2
stop_secfeed two
distinct=$(ids "$WORK/two.jsonl" | sort -u | wc -l)
total=$(lines "$WORK/two.jsonl")
expect_eq "no event lost across kill -9" "$events" "$distinct"
duplicates=$((total - distinct))
echo "info: $kills kill -9 rounds: $duplicates duplicates of $events events (at-least-once)"
# Bound: what can be in flight between two commits; generous but finite.
((duplicates <= 3 * 2000)) || fail "too many duplicates: $duplicates"

# ---- 3. Two instances in one group share the partitions; one stops, none lost.
TOPIC=mdc3
python3 "$GEN" --messages 1500 --id-prefix c "$WORK/c.ndjson" >"$WORK/c.truth"
events=$(truth "$WORK/c.truth" events)
write_config left g3 "$WORK/left.jsonl"
write_config right g3 "$WORK/right.jsonl"
start_secfeed left
start_secfeed right
wait_for 60 "both instances assigned" grep -q "assigned partitions" "$WORK/right.log"
produce "$TOPIC" "$WORK/c.ndjson"
wait_for 90 "the group consumed everything" has_distinct "$events" "$WORK/left.jsonl" "$WORK/right.jsonl"
[[ $(lines "$WORK/left.jsonl") -gt 0 && $(lines "$WORK/right.jsonl") -gt 0 ]] ||
  fail "partitions were not shared: left=$(lines "$WORK/left.jsonl") right=$(lines "$WORK/right.jsonl")"
echo "ok: partitions shared (left=$(lines "$WORK/left.jsonl") right=$(lines "$WORK/right.jsonl"))"
stop_secfeed left
python3 "$GEN" --messages 500 --id-prefix d "$WORK/d.ndjson" >"$WORK/d.truth"
more=$(truth "$WORK/d.truth" events)
produce "$TOPIC" "$WORK/d.ndjson"
wait_for 90 "the survivor took over" has_distinct $((events + more)) "$WORK/left.jsonl" "$WORK/right.jsonl"
sleep 1
stop_secfeed right
expect_eq "no event lost in the hand-over" $((events + more)) \
  "$(ids "$WORK/left.jsonl" "$WORK/right.jsonl" | sort -u | wc -l)"

# ---- 4. All brokers down for 30 s, then fetch errors: consumption resumes, none lost.
TOPIC=mdc4
python3 "$GEN" --messages 1000 --id-prefix e "$WORK/e.ndjson" >"$WORK/e.truth"
events=$(truth "$WORK/e.truth" events)
write_config four g4 "$WORK/four.jsonl"
produce "$TOPIC" "$WORK/e.ndjson"
start_secfeed four
wait_for 60 "some progress" has_lines 100 "$WORK/four.jsonl"
expect_eq "brokers down" "ok broker all down" "$(broker broker-down all)"
sleep 30
expect_eq "brokers up" "ok broker all up" "$(broker broker-up all)"
broker push-errors Fetch NOT_LEADER_OR_FOLLOWER 5 >/dev/null
wait_for 120 "all events after the outage" has_distinct "$events" "$WORK/four.jsonl"
stop_secfeed four
expect_eq "no event lost across the outage" "$events" "$(ids "$WORK/four.jsonl" | sort -u | wc -l)"
echo "PASS"
