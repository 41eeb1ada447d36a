#!/usr/bin/env bash
# The metrics endpoint of a running daemon, end to end:
# test broker -> secfeed run (eventhub source) -> file sink, with metrics.listen on
# port 0 (the real port is read from the "metrics: listening on" log line):
#   1. /metrics: exact counter values equal the generator's ground truth (messages,
#      records, events, poison records, delivered events and bytes); consumer lag 0 on
#      every partition after the drain; content type;
#      /healthz; /readyz JSON with every component ready; 404 elsewhere;
#   2. a syslog sink whose receiver is down: /readyz answers 503 naming that sink,
#      its retry counter grows, and the file sink stays ready.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

start_broker --brokers 1 --topic m1:2 --topic m2:1

write_config() {  # NAME TOPIC [EXTRA SINK YAML]
  cat >"$WORK/$1.yaml" <<YAML
state_dir: $WORK/state-$1
log: {level: info}
metrics: {listen: "127.0.0.1:0"}
dead_letter: {path: $WORK/$1-dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["$BOOTSTRAP"]}
    topic: $2
    consumer_group: g-$1
    commit_interval: 200ms
sinks:
  - name: out
    type: file
    path: $WORK/$1.jsonl
    format: json
${3:-}
YAML
}

start_secfeed() {  # NAME: sets PID_<NAME> and URL_<NAME> (the metrics base URL)
  "$SECFEED_BINARY" run -c "$WORK/$1.yaml" --status-interval 1 --shutdown-timeout 3 \
    >"$WORK/$1.log" 2>&1 &
  local pid=$!
  EXTRA_PIDS+=("$pid")
  printf -v "PID_$1" '%s' "$pid"
  wait_for 30 "the metrics listening line" grep -q "metrics: listening on http://" "$WORK/$1.log"
  local url
  url=$(sed -n 's|.*metrics: listening on \(http://127\.0\.0\.1:[0-9]*\) .*|\1|p' "$WORK/$1.log")
  [[ $url =~ ^http://127\.0\.0\.1:[1-9][0-9]*$ ]] || fail "no metrics URL in the log: '$url'"
  printf -v "URL_$1" '%s' "$url"
}

stop_secfeed() {  # NAME
  local pid_var="PID_$1" status=0
  kill -TERM "${!pid_var}"
  timeout 60 tail --pid="${!pid_var}" -f /dev/null || fail "$1 did not stop"
  wait "${!pid_var}" || status=$?
  expect_eq "$1 exit status after SIGTERM" 0 "$status"
}


scrape() { curl -sS --max-time 10 "$1/metrics"; }
# metric BASE_URL 'NAME{LABELS}': the sample's value ("" when absent).
metric() { scrape "$1" | awk -v name="$2" '$1 == name { print $2 }'; }
metric_is() { [[ $(metric "$1" "$2") == "$3" ]]; }

# ---- 1. Exact counters after a known stream.
python3 "$GEN" --messages 300 --poison-every 30 --id-prefix m "$WORK/m.ndjson" >"$WORK/m.truth"
messages=$(truth "$WORK/m.truth" messages)
records=$(truth "$WORK/m.truth" records)
events=$(truth "$WORK/m.truth" events)
poison=$(truth "$WORK/m.truth" poison_records)
((poison > 0)) || fail "the generator made no poison records"
produce m1 "$WORK/m.ndjson"
write_config one m1
start_secfeed one
wait_for 90 "$events events in the file sink" has_lines "$events" "$WORK/one.jsonl"
wait_for 30 "the delivered counter" metric_is "$URL_one" 'secfeed_sink_events_delivered_total{sink="out"}' "$events"
sleep 1  # anything beyond the expected counts would show up now
# Consumer lag (refreshed once a second from the cached watermarks): drained, so 0 on
# each of m1's two partitions, and no series for anything else.
lag() { metric "$URL_one" "secfeed_eventhub_consumer_lag{source=\"mdc\",topic=\"m1\",partition=\"$1\"}"; }
wait_for 15 "consumer lag 0 on partitions 0 and 1" eval '[[ $(lag 0) == 0 && $(lag 1) == 0 ]]'
expect_eq "consumer lag series" 2 "$(scrape "$URL_one" | grep -c '^secfeed_eventhub_consumer_lag{')"

expect_eq "messages consumed" "$messages" "$(metric "$URL_one" 'secfeed_eventhub_messages_total{source="mdc"}')"
# The source counts the records it could read out of a message: the wrong-type poison
# records are records, the invalid-JSON poison messages are not.
wrong_type=$(grep -c '"id": 12345' "$WORK/m.ndjson")
expect_eq "records consumed" $((records + wrong_type)) "$(metric "$URL_one" 'secfeed_eventhub_records_total{source="mdc"}')"
expect_eq "events normalized (source)" "$events" "$(metric "$URL_one" 'secfeed_eventhub_events_total{source="mdc"}')"
expect_eq "events into the pipeline" "$events" "$(metric "$URL_one" secfeed_pipeline_events_total)"
expect_eq "records rejected (source)" "$poison" "$(metric "$URL_one" 'secfeed_eventhub_records_rejected_total{source="mdc"}')"
expect_eq "dead letters written" "$poison" "$(metric "$URL_one" secfeed_dead_letters_total)"
expect_eq "dead-letter write errors" 0 "$(metric "$URL_one" secfeed_dead_letter_write_errors_total)"
expect_eq "events queued for the sink" "$events" "$(metric "$URL_one" 'secfeed_sink_events_queued_total{sink="out"}')"
expect_eq "events delivered" "$events" "$(metric "$URL_one" 'secfeed_sink_events_delivered_total{sink="out"}')"
expect_eq "bytes delivered (file size minus newlines)" \
  $(($(wc -c <"$WORK/one.jsonl") - events)) "$(metric "$URL_one" 'secfeed_sink_delivered_bytes_total{sink="out"}')"
expect_eq "sink queue depth" 0 "$(metric "$URL_one" 'secfeed_sink_queue_depth{sink="out"}')"
expect_eq "sink retries" 0 "$(metric "$URL_one" 'secfeed_sink_retries_total{sink="out"}')"
expect_eq "sink dead-lettered" 0 "$(metric "$URL_one" 'secfeed_sink_events_dead_lettered_total{sink="out"}')"
expect_eq "build info" 1 "$(metric "$URL_one" "secfeed_build_info{version=\"$("$SECFEED_BINARY" version | awk '{print $NF}')\"}")"
rss=$(metric "$URL_one" secfeed_process_resident_memory_bytes)
((rss > 1000000)) || fail "resident memory looks wrong: $rss"
start_time=$(metric "$URL_one" secfeed_process_start_time_seconds)
python3 -c "import sys,time; t=float(sys.argv[1]); sys.exit(0 if time.time()-600 < t <= time.time() else 1)" \
  "$start_time" || fail "start time looks wrong: $start_time"
scrape "$URL_one" >"$WORK/metrics.txt"
grep -q '^# TYPE secfeed_process_cpu_seconds_total counter$' "$WORK/metrics.txt" || fail "no cpu counter"
# Every sample line is NAME[{LABELS}] VALUE and every family has HELP and TYPE.
python3 -c '
import re, sys
helps, types, names = set(), set(), set()
for line in sys.stdin.read().splitlines():
    if line.startswith("# HELP "): helps.add(line.split()[2]); continue
    if line.startswith("# TYPE "): types.add(line.split()[2]); continue
    m = re.fullmatch(r"([a-z_:][a-z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+]+|NaN|[+-]Inf)", line)
    if not m: sys.exit("bad sample line: " + line)
    names.add(m.group(1))
missing = names - (helps & types)
if missing: sys.exit("families without HELP/TYPE: %s" % sorted(missing))
' <"$WORK/metrics.txt" || fail "the exposition text is malformed"
echo "ok: exposition format"

expect_eq "content type of /metrics" "text/plain; version=0.0.4" \
  "$(curl -sS --max-time 10 -o /dev/null -w '%{content_type}' "$URL_one/metrics")"
expect_eq "/healthz body and status" "ok 200" \
  "$(curl -sS --max-time 10 -w ' %{http_code}' "$URL_one/healthz" | tr -d '\n')"
expect_eq "/readyz status" 200 "$(curl -sS --max-time 10 -o "$WORK/ready.json" -w '%{http_code}' "$URL_one/readyz")"
expect_eq "/readyz components" \
  "true process/secfeed=True:running sink/out=True:delivered $events source/mdc=True:running" \
  "$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(str(d["ready"]).lower(), " ".join("%s/%s=%s:%s" % (c["kind"], c["name"], c["ready"], c["detail"])
      for c in d["components"]))' "$WORK/ready.json")"
