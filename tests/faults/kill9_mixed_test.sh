#!/usr/bin/env bash
# kill -9 during a mixed stream, all three network sinks at once: the eventhub source
# (test broker) and graph_alerts (emulator) feed a syslog TCP sink (real rsyslogd), a
# kafka sink (counted with secfeed-kafka-consume-count), a log_analytics sink (the
# emulator's Logs Ingestion, --ingested) and a file sink (what passed the pipeline).
# ROUNDS times: new records and new alerts arrive, secfeed is killed with SIGKILL at a
# random moment (0.3-2.5 s after its start) and restarted with the same state_dir.
# Finally: the file sink holds every generated record's event and every Graph
# ground-truth version; every other sink holds every one of them (zero loss) and
# nothing else; duplicates are counted, printed and bounded by ROUNDS x one in-flight
# window per sink.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools "$PRODUCE" "$COUNT" "$SECFEED_BINARY" "$RSYSLOGD"

ROUNDS=10
MESSAGES_PER_ROUND=150
ALERTS_PER_ROUND=40
start_broker --brokers 1 --topic mdc:4 --topic out:4
start_emulator --tenants 1 --alerts-per-tenant 300 --history-hours 3 --seed 31 \
  --streams "$SECFEED_SOURCE_DIR/schemas/sentinel" --ingested "$WORK/ingested.ndjson"
touch "$WORK/ingested.ndjson"
PORT=$(free_port)
rsyslog_start siem "$PORT" "$WORK/syslog.received"
{
  yaml_header run
  echo "sources:"
  yaml_eventhub_source mdc g-kill9
  yaml_graph_source graph_alerts 100
  echo "sinks:"
  yaml_syslog_sink "$PORT"
  yaml_kafka_sink out
  yaml_log_analytics_sink
  yaml_file_sink run
} >"$WORK/run.yaml"
secfeed_validate run
# Slow Graph answers: a kill often lands in the middle of a read.
emulator_api POST faults '{"path_prefix": "/v1.0/security/", "delay_ms": 50, "count": -1}' >/dev/null

RANDOM=$$
events=0
for ((round = 1; round <= ROUNDS; round++)); do
  python3 "$GEN" --messages "$MESSAGES_PER_ROUND" --seed "$round" --id-prefix "r$round" \
    "$WORK/r$round.ndjson" >"$WORK/r$round.truth"
  events=$((events + $(truth "$WORK/r$round.truth" events)))
  produce mdc "$WORK/r$round.ndjson"
  # New alerts open their own incidents and nothing is updated: no version is
  # superseded while secfeed is down (see tests/emulators/README.md, ground truth).
  emulator_api POST advance \
    "{\"alerts\": $ALERTS_PER_ROUND, \"visible_after_ms\": 200, \"join_incidents\": false}" >/dev/null
  secfeed_start run
  sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 0.3 + (r % 220) / 100}')"
  secfeed_alive run || fail "secfeed exited on its own before kill $round"
  secfeed_kill9 run
  echo "kill -9 #$round: file=$(lines "$WORK/run.out") syslog=$(lines "$WORK/syslog.received")" \
    "log_analytics=$(lines "$WORK/ingested.ndjson")"
done
emulator_api DELETE faults >/dev/null
secfeed_start run

# The pipeline's own record first: every generated event and every Graph version.
wait_for 120 "all $events eventhub events in the file sink" source_complete "$WORK/run.out" mdc "$events"
GRAPH_SOURCES=(graph_alerts)
GRAPH_PID=$PID_run
graph_wait_complete run 120
wait_for 120 "every event at rsyslog" sink_has_all "$WORK/run.out" syslog "$WORK/syslog.received"
wait_for 120 "every event in Logs Ingestion" sink_has_all "$WORK/run.out" la "$WORK/ingested.ndjson"
sleep 2  # anything beyond would show up now
secfeed_stop run

expect_eq "distinct eventhub events in the file sink" "$events" "$(source_distinct "$WORK/run.out" mdc)"
# In flight at a kill: what the eventhub source read but had not committed (commit
# every 200 ms, at most a round's records) plus one Graph page.
bound=$((ROUNDS * (MESSAGES_PER_ROUND * 3 + 100)))
graph_expect_exact run graph_alerts --max-duplicates "$bound"
kafka_dump out "$WORK/kafka.received"
account --truth "$WORK/run.out" --max-duplicates "$bound" \
  --sink "file:json:$WORK/run.out" \
  --sink "syslog:syslog:$WORK/syslog.received" \
  --sink "kafka:json:$WORK/kafka.received" \
  --sink "log_analytics:la:$WORK/ingested.ndjson"
echo "ok: zero loss in every sink after $ROUNDS kill -9 rounds (duplicates bound: $bound per sink)"
echo "PASS"
