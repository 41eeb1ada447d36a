# shellcheck shell=bash
# Shared by the fault tests (tests/faults/*_test.sh; source it after `set -euo pipefail`):
# the integration helpers (lib/common.sh: work dir, broker, emulator; lib/graph.sh:
# Graph config knobs and ground truth), plus what every fault test needs on top: a real
# rsyslogd, secfeed instances by name (start / SIGTERM / kill -9), config fragments for
# the mixed pipeline (eventhub + Graph sources; syslog, kafka, log_analytics and file
# sinks), /metrics scraping, RSS sampling and the per-sink accounting
# (tests/faults/sink_accounting.py).
FAULTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$FAULTS_DIR/../integration/lib/common.sh"
source "$FAULTS_DIR/../integration/lib/graph.sh"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"
ACCOUNTING="$FAULTS_DIR/sink_accounting.py"
DCR=dcr-5ecfeed0123456789abcdef012345678

# On the way out, secfeed instances go first and by SIGKILL: common.sh's cleanup sends
# SIGTERM and waits, and a secfeed whose sink is down drains for up to 30 s (or, see
# docs/readme/faults.md, hangs after its drain timeout).
SECFEED_PIDS=()
faults_cleanup() {
  local pid
  for pid in "${SECFEED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  cleanup
}
trap faults_cleanup EXIT

# ---- rsyslog: imtcp on PORT -> OUT, one %msg% per line (common.sh runs it).
# rsyslog_start NAME PORT OUT: (re)starts it; sets RSYSLOG_PID_<NAME>.
rsyslog_start() {
  local dir
  dir=$(rsyslog_dir "$1")
  cat >"$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir" maxMessageSize="256k")
module(load="imtcp")
input(type="imtcp" port="$2" address="127.0.0.1")
template(name="msgonly" type="string" string="%msg%\n")
action(type="omfile" file="$3" template="msgonly")
CONF
  start_rsyslog "$1" "$2"
}

# ---- secfeed instances by name: $WORK/NAME.yaml, log $WORK/NAME.log (appended).
secfeed_start() {  # NAME [RUN ARGS...]: sets PID_<NAME>
  "$SECFEED_BINARY" run -c "$WORK/$1.yaml" --status-interval 1 "${@:2}" >>"$WORK/$1.log" 2>&1 &
  local pid=$!
  EXTRA_PIDS+=("$pid")
  SECFEED_PIDS+=("$pid")
  printf -v "PID_$1" '%s' "$pid"
}
secfeed_alive() { local pid_var="PID_$1"; kill -0 "${!pid_var}" 2>/dev/null; }
secfeed_stop() {  # NAME: SIGTERM, expects exit 0 and a clean drain within 60 s
  local pid_var="PID_$1" status=0
  kill -TERM "${!pid_var}" 2>/dev/null || fail "$1 (pid ${!pid_var}) was not running"
  timeout 60 tail --pid="${!pid_var}" -f /dev/null || fail "$1 did not stop within 60 s"
  wait "${!pid_var}" || status=$?
  expect_eq "$1 exit status after SIGTERM" 0 "$status"
}
secfeed_kill9() {  # NAME: no shutdown, no final commit
  local pid_var="PID_$1"
  kill -KILL "${!pid_var}" 2>/dev/null || fail "$1 (pid ${!pid_var}) died before its kill"
  wait "${!pid_var}" 2>/dev/null || true
}
secfeed_validate() {  # NAME
  local out
  out=$("$SECFEED_BINARY" validate -c "$WORK/$1.yaml" 2>&1) || fail "config $1 invalid: $out"
}

# ---- /metrics of the instance's latest run (metrics: {listen: 127.0.0.1:0}).
metrics_url() {  # NAME: the bound URL from the last "metrics: listening on" line
  grep -so 'listening on http://[0-9.:]*' "$WORK/$1.log" | tail -n 1 | sed 's/^listening on //'
}
metrics_ready() { [[ -n $(metrics_url "$1") ]] && curl -sf --max-time 5 "$(metrics_url "$1")/metrics" >/dev/null; }
# metric NAME SERIES: the value of one series (exact name with labels, e.g.
# 'secfeed_sink_queue_depth{sink="siem"}'); sums the series of a bare name; 0 if absent.
metric() {
  curl -sf --max-time 5 "$(metrics_url "$1")/metrics" | python3 -c '
import sys
want, total = sys.argv[1], 0.0
for line in sys.stdin:
    if line.startswith("#") or not line.strip():
        continue
    series, value = line.rsplit(" ", 1)
    if series == want or ("{" not in want and series.split("{")[0] == want):
        total += float(value)
print(int(total) if total == int(total) else total)' "$2"
}