expect_eq "unknown path" 404 "$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$URL_one/admin")"
expect_eq "POST /metrics" 405 "$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X POST "$URL_one/metrics")"
stop_secfeed one
expect_eq "lines in the file sink" "$events" "$(lines "$WORK/one.jsonl")"
expect_eq "dead-letter lines" "$poison" "$(lines "$WORK/one-dead.jsonl")"

# ---- 2. A sink that cannot deliver makes the daemon not ready.
CLOSED_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$GEN" --messages 20 --id-prefix n "$WORK/n.ndjson" >"$WORK/n.truth"
produce m2 "$WORK/n.ndjson"
write_config two m2 "  - name: siem
    type: syslog
    url: tcp://127.0.0.1:$CLOSED_PORT
    format: cef
    retry: {initial: 100ms, max: 500ms}"
start_secfeed two
readyz_status() { curl -sS --max-time 10 -o "$WORK/ready2.json" -w '%{http_code}' "$URL_two/readyz"; }
wait_for 60 "/readyz to report 503" eval '[[ $(readyz_status) == 503 ]]'
expect_eq "not-ready component" "false sink/siem=False" "$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(str(d["ready"]).lower(), " ".join("%s/%s=%s" % (c["kind"], c["name"], c["ready"])
      for c in d["components"] if not c["ready"]))' "$WORK/ready2.json")"
