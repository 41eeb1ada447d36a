#!/usr/bin/env bash
# End-to-end benchmark (a): Defender for Cloud alerts in Kafka -> CEF over TCP,
# secfeed vs rsyslog (imkafka + mmjsonparse + omfwd). Not part of ctest.
#
# Usage: tests/bench/run-e2e.sh [RECORDS]      (default 1,000,000)
#   E2E_BUILD_DIR   build directory (default build/release-e2e, release preset)
#   E2E_TIMEOUT     seconds without progress before a run is declared stuck (default 120)
#   E2E_SECFEED_PROPERTIES  extra librdkafka properties for secfeed's consumer, YAML
#                   flow-map entries, e.g. 'fetch.wait.max.ms: "10"'
#   E2E_KEEP_WORK   keep the work directory (configs, logs, receiver samples)
#   E2E_LIVE_RATE, E2E_LIVE_SECONDS  the live phase after each backlog (default 1000/s for
#                   20 s; 0 seconds: none)
#
# 1. builds secfeed and the Kafka test helpers, starts the mock Kafka cluster
#    (librdkafka's, see tests/kafka_broker/README.md) and loads RECORDS alerts of 2-4 KB,
#    one per message (generated once into build/bench/e2e-alerts-RECORDS.ndjson);
# 2. run A: secfeed (eventhub source, fresh group, earliest -> syslog tcp, CEF, LF);
# 3. run B: rsyslogd (imkafka, fresh group -> mmjsonparse -> CEF template -> omfwd tcp);
#    each delivers to its own counting receiver (tests/bench/e2e/count_receiver.py);
# 4. prints a markdown table and appends it to build/bench/e2e-results.md.
#
# Measured per run, from the connector process only: events/s between the first and the
# last event arriving at the receiver (the consumer-group join before the first event is
# reported separately as "startup"), CPU seconds (utime+stime of all threads, read from
# /proc/PID/stat while the process still runs) per 100k events, and peak RSS (VmHWM).
# The backlog has no meaningful latency (an event's would be its wait in the backlog), so
# after it each run has a live phase: E2E_LIVE_RATE alerts/s for E2E_LIVE_SECONDS, each
# stamped when sent (gen_alerts.py --live + secfeed-kafka-produce --stamp); the receiver reads it back from the
# CEF `rt=` field: latency = arrival - production, p50/p95/p99/max.
#
# The mock cluster keeps only ~5 MiB per partition (the "retention trap" in
# tests/kafka_broker/README.md), so the topic gets one partition per 3.5 MiB of input
# (at least 4): ~30 partitions for 50,000 alerts, ~860 for 1,000,000.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/e2e/lib.sh
RECORDS=${1:-1000000}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
[[ $RECORDS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RECORDS]" >&2; exit 2; }

# ---- 1. Build, input, broker.
bash deploy/install-deps.sh >&2  # no-op when everything (rsyslog-kafka included) is present
[[ -x $RSYSLOGD ]] || die "$RSYSLOGD missing (apt-get install rsyslog rsyslog-kafka)"
[[ -e /usr/lib/x86_64-linux-gnu/rsyslog/imkafka.so || -n $(find /usr/lib -name imkafka.so 2>/dev/null) ]] ||
  die "rsyslog's imkafka module missing (apt-get install rsyslog-kafka)"
e2e_build secfeed secfeed-kafka-broker secfeed-kafka-produce
SECFEED=$ROOT/$BUILD/secfeed
BROKER=$ROOT/$BUILD/bin/secfeed-kafka-broker
PRODUCE=$ROOT/$BUILD/bin/secfeed-kafka-produce

INPUT=$ROOT/build/bench/e2e-alerts-$RECORDS.ndjson
mkdir -p "$ROOT/build/bench"
if [[ ! -s $INPUT ]]; then
  log "generating $RECORDS alerts into $INPUT (once; cached)"
  python3 "$HERE/gen_alerts.py" --records "$RECORDS" "$INPUT.tmp" >/dev/null
  mv "$INPUT.tmp" "$INPUT"
fi
BYTES=$(stat -c %s "$INPUT")
PARTITIONS=$(((BYTES + 3670015) / 3670016))
((PARTITIONS >= 4)) || PARTITIONS=4

"$BROKER" --brokers 1 --topic "e2e:$PARTITIONS" --no-stdin >"$WORK/broker.out" 2>"$WORK/broker.log" &
PIDS+=($!)
BOOTSTRAP=$(first_line "$WORK/broker.out" bootstrap)
log "mock cluster at $BOOTSTRAP, topic e2e with $PARTITIONS partitions; loading $RECORDS alerts ($((BYTES / 1048576)) MiB)"
produced=$("$PRODUCE" --bootstrap "$BOOTSTRAP" --topic e2e --round-robin "$INPUT" 2>"$WORK/produce.log") ||
  die "produce failed: $(tail -5 "$WORK/produce.log")"
[[ $produced == "produced $RECORDS" ]] || die "expected 'produced $RECORDS', got '$produced'"

# ---- 2. Receivers.
LIVE_RATE=${E2E_LIVE_RATE:-1000}
LIVE_SECONDS=${E2E_LIVE_SECONDS:-20}
LIVE_RECORDS=$(python3 -c "import sys; print(int(float(sys.argv[1]) * float(sys.argv[2])))" "$LIVE_RATE" "$LIVE_SECONDS")
LIVE_SINCE=$(date +%s)  # the backlog's alerts are from 2024: only live ones are counted

# start_receiver NAME: starts a counting receiver; sets RECV_PORT, status in $WORK/NAME.count,
# latency samples of live alerts in $WORK/NAME.count.latency.
start_receiver() {
  python3 "$HERE/count_receiver.py" --latency "$LIVE_SINCE" "$WORK/$1.count" \
    >"$WORK/$1.recv.out" 2>"$WORK/$1.recv.log" &
  PIDS+=($!)
  RECV_PORT=$(first_line "$WORK/$1.recv.out" port)
}

# live_phase NAME PID START EXPECTED_BEFORE: produces the live alerts at LIVE_RATE while
# the connector runs, waits for them at the receiver, and writes $WORK/NAME-live.result
# (latency percentiles).
live_phase() {
  local name=$1 pid=$2 start=$3
  LIVE_EXPECTED=$(($4 + LIVE_RECORDS))
  ((LIVE_RECORDS > 0)) || { echo "samples=0" >"$WORK/$name-live.result"; return; }
  log "$name: live phase, $LIVE_RATE alerts/s for $LIVE_SECONDS s"
  LIVE_START=$(date +%s.%N)
  python3 "$HERE/gen_alerts.py" --live "$LIVE_RECORDS" --seed 7 - |
    "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic e2e --round-robin --rate "$LIVE_RATE" \
      --stamp @SENT@ - >/dev/null 2>"$WORK/live-produce.log" ||
    die "live produce failed: $(tail -5 "$WORK/live-produce.log")"
  ln -sf "$name.count" "$WORK/$name-live.count"
  ln -sf "$name.log" "$WORK/$name-live.log"
  live_expected() { echo "$LIVE_EXPECTED"; }
  measure "$name-live" "$pid" "$start" live_expected
  percentiles "$WORK/$name.count.latency" "$LIVE_START" >>"$WORK/$name-live.result"
  log "$name latency: $(grep -E '^(samples|p50|p95|p99|max)=' "$WORK/$name-live.result" | tr '\n' ' ')"
}

# ---- 3. Run A: secfeed.
start_receiver secfeed
cat >"$WORK/secfeed.yaml" <<YAML
state_dir: $WORK/secfeed-state
metrics: {listen: "127.0.0.1:0"}
log: {level: info}
dead_letter: {path: $WORK/secfeed-dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["$BOOTSTRAP"]}
    topic: e2e
    consumer_group: e2e-secfeed-$$-$RANDOM
    start_from: earliest
    properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "500"${E2E_SECFEED_PROPERTIES:+, $E2E_SECFEED_PROPERTIES}}