# rss_kib PID: resident set size now.
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---- config fragments (YAML, 2-space indent under sources:/sinks:)
# yaml_header NAME: state, log, metrics on a free port, dead letters, TLS CA and the
# emulator's tenant 1 (when an emulator runs).
yaml_header() {
  echo "state_dir: $WORK/state-$1"
  echo "log: {level: info}"
  echo "metrics: {listen: \"127.0.0.1:0\"}"
  echo "dead_letter: {path: $WORK/$1-dead.jsonl}"
  if [[ -n ${EMULATOR_URL:-} ]]; then
    echo "tls: {ca_file: $TEST_CA_DIR/ca.pem}"
    echo "tenants:"
    echo "  - id: $(emulator_tenant 1)"
    echo "    client_id: $EMULATOR_CLIENT_ID"
    echo "    client_secret_file: $(graph_secret_file default "$EMULATOR_CLIENT_SECRET")"
    echo "    login_url: $EMULATOR_URL"
    echo "    graph_url: $EMULATOR_URL"
  fi
}
yaml_eventhub_source() {  # TOPIC GROUP
  cat <<YAML
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["${BOOTSTRAP//,/\",\"}"]}
    topic: $1
    consumer_group: $2
    commit_interval: 200ms
    properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "500"}
YAML
}
yaml_graph_source() {  # TYPE [PAGE_SIZE]
  cat <<YAML
  - name: $1
    type: $1
    tenants: all
    interval: 1s
    lag: 1s
    overlap: 10s
    initial_lookback: 4h
    timeout: 10s
YAML
  [[ -z ${2:-} ]] || echo "    page_size: $2"
}
yaml_syslog_sink() {  # PORT [EXTRA LINES]: JSON bodies over TCP (octet counting)
  cat <<YAML
  - name: siem
    type: syslog
    url: tcp://127.0.0.1:$1
    format: json
    hostname: secfeed-test
    retry: {initial: 100ms, max: 1s}
YAML
  [[ -z ${2:-} ]] || printf '%s\n' "$2"
}
yaml_kafka_sink() {  # TOPIC [BOOTSTRAP]
  local bootstrap=${2:-$BOOTSTRAP}
  cat <<YAML
  - name: bus
    type: kafka
    bootstrap_servers: ["${bootstrap//,/\",\"}"]
    topic: $1
    key: id
    format: json
YAML
}
yaml_log_analytics_sink() {
  cat <<YAML
  - name: sentinel
    type: log_analytics
    endpoint: $EMULATOR_URL
    dcr_immutable_id: $DCR
    stream_alerts: Custom-SecfeedAlerts_CL
    stream_posture: Custom-SecfeedPosture_CL
    batch: {max_wait: 200ms}
    retry: {initial: 200ms, max: 1s}
YAML
}
yaml_file_sink() {  # NAME: the pipeline's own record of what passed it, $WORK/NAME.out
  cat <<YAML
  - name: truth
    type: file
    path: $WORK/$1.out
    format: json
    batch: {max_wait: 100ms}
YAML
}

# ---- a second test broker for the kafka sink, so its outage leaves the source alone
# (common.sh's start_broker is a coprocess, and bash runs one at a time).
# sink_broker_start ARGS...: sets SINK_BOOTSTRAP; sink_broker COMMAND... prints the reply.
sink_broker_start() {
  mkfifo "$WORK/sink-broker.in" "$WORK/sink-broker.out"
  timeout 900 "$BROKER" "$@" <"$WORK/sink-broker.in" >"$WORK/sink-broker.out" 2>"$WORK/sink-broker.log" &
  EXTRA_PIDS+=("$!")
  exec {TO_SINK_BROKER}>"$WORK/sink-broker.in" {FROM_SINK_BROKER}<"$WORK/sink-broker.out"
  local first_line
  IFS= read -r -t 30 -u "$FROM_SINK_BROKER" first_line || fail "sink broker printed no bootstrap line"
  [[ $first_line == bootstrap=* ]] || fail "unexpected first line: $first_line"
  SINK_BOOTSTRAP=${first_line#bootstrap=}
}
sink_broker() {
  local reply
  printf '%s\n' "$*" >&"$TO_SINK_BROKER"
  IFS= read -r -t 30 -u "$FROM_SINK_BROKER" reply || fail "no reply to '$*'"
  printf '%s\n' "$reply"
}

# ---- accounting
# source_distinct FILE SOURCE: distinct event ids of source SOURCE in a file sink's output.
source_distinct() {
  python3 -c 'import json,sys
print(len({json.loads(l)["id"] for l in open(sys.argv[1]) if json.loads(l).get("source") == sys.argv[2]}))' "$1" "$2" 2>/dev/null || echo 0
}
source_complete() { (($(source_distinct "$1" "$2") >= $3)); }  # FILE SOURCE COUNT
# kafka_dump TOPIC OUT: every payload of TOPIC into OUT (reads to the end of each partition).
kafka_dump() {  # TOPIC OUT [BOOTSTRAP]
  timeout 120 "$COUNT" --bootstrap "${3:-$BOOTSTRAP}" --topic "$1" --eof --idle-timeout 30000 \
    --max-time 110000 --out "$2" >"$WORK/count-$1.txt" 2>&1 || fail "consume-count $1: $(tail -3 "$WORK/count-$1.txt")"
}
# account ARGS...: tests/faults/sink_accounting.py (prints the report; fails on a loss,
# an invented event or more duplicates than allowed).
account() {
  python3 "$ACCOUNTING" "$@" || fail "sink accounting: see the report above"
}
# sink_has_all TRUTH FORMAT PATH: every id of TRUTH (a file sink) is in the sink's output.
sink_has_all() { python3 "$ACCOUNTING" --truth "$1" --sink "x:$2:$3" --quiet --max-duplicates -1 >/dev/null 2>&1; }