grep -q '"name":"siem","tenant":"","ready":false,"detail":"[0-9]* failed delivery attempts since the last delivery' \
  "$WORK/ready2.json" || fail "the detail does not say why: $(cat "$WORK/ready2.json")"
grep -q '"name":"out","tenant":"","ready":true' "$WORK/ready2.json" || fail "the file sink is not ready"
retries=$(metric "$URL_two" 'secfeed_sink_retries_total{sink="siem"}')
((retries >= 1)) || fail "no retries counted: $retries"
expect_eq "/healthz while not ready" 200 "$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$URL_two/healthz")"
# The syslog sink never delivers: the drain times out (--shutdown-timeout 3); exit 0.
stop_secfeed two

# ---- 3. A kafka sink whose Entra ID token cannot be had (wrong client secret) is not
# ready either, although no delivery attempt fails (librdkafka holds its messages).
start_emulator --tenants 1
write_config three m2 "  - name: bus
    type: kafka
    oauth: {tenant: $(emulator_tenant 1), namespace: graph-hub.localhost}
    topic: out
    filter: {sources: [none]}  # nothing to deliver: the drain stays clean"
cat >>"$WORK/three.yaml" <<YAML
tls: {ca_file: $TEST_CA_DIR/ca.pem}
tenants:
  - id: $(emulator_tenant 1)
    client_id: $EMULATOR_CLIENT_ID
    client_secret_file: $WORK/wrong-secret
    login_url: $EMULATOR_URL
YAML
sed -i 's/^  - name: mdc$/  - name: none\n    enabled: false\n    type: eventhub\n    kafka: {bootstrap_servers: ["127.0.0.1:1"]}\n    topic: x\n  - name: mdc/' "$WORK/three.yaml"
(umask 077 && echo "not-the-secret" >"$WORK/wrong-secret")
start_secfeed three
readyz_three() { curl -sS --max-time 10 -o "$WORK/ready3.json" -w '%{http_code}' "$URL_three/readyz"; }
wait_for 60 "/readyz to report 503 for the kafka sink" eval '[[ $(readyz_three) == 503 ]]'
grep -q '"name":"bus","tenant":"","ready":false,"detail":"no Microsoft Entra ID token for the Kafka connection (see the log)"' \
  "$WORK/ready3.json" || fail "the kafka sink's detail does not say why: $(cat "$WORK/ready3.json")"
failures=$(metric "$URL_three" 'secfeed_kafka_sink_token_failures_total{sink="bus"}')
((failures >= 1)) || fail "no token failures counted: $failures"
grep -q "WARN  kafka: bus: cannot get an Entra ID token: .*AADSTS7000215" "$WORK/three.log" ||
  fail "no log line with the reason"
echo "ok: a kafka sink without a token: /readyz 503 with the reason, $failures failures counted"
stop_secfeed three
echo "PASS"
