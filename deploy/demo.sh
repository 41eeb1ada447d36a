#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs secfeed live against the
# bundled Kafka broker (librdkafka's mock cluster, standing in for an Azure Event Hub)
# carrying Defender for Cloud continuous-export events, forwarding them as CEF and
# normalized JSON to files under build/demo/. A status line per second shows the flow;
# Ctrl-C stops everything cleanly. Without a terminal it runs for
# SECFEED_DEMO_SECONDS (default 20) and stops by itself.
#
# TODO(issues 3, 4, 6, 9): add the Graph emulator (alerts, incidents, Secure Score), a
# local rsyslog receiving CEF over TCP, and the Logs Ingestion emulator as they land.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake --preset release -DSECFEED_TESTS=ON >/dev/null
cmake --build --preset release --target secfeed secfeed-kafka-broker secfeed-kafka-produce
BUILD=build/release
export SECFEED_DEMO_DIR="$PWD/build/demo"
rm -rf "$SECFEED_DEMO_DIR"
mkdir -p "$SECFEED_DEMO_DIR"

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

# 1. The "Event Hub": a 3-broker mock Kafka cluster with a 4-partition topic.
"$BUILD/bin/secfeed-kafka-broker" --brokers 3 --topic defender-export:4 --no-stdin \
  >"$SECFEED_DEMO_DIR/broker.out" 2>"$SECFEED_DEMO_DIR/broker.log" &
pids+=($!)
for _ in $(seq 100); do grep -q '^bootstrap=' "$SECFEED_DEMO_DIR/broker.out" && break; sleep 0.1; done
export SECFEED_DEMO_BOOTSTRAP
SECFEED_DEMO_BOOTSTRAP=$(sed -n 's/^bootstrap=//p' "$SECFEED_DEMO_DIR/broker.out")

# 2. Defender export traffic: a backlog, then a trickle every 2 s (1 in 50 malformed).
produce() {  # PREFIX MESSAGES
  python3 tests/tools/gen_defender_records.py --messages "$2" --poison-every 50 \
    --id-prefix "$1" --seed "$RANDOM" "$SECFEED_DEMO_DIR/batch.ndjson" >/dev/null
  "$BUILD/bin/secfeed-kafka-produce" --bootstrap "$SECFEED_DEMO_BOOTSTRAP" \
    --topic defender-export --round-robin "$SECFEED_DEMO_DIR/batch.ndjson" >/dev/null
}
produce backlog 1000
( n=0; while sleep 2; do n=$((n + 1)); produce "live$n" 25; done ) &
pids+=($!)

# 3. secfeed itself.
echo "secfeed: reading topic defender-export at $SECFEED_DEMO_BOOTSTRAP; Ctrl-C to stop"
"$BUILD/secfeed" run -c deploy/examples/demo.yaml --status-interval 1 &
secfeed_pid=$!
pids+=("$secfeed_pid")
if [ -t 0 ]; then
  trap 'kill -INT "$secfeed_pid" 2>/dev/null || true' INT
  wait "$secfeed_pid" || true
else
  sleep "${SECFEED_DEMO_SECONDS:-20}"
  kill -INT "$secfeed_pid"
  wait "$secfeed_pid" || true
fi

cat <<MSG

Where to look (build/demo/):
  cef.log            $(wc -l <"$SECFEED_DEMO_DIR/cef.log") CEF lines, as a SIEM receives them
  events.jsonl       $(wc -l <"$SECFEED_DEMO_DIR/events.jsonl") normalized events (schemas/event.schema.json)
  high-severity.log  $(wc -l <"$SECFEED_DEMO_DIR/high-severity.log") high-severity alerts only (a per-sink filter)
  dead-letter.jsonl  $(wc -l <"$SECFEED_DEMO_DIR/dead-letter.jsonl") malformed records, each with its reason and partition/offset
First CEF line:
$(head -1 "$SECFEED_DEMO_DIR/cef.log" | cut -c1-400)
Offline conversion of any saved payload: $BUILD/secfeed convert --format cef tests/fixtures/graph/alerts_v2_list.json
MSG
