#!/usr/bin/env bash
# The kafka sink end to end with real processes: test broker (librdkafka mock cluster,
# 3 brokers) -> secfeed run (eventhub source on topic `in`, kafka sink to topic `out`,
# key = event id) -> secfeed-kafka-consume-count, compared with the generator's truth:
#   1. every event arrives exactly once (no duplicate keys, nothing missing);
#   2. every broker down for 10 s while events stream through: still exactly once
#      (the idempotent producer retries through the outage; nothing lost or doubled).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$COUNT" "$SECFEED_BINARY"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

# 8 partitions each keep every partition far below the mock's 5 MiB retention.
start_broker --brokers 3 --topic in:8 --topic out:8

# A session timeout above the outage: the source's group must not expire during it
# (a rebalance would redeliver uncommitted records, duplicates that are not the sink's).
cat >"$WORK/relay.yaml" <<YAML
state_dir: $WORK/state
metrics: {listen: "127.0.0.1:0"}  # several instances run at once
log: {level: info}
dead_letter: {path: $WORK/dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["${BOOTSTRAP//,/\",\"}"]}
    topic: in
    consumer_group: relay
    commit_interval: 200ms
    properties: {session.timeout.ms: "20000", heartbeat.interval.ms: "500"}
sinks:
  - name: out
    type: kafka
    bootstrap_servers: ["${BOOTSTRAP//,/\",\"}"]
    topic: out
    key: id
    compression: gzip
    format: json
YAML


# count EXPECTED: reads all of `out` and checks exactly EXPECTED messages, each key once.
count() {
  local report status=0
  report=$(timeout 150 "$COUNT" --bootstrap "$BOOTSTRAP" --topic out --expect "$1" \
    --linger 2000 --idle-timeout 60000 --max-time 140000) || status=$?
  echo "$report" >"$WORK/count-$1.txt"
  expect_eq "count exit status (0 = exactly $1)" 0 "$status"
  expect_eq "messages in out" "total $1" "$(grep '^total ' <<<"$report")"
  expect_eq "every message keyed" "keyed $1" "$(grep '^keyed ' <<<"$report")"
  expect_eq "duplicate keys" "duplicate_keys 0" "$(grep '^duplicate_keys ' <<<"$report")"
  expect_eq "duplicate payloads" "duplicate_payloads 0" "$(grep '^duplicate_payloads ' <<<"$report")"
}

"$SECFEED_BINARY" run -c "$WORK/relay.yaml" --status-interval 1 >"$WORK/relay.log" 2>&1 &
RELAY=$!
EXTRA_PIDS+=("$RELAY")

# ---- 1. Exactly once.
python3 "$GEN" --messages 1000 --id-prefix a "$WORK/a.ndjson" >"$WORK/a.truth"
first=$(truth "$WORK/a.truth" events)
out=$(timeout 120 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic in --round-robin "$WORK/a.ndjson")
expect_eq "produced" "produced 1000" "$out"
count "$first"

# ---- 2. Every broker down mid-stream: still exactly once.
python3 "$GEN" --messages 2000 --id-prefix b "$WORK/b.ndjson" >"$WORK/b.truth"
second=$(truth "$WORK/b.truth" events)
timeout 150 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic in --round-robin --rate 200 \
  "$WORK/b.ndjson" >"$WORK/produce-b.txt" 2>"$WORK/produce-b.log" &
PRODUCER=$!
EXTRA_PIDS+=("$PRODUCER")
sleep 3
expect_eq "brokers down" "ok broker all down" "$(broker broker-down all)"
sleep 10
expect_eq "brokers up" "ok broker all up" "$(broker broker-up all)"
wait "$PRODUCER" || fail "producer failed: $(cat "$WORK/produce-b.log")"
expect_eq "produced through the outage" "produced 2000" "$(cat "$WORK/produce-b.txt")"
count $((first + second))

[[ ! -s $WORK/dead.jsonl ]] || fail "unexpected dead letters: $(head -3 "$WORK/dead.jsonl")"
kill -TERM "$RELAY"
status=0
timeout 60 tail --pid="$RELAY" -f /dev/null || fail "secfeed did not stop"
wait "$RELAY" || status=$?
expect_eq "secfeed exit status after SIGTERM" 0 "$status"
grep -q "stopped cleanly" "$WORK/relay.log" || fail "secfeed did not drain cleanly"
echo "PASS"
