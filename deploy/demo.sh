#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs secfeed live against the
# bundled emulators, all on loopback:
#   * secfeed-emulator: Entra ID + Microsoft Graph (two tenants producing alerts,
#     incidents and Secure Score) + the Logs Ingestion API (Sentinel);
#   * secfeed-kafka-broker: a mock Kafka cluster standing in for an Azure Event Hub,
#     carrying Defender for Cloud continuous export events;
#   * rsyslog receiving CEF over TCP, as a SIEM collector would;
# and forwards everything with deploy/examples/demo.yaml. A status line per second shows
# the flow; Ctrl-C stops everything cleanly. Without a terminal it runs for
# SECFEED_DEMO_SECONDS (default 30) and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake --preset release -DSECFEED_TESTS=ON >/dev/null
cmake --build --preset release --target secfeed secfeed-kafka-broker secfeed-kafka-produce \
  secfeed-emulator
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
wait_line() {  # FILE PREFIX: waits up to 15 s for a line starting with PREFIX, prints the rest
  for _ in $(seq 150); do grep -q "^$2" "$1" 2>/dev/null && break; sleep 0.1; done
  sed -n "s/^$2//p" "$1" | head -n 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The Microsoft cloud: Entra ID, Graph (2 tenants, new alerts every 3 s) and Logs
#    Ingestion, over HTTPS with a CA made here.
tests/emulators/make-test-ca.sh "$SECFEED_DEMO_DIR/ca" >/dev/null
"$BUILD/bin/secfeed-emulator" --listen 127.0.0.1:0 --cert "$SECFEED_DEMO_DIR/ca/server.pem" \
  --key "$SECFEED_DEMO_DIR/ca/server.key" --tenants 2 --alerts-per-tenant 200 \
  --live-interval-ms 3000 --streams schemas/sentinel \
  --ingested "$SECFEED_DEMO_DIR/sentinel-rows.ndjson" </dev/null \
  >"$SECFEED_DEMO_DIR/emulator.out" 2>"$SECFEED_DEMO_DIR/emulator.log" &
pids+=($!)
export SECFEED_DEMO_EMULATOR SECFEED_DEMO_CLIENT_SECRET=secfeed-test-secret
SECFEED_DEMO_EMULATOR=$(wait_line "$SECFEED_DEMO_DIR/emulator.out" listening=)

# 2. The "Event Hub": a 3-broker mock Kafka cluster with a 4-partition topic.
"$BUILD/bin/secfeed-kafka-broker" --brokers 3 --topic defender-export:4 --no-stdin \
  >"$SECFEED_DEMO_DIR/broker.out" 2>"$SECFEED_DEMO_DIR/broker.log" &
pids+=($!)
export SECFEED_DEMO_BOOTSTRAP
SECFEED_DEMO_BOOTSTRAP=$(wait_line "$SECFEED_DEMO_DIR/broker.out" bootstrap=)

# 3. The SIEM's syslog collector: rsyslog in the foreground with its own config.
export SECFEED_DEMO_SYSLOG_PORT SECFEED_DEMO_METRICS_PORT
SECFEED_DEMO_SYSLOG_PORT=$(free_port)
SECFEED_DEMO_METRICS_PORT=${SECFEED_DEMO_METRICS_PORT:-9464}
mkdir -p "$SECFEED_DEMO_DIR/rsyslog"
cat >"$SECFEED_DEMO_DIR/rsyslog/rsyslog.conf" <<CONF
global(workDirectory="$SECFEED_DEMO_DIR/rsyslog" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" port="$SECFEED_DEMO_SYSLOG_PORT" address="127.0.0.1")
template(name="cefonly" type="string" string="%msg%\n")
action(type="omfile" file="$SECFEED_DEMO_DIR/rsyslog-cef.log" template="cefonly")
CONF
/usr/sbin/rsyslogd -n -f "$SECFEED_DEMO_DIR/rsyslog/rsyslog.conf" \
  -i "$SECFEED_DEMO_DIR/rsyslog/pid" >"$SECFEED_DEMO_DIR/rsyslog.log" 2>&1 &
pids+=($!)

# 4. Defender export traffic: a backlog, then a trickle every 2 s (1 in 50 malformed).
produce() {  # PREFIX MESSAGES
  python3 tests/tools/gen_defender_records.py --messages "$2" --poison-every 50 \
    --id-prefix "$1" --seed "$RANDOM" "$SECFEED_DEMO_DIR/batch.ndjson" >/dev/null
  "$BUILD/bin/secfeed-kafka-produce" --bootstrap "$SECFEED_DEMO_BOOTSTRAP" \
    --topic defender-export --round-robin "$SECFEED_DEMO_DIR/batch.ndjson" >/dev/null
}
produce backlog 1000
( n=0; while sleep 2; do n=$((n + 1)); produce "live$n" 25; done ) &
pids+=($!)

# 5. secfeed itself.
echo "secfeed: Graph + Logs Ingestion at $SECFEED_DEMO_EMULATOR, Event Hub at" \
  "$SECFEED_DEMO_BOOTSTRAP, CEF to rsyslog on tcp/$SECFEED_DEMO_SYSLOG_PORT; Ctrl-C to stop"
"$BUILD/secfeed" run -c deploy/examples/demo.yaml --status-interval 1 &
secfeed_pid=$!
pids+=("$secfeed_pid")
if [ -t 0 ]; then
  trap 'kill -INT "$secfeed_pid" 2>/dev/null || true' INT
  wait "$secfeed_pid" || true
else
  sleep "${SECFEED_DEMO_SECONDS:-30}"
  kill -INT "$secfeed_pid"
  wait "$secfeed_pid" || true
fi

count() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }
cat <<MSG

Where to look (build/demo/):
  rsyslog-cef.log      $(count "$SECFEED_DEMO_DIR/rsyslog-cef.log") CEF events rsyslog received over TCP, as a SIEM would
  sentinel-rows.ndjson $(count "$SECFEED_DEMO_DIR/sentinel-rows.ndjson") rows the Logs Ingestion emulator accepted (Sentinel tables)
  events.jsonl         $(count "$SECFEED_DEMO_DIR/events.jsonl") normalized events (schemas/event.schema.json)
  high-severity.log    $(count "$SECFEED_DEMO_DIR/high-severity.log") high-severity alerts and score regressions (a per-sink filter)
  dead-letter.jsonl    $(count "$SECFEED_DEMO_DIR/dead-letter.jsonl") malformed records, each with its reason and origin
Metrics while it runs: http://127.0.0.1:$SECFEED_DEMO_METRICS_PORT/metrics (also /healthz, /readyz)
First CEF line rsyslog received:
$(head -1 "$SECFEED_DEMO_DIR/rsyslog-cef.log" 2>/dev/null | cut -c1-400)
Offline conversion of any saved payload: $BUILD/secfeed convert --format cef tests/fixtures/graph/alerts_v2_list.json
MSG
