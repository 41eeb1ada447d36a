#!/usr/bin/env bash
# Sink outages, one after another, while the eventhub source keeps streaming (test
# broker -> secfeed -> syslog TCP to a real rsyslogd with a disk buffer, kafka sink to a
# second test broker, log_analytics to the emulator, file sink = what passed the
# pipeline):
#   1. rsyslog stopped for OUTAGE seconds: the syslog sink buffers on disk, and the
#      other sinks keep flowing (their delivered counters grow during the outage);
#   2. the kafka sink's broker down for 10 s;
#   3. Logs Ingestion answering 503, then 429 with Retry-After;
# and at the end every event is in every sink (zero loss), nothing else; duplicates
# printed (the syslog sink resends what was written to a dying connection).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools "$PRODUCE" "$COUNT" "$SECFEED_BINARY" "$RSYSLOGD"

OUTAGE=${SECFEED_FAULT_SYSLOG_OUTAGE:-30}  # 30 s, as the reliability issue asks
start_broker --brokers 1 --topic mdc:4
sink_broker_start --brokers 1 --topic out:4
start_emulator --tenants 1 --streams "$SECFEED_SOURCE_DIR/schemas/sentinel" \
  --ingested "$WORK/ingested.ndjson"
touch "$WORK/ingested.ndjson"
PORT=$(free_port)
rsyslog_start siem "$PORT" "$WORK/syslog.received"
{
  yaml_header run
  echo "sources:"
  yaml_eventhub_source mdc g-outages
  echo "sinks:"
  yaml_syslog_sink "$PORT" "    buffer: {type: disk, max_size: 256MiB, when_full: block}"
  yaml_kafka_sink out "$SINK_BOOTSTRAP"
  yaml_log_analytics_sink
  yaml_file_sink run
} >"$WORK/run.yaml"
secfeed_validate run
secfeed_start run
wait_for 30 "metrics" metrics_ready run

events=0
# stream NAME MESSAGES RATE: generates and produces in the background at RATE msg/s.
stream() {
  python3 "$GEN" --messages "$2" --seed "${#1}" --id-prefix "$1" "$WORK/$1.ndjson" >"$WORK/$1.truth"
  events=$((events + $(truth "$WORK/$1.truth" events)))
  timeout 150 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic mdc --round-robin --rate "$3" \
    "$WORK/$1.ndjson" >"$WORK/produce-$1.txt" 2>&1 &
  PRODUCER=$!
  EXTRA_PIDS+=("$PRODUCER")
}
stream_done() { wait "$PRODUCER" || fail "producer: $(cat "$WORK/produce-$1.txt")"; }
delivered() { metric run "secfeed_sink_events_delivered_total{sink=\"$1\"}"; }
all_delivered() {  # every event so far in the file sink and every other sink
  source_complete "$WORK/run.out" mdc "$events" &&
    sink_has_all "$WORK/run.out" syslog "$WORK/syslog.received" &&
    sink_has_all "$WORK/run.out" la "$WORK/ingested.ndjson" &&
    (($(delivered bus) >= $(lines "$WORK/run.out")))
}

# ---- warm-up: everything flows.
stream a 300 0
stream_done a
wait_for 90 "the first $events events everywhere" all_delivered
echo "ok: warm-up, $events events in every sink"

# ---- 1. rsyslog down: the other sinks keep flowing; the syslog sink buffers on disk.
stop_rsyslog siem
stream b $((OUTAGE * 30)) 30
sleep 2
before_file=$(delivered truth) before_bus=$(delivered bus) before_la=$(delivered sentinel)
before_siem=$(delivered siem)
sleep $((OUTAGE - 4))
after_file=$(delivered truth) after_bus=$(delivered bus) after_la=$(delivered sentinel)
echo "during the syslog outage: file $before_file -> $after_file, kafka $before_bus -> $after_bus," \
  "log_analytics $before_la -> $after_la, syslog queued $(metric run 'secfeed_buffer_records{sink="siem"}')"
((after_file > before_file)) || fail "the file sink stalled while syslog was down"
((after_bus > before_bus)) || fail "the kafka sink stalled while syslog was down"
((after_la > before_la)) || fail "the log_analytics sink stalled while syslog was down"
expect_eq "syslog deliveries while rsyslog is down" "$before_siem" "$(delivered siem)"
grep -qi "connection refused" "$WORK/run.log" || fail "the syslog sink never saw rsyslog down"
sleep 2
rsyslog_start siem "$PORT" "$WORK/syslog.received"
stream_done b
wait_for 120 "all $events events everywhere after the syslog outage" all_delivered
echo "ok: rsyslog outage of ${OUTAGE}s: nothing lost"

# ---- 2. the kafka sink's broker down for 10 s.
stream c 300 30
sleep 2
expect_eq "sink broker down" "ok broker all down" "$(sink_broker broker-down all)"
sleep 10
expect_eq "sink broker up" "ok broker all up" "$(sink_broker broker-up all)"
stream_done c
wait_for 120 "all $events events everywhere after the kafka outage" all_delivered
echo "ok: kafka broker outage: nothing lost"

# ---- 3. Logs Ingestion: 503s, then 429s with Retry-After.
emulator_api POST faults '[{"path_prefix": "/dataCollectionRules/", "status": 503, "count": 6},
  {"path_prefix": "/dataCollectionRules/", "status": 429, "retry_after": 1, "count": 4}]' >/dev/null
stream d 300 50
stream_done d
wait_for 120 "all $events events everywhere after the 503s and 429s" all_delivered
expect_eq "faults answered by Logs Ingestion" 10 "$(graph_faults_served)"
grep -q "HTTP 503" "$WORK/run.log" || fail "the 503 was not reported"
grep -q "HTTP 429" "$WORK/run.log" || fail "the 429 was not reported"
sleep 2  # anything beyond would show up now
secfeed_stop run

expect_eq "distinct events in the file sink" "$events" "$(source_distinct "$WORK/run.out" mdc)"
kafka_dump out "$WORK/kafka.received" "$SINK_BOOTSTRAP"
[[ ! -s $WORK/run-dead.jsonl ]] || fail "unexpected dead letters: $(head -c 600 "$WORK/run-dead.jsonl")"
account --truth "$WORK/run.out" --max-duplicates "$events" \
  --sink "file:json:$WORK/run.out" \
  --sink "syslog:syslog:$WORK/syslog.received" \
  --sink "kafka:json:$WORK/kafka.received" \
  --sink "log_analytics:la:$WORK/ingested.ndjson"
account --truth "$WORK/run.out" --max-duplicates 0 --quiet \
  --sink "kafka:json:$WORK/kafka.received" --sink "log_analytics:la:$WORK/ingested.ndjson"
echo "ok: zero loss in every sink; kafka and log_analytics exactly once"
echo "PASS"