sinks:
  - name: siem
    type: syslog
    url: tcp://127.0.0.1:$RECV_PORT
    format: cef
    framing: lf
YAML
secfeed_expected() {
  local rejected=0
  [[ -f $WORK/secfeed-dead.jsonl ]] && rejected=$(wc -l <"$WORK/secfeed-dead.jsonl")
  echo $((RECORDS - rejected))
}
log "run A: secfeed"
start=$(date +%s.%N)
"$SECFEED" run -c "$WORK/secfeed.yaml" --status-interval 1 >"$WORK/secfeed.log" 2>&1 &
SECFEED_PID=$!
PIDS+=("$SECFEED_PID")
measure secfeed "$SECFEED_PID" "$start" secfeed_expected
REJECTED=$((RECORDS - $(secfeed_expected)))
live_phase secfeed "$SECFEED_PID" "$start" "$(secfeed_expected)"
kill -TERM "$SECFEED_PID" 2>/dev/null || true

# ---- 4. Run B: rsyslog with imkafka.
start_receiver rsyslog
mkdir -p "$WORK/rsyslog-work"
# A CEF line from the parsed alert's fields, comparable to secfeed's (not identical: no
# CEF escaping, fewer extensions).
cat >"$WORK/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog-work" maxMessageSize="64k")
module(load="imkafka")
module(load="mmjsonparse")
template(name="cef" type="string" string="<%pri%>%timegenerated:::date-rfc3339% e2e-bench CEF:0|Microsoft|%\$!ProductName%|1.0|%\$!AlertType%|%\$!AlertDisplayName%|%\$!Severity%|rt=%\$!TimeGenerated% start=%\$!StartTimeUtc% end=%\$!EndTimeUtc% externalId=%\$!SystemAlertId% dhost=%\$!CompromisedEntity% cs1Label=Intent cs1=%\$!Intent% cs2Label=Status cs2=%\$!Status% cs3Label=ResourceId cs3=%\$!AzureResourceId% cs4Label=AlertUri cs4=%\$!AlertUri% msg=%\$!Description%\n")
ruleset(name="kafka") {
  action(type="mmjsonparse" cookie="" useRawMsg="on")
  action(type="omfwd" target="127.0.0.1" port="$RECV_PORT" protocol="tcp" template="cef")
}
input(type="imkafka" broker=["$BOOTSTRAP"] topic="e2e" consumergroup="e2e-rsyslog-$$-$RANDOM"
      ruleset="kafka" confParam=["session.timeout.ms=6000", "heartbeat.interval.ms=500",
                                 "auto.offset.reset=earliest"])
