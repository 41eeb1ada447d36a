#!/usr/bin/env bash
# Bounded memory with a sink down for the whole test: the eventhub source keeps
# producing (test broker, a producer in the background) while the only sink, syslog TCP
# to a port where nothing listens, has a memory queue of MAX_EVENTS. Every second: the
# RSS of secfeed and the sink's queue depth gauge (printed). Asserts: max RSS <= 300 MB,
# the RSS does not keep growing in the second half (its last samples are no higher than
# the first half's peak plus 16 MB of slack for allocator noise), the queue filled up
# and never went beyond queue.max_events, nothing was delivered or dead-lettered, and the
# source committed no offset (the sink never acked anything); SIGTERM then ends the
# process within its drain timeout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"

MAX_EVENTS=500
SAMPLES=20
start_broker --brokers 1 --topic mdc:4
PORT=$(free_port)  # nothing listens there
python3 "$GEN" --messages 6000 --id-prefix m "$WORK/m.ndjson" >"$WORK/m.truth"
{
  yaml_header run
  echo "sources:"
  yaml_eventhub_source mdc g-mem
  echo "sinks:"
  yaml_syslog_sink "$PORT" "    queue: {max_events: $MAX_EVENTS}"
} >"$WORK/run.yaml"
secfeed_validate run
secfeed_start run --shutdown-timeout 5
wait_for 30 "metrics" metrics_ready run
timeout 150 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic mdc --round-robin --rate 400 \
  "$WORK/m.ndjson" >"$WORK/produce.txt" 2>&1 &
EXTRA_PIDS+=("$!")

rss=() depth=()
for ((i = 0; i < SAMPLES; i++)); do
  sleep 1
  secfeed_alive run || fail "secfeed exited while its sink was down"
  rss+=("$(rss_kib "$PID_run")")
  depth+=("$(metric run "secfeed_sink_queue_depth{sink=\"siem\"}")")
  echo "t=$((i + 1))s rss=$((rss[i] / 1024)) MiB queue_depth=${depth[i]}"
done
grep -qi "connection refused" "$WORK/run.log" || fail "the syslog sink never tried its port"

half=$((SAMPLES / 2))
max_rss=0 first_half_peak=0 max_depth=0
for ((i = 0; i < SAMPLES; i++)); do
  ((rss[i] > max_rss)) && max_rss=${rss[i]}
  ((i < half && rss[i] > first_half_peak)) && first_half_peak=${rss[i]}
  ((depth[i] > max_depth)) && max_depth=${depth[i]}
done
last_quarter_peak=0
for ((i = SAMPLES * 3 / 4; i < SAMPLES; i++)); do
  ((rss[i] > last_quarter_peak)) && last_quarter_peak=${rss[i]}
done
echo "max RSS $((max_rss / 1024)) MiB; first half peak $((first_half_peak / 1024)) MiB;" \
  "last quarter peak $((last_quarter_peak / 1024)) MiB; max queue depth $max_depth"
((max_rss <= 300 * 1024)) || fail "RSS reached $((max_rss / 1024)) MiB (bound 300 MiB)"
((last_quarter_peak <= first_half_peak + 16 * 1024)) ||
  fail "RSS keeps growing: $((first_half_peak / 1024)) MiB in the first half, $((last_quarter_peak / 1024)) MiB at the end"
((max_depth <= MAX_EVENTS)) || fail "queue depth $max_depth beyond queue.max_events $MAX_EVENTS"
((max_depth >= MAX_EVENTS / 2)) || fail "the queue never filled up (max depth $max_depth): was the source producing?"
expect_eq "events delivered by the dead sink" 0 "$(metric run 'secfeed_sink_events_delivered_total{sink="siem"}')"
expect_eq "events dead-lettered" 0 "$(metric run secfeed_dead_letters_total)"
expect_eq "offsets committed past undelivered events" 0 \
  "$(metric run 'secfeed_eventhub_commits_total{source="mdc"}')"
# SIGTERM with the sink still down: the drain gives up after --shutdown-timeout (5 s),
# and the process must then exit (the undelivered events are re-read on the next start).
kill -TERM "$PID_run"
timeout 20 tail --pid="$PID_run" -f /dev/null ||
  fail "secfeed still running 20 s after SIGTERM (drain timeout 5 s): $(grep -c 'drain timed out' "$WORK/run.log") drain timeouts logged, last line: $(grep -v ' status' "$WORK/run.log" | tail -n 1)"
status=0
wait "$PID_run" || status=$?
expect_eq "exit status after an incomplete drain" 0 "$status"
grep -q "stopped (drain incomplete)" "$WORK/run.log" || fail "no 'drain incomplete' line"
echo "PASS"