CONF
"$RSYSLOGD" -N1 -f "$WORK/rsyslog.conf" >"$WORK/rsyslog-check.log" 2>&1 ||
  die "rsyslog rejects the config: $(cat "$WORK/rsyslog-check.log")"
log "run B: rsyslog"
start=$(date +%s.%N)
"$RSYSLOGD" -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.log" 2>&1 &
RSYSLOG_PID=$!
PIDS+=("$RSYSLOG_PID")
rsyslog_expected() { echo $((RECORDS + LIVE_RECORDS)); }  # secfeed's live alerts are backlog here
measure rsyslog "$RSYSLOG_PID" "$start" rsyslog_expected
live_phase rsyslog "$RSYSLOG_PID" "$start" "$((RECORDS + LIVE_RECORDS))"
kill -TERM "$RSYSLOG_PID" 2>/dev/null || true

# ---- 5. Report.
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print('%.2f' % (a / b) if b else 'n/a')" "$1" "$2"; }
row() {
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s / %s / %s |\n' "$1" "$(result "$1" eps)" \
    "$(result "$1" cpu_per_100k)" "$(result "$1" rss_mb)" "$(result "$1" drain_s)" \
    "$(result "$1" startup_s)" "$(result "$1" events)" "$(result "$1-live" p50)" \
    "$(result "$1-live" p95)" "$(result "$1-live" p99)" "$(result "$1-live" max)"
}
{
  echo
  echo "### $(date -u +%Y-%m-%dT%H:%M:%SZ): $RECORDS alerts ($((BYTES / RECORDS)) B average, $PARTITIONS partitions)"
  echo
  machine_line
  echo
  echo "| connector | events/s | CPU s per 100k events | peak RSS MB | drain s | startup s | events delivered | live latency p50 / p95 / p99 / max s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  row secfeed
  row rsyslog
  echo "| secfeed ÷ rsyslog | $(ratio "$(result secfeed eps)" "$(result rsyslog eps)") | $(ratio "$(result secfeed cpu_per_100k)" "$(result rsyslog cpu_per_100k)") | $(ratio "$(result secfeed rss_mb)" "$(result rsyslog rss_mb)") | | | | |"
  echo
  echo "events/s: events ÷ time between the first and the last event at the receiver (drain);"
  echo "startup: process start to first event (consumer-group join). CPU: utime+stime of the"
  echo "connector process at the last event. secfeed rejected (dead-lettered) $REJECTED records."
  echo "The backlog's figures exclude the live phase. Live latency: $LIVE_RATE alerts/s for"
  echo "$LIVE_SECONDS s after the backlog, arrival at the receiver - production time (CEF rt=)."
  echo "Semantics differ: rsyslog's imkafka commits offsets independently of delivery"
  echo "(auto-commit), secfeed commits only offsets whose events the sink has delivered."
} | tee -a "$RESULTS"
log "appended to $RESULTS"
