#!/usr/bin/env bash
# End-to-end benchmarks of the Graph side, against tests/emulators (secfeed-emulator: Graph
# security API, Entra token endpoint, Logs Ingestion API) on 127.0.0.1. Not part of ctest.
#
# Usage: tests/bench/run-e2e-graph.sh kafka|sentinel|steady
#
#   kafka     graph_alerts (alerts_v2) of E2E_TENANTS tenants x E2E_ALERTS_PER_TENANT alerts
#             (default 100 x 10,000) -> kafka sink (JSON) -> the mock Kafka cluster; counted
#             by secfeed-kafka-consume-count (payloads through a FIFO into
#             tests/bench/e2e/line_receiver.py, which timestamps them on arrival).
#   sentinel  the same source -> log_analytics sink -> the emulator's Logs Ingestion API;
#             counted from the rows the emulator accepted (its --ingested file, cross-checked
#             with GET /_emulator/ingested).
#   Both: a backfill (the history is there before secfeed starts: events/s between the
#   first and the last delivery, CPU seconds per 100k events, peak RSS; latency would be
#   backlog wait, so none), then a live phase: E2E_LIVE_SECONDS (default 30) of
#   POST /_emulator/advance every second, E2E_LIVE_PER_TENANT (default 1) new alert(s) per
#   tenant per second, visible at once; latency = arrival at the receiver - the alert's
#   createdDateTime at the emulator (the event's created_time / CreatedTime; same clock).
#   It includes the source's lag and interval (E2E_LAG default 1s, E2E_INTERVAL 1s).
#
#   steady    E2E_STEADY_TENANTS (default 1,000) tenants, graph_alerts + graph_incidents +
#             secure_score each every 60 s (E2E_STEADY_INTERVAL), every Graph response delayed
#             by E2E_STEADY_LATENCY_MS (default 100) through an emulator fault; the first
#             poll cycle (backfill) is a warm-up, then E2E_STEADY_SECONDS (default 360) are
#             measured by tests/bench/e2e/steady_probe.py: CPU % of one core, RSS at the
#             end and peak, poll lateness (secfeed_graph_poll_start_delay_seconds).
#             E2E_STEADY_HTTP_CONNECTIONS sets http.max_connections_per_host (default:
#             secfeed's own default; 4 reproduces the connection-bound runs before it).
#
# Other knobs: E2E_BUILD_DIR, E2E_TIMEOUT, E2E_KEEP_WORK (tests/bench/e2e/lib.sh),
# E2E_HISTORY_HOURS (history spread, default 24), E2E_SEED (default 1).
# Results: a markdown table on stdout, appended to build/bench/e2e-results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/e2e/lib.sh
MODE=${1:-}
case $MODE in
  kafka | sentinel | steady) ;;
  *) echo "usage: $0 kafka|sentinel|steady" >&2; exit 2 ;;
esac

e2e_build secfeed secfeed-emulator secfeed-kafka-broker secfeed-kafka-consume-count
SECFEED=$ROOT/$BUILD/secfeed
EMULATOR=$ROOT/$BUILD/bin/secfeed-emulator
BROKER=$ROOT/$BUILD/bin/secfeed-kafka-broker
CONSUME=$ROOT/$BUILD/bin/secfeed-kafka-consume-count
CLIENT_ID=5ec0feed-0000-4000-8000-00000000c11e
tenant_id() { printf '00000000-0000-4000-8000-%012d' "$1"; }

# ---- The emulator.
CA=$WORK/ca
mkdir -p "$CA"
tests/emulators/make-test-ca.sh "$CA" >/dev/null
# start_emulator ARGS...: sets EMULATOR_URL; generating a large history takes a while.
start_emulator() {
  "$EMULATOR" --listen 127.0.0.1:0 --cert "$CA/server.pem" --key "$CA/server.key" "$@" \
    >"$WORK/emulator.out" 2>"$WORK/emulator.log" </dev/null &
  PIDS+=($!)
  EMULATOR_URL=$(first_line "$WORK/emulator.out" listening 600)
}
emulator_api() {  # METHOD PATH [JSON]
  local args=(-sS --max-time 60 --cacert "$CA/ca.pem" -X "$1")
  [[ -z ${3:-} ]] || args+=(-H 'Content-Type: application/json' -d "$3")
  curl "${args[@]}" "$EMULATOR_URL/_emulator/$2"
}

# write_config FILE TENANTS SOURCES_YAML SINK_YAML: secfeed's config for tenants 1..TENANTS.
write_config() {
  local file=$1 tenants=$2 i
  (umask 077 && printf '%s\n' secfeed-test-secret >"$WORK/secret")
  {
    echo "state_dir: $WORK/state"
    echo "log: {level: info}"
    echo "metrics: {enabled: true, listen: \"127.0.0.1:$METRICS_PORT\"}"
    echo "dead_letter: {path: $WORK/dead.jsonl}"
    echo "tls: {ca_file: $CA/ca.pem}"
    [[ -z $HTTP_YAML ]] || echo "$HTTP_YAML"
    echo "tenants:"
    for ((i = 1; i <= tenants; i++)); do
      echo "  - {id: $(tenant_id "$i"), client_id: $CLIENT_ID, client_secret_file: $WORK/secret, login_url: \"$EMULATOR_URL\", graph_url: \"$EMULATOR_URL\"}"
    done
    echo "sources:"
    printf '%s\n' "$3"
    echo "sinks:"
    printf '%s\n' "$4"
  } >"$file"
  local out
  out=$("$SECFEED" validate -c "$file" 2>&1) || die "config invalid: $out"
}
METRICS_PORT=$(free_port)
HTTP_YAML=""  # an optional `http:` line of secfeed's config
dead_letters() { if [[ -f $WORK/dead.jsonl ]]; then wc -l <"$WORK/dead.jsonl"; else echo 0; fi; }
start_secfeed() {
  START_EPOCH=$(date +%s.%N)
  "$SECFEED" run -c "$WORK/secfeed.yaml" --status-interval 10 >"$WORK/secfeed.log" 2>&1 &
  SECFEED_PID=$!
  PIDS+=("$SECFEED_PID")
}

# ======================================================================= kafka | sentinel
run_flow() {
  local tenants=${E2E_TENANTS:-100} per_tenant=${E2E_ALERTS_PER_TENANT:-10000}
  local hours=${E2E_HISTORY_HOURS:-24} lag=${E2E_LAG:-1s} interval=${E2E_INTERVAL:-1s}
  local live_seconds=${E2E_LIVE_SECONDS:-30} live_per_tenant=${E2E_LIVE_PER_TENANT:-1}
  local receiver_input time_field sink_yaml emulator_args=()
  ((tenants <= 999999)) || die "E2E_TENANTS too large"
  [[ $MODE == sentinel ]] &&
    emulator_args=(--streams "$ROOT/schemas/sentinel" --ingested "$WORK/ingested.ndjson")
  log "emulator: $tenants tenants x $per_tenant alerts over ${hours}h"
  start_emulator --tenants "$tenants" --alerts-per-tenant "$per_tenant" \
    --history-hours "$hours" --seed "${E2E_SEED:-1}" "${emulator_args[@]}"
  # The ground truth: every alert's current version, once.
  TRUTH=$(emulator_api GET 'ground-truth?kind=alerts' |
    python3 -c 'import json,sys; print(sum(t["version_count"] for t in json.load(sys.stdin)["tenants"]))')
  log "emulator at $EMULATOR_URL; $TRUTH alert versions to deliver"

  if [[ $MODE == kafka ]]; then
    # One partition per 3.5 MiB of ~3 KB events, so a consumer that falls behind does not
    # meet the mock's 5 MiB-per-partition retention (tests/kafka_broker/README.md).
    local partitions=$(((TRUTH * 3000 + 3670015) / 3670016))
    ((partitions >= 4)) || partitions=4
    "$BROKER" --brokers 1 --topic "e2e:$partitions" --no-stdin >"$WORK/broker.out" 2>"$WORK/broker.log" &
    PIDS+=($!)
    local bootstrap
    bootstrap=$(first_line "$WORK/broker.out" bootstrap)
    log "mock cluster at $bootstrap, topic e2e with $partitions partitions"
    mkfifo "$WORK/consumed.fifo"
    receiver_input=$WORK/consumed.fifo
    time_field=created_time
    sink_yaml="  - name: out
    type: kafka
    bootstrap_servers: [\"$bootstrap\"]
    topic: e2e
    format: json"
    SETUP_NOTE="kafka sink (JSON, key id) -> mock Kafka cluster (1 broker, $partitions partitions) -> secfeed-kafka-consume-count"
  else
    touch "$WORK/ingested.ndjson"
    receiver_input=$WORK/ingested.ndjson
    time_field=CreatedTime
    sink_yaml="  - name: out
    type: log_analytics
    endpoint: \"$EMULATOR_URL\"
    tenant: $(tenant_id 1)
    dcr_immutable_id: dcr-5ecfeed0123456789abcdef012345678
    stream_alerts: Custom-SecfeedAlerts_CL
    stream_posture: Custom-SecfeedPosture_CL"
    SETUP_NOTE="log_analytics sink (gzip, batches up to 1 MB / 10,000 rows / 5 s) -> emulator Logs Ingestion API"
  fi
  python3 "$HERE/line_receiver.py" --time-field "$time_field" "$WORK/secfeed.count" \
    "$receiver_input" >"$WORK/receiver.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [[ -s $WORK/secfeed.count ]] && break; sleep 0.1; done
  [[ -s $WORK/secfeed.count ]] || die "the receiver did not start: $(cat "$WORK/receiver.log")"
  if [[ $MODE == kafka ]]; then
    "$CONSUME" --bootstrap "$bootstrap" --topic e2e --out "$WORK/consumed.fifo" \
      --idle-timeout 3600000 --max-time 7200000 >"$WORK/consume.report" 2>"$WORK/consume.log" &
    CONSUME_PID=$!
    PIDS+=("$CONSUME_PID")
  fi

  write_config "$WORK/secfeed.yaml" "$tenants" "  - name: graph_alerts
    type: graph_alerts
    tenants: all
    interval: $interval
    lag: $lag
    overlap: 5s
    initial_lookback: $((hours + 1))h" "$sink_yaml"
  log "secfeed: backfill of $TRUTH alerts"
  start_secfeed
  secfeed_expected() { echo $((TRUTH - $(dead_letters))); }
  measure secfeed "$SECFEED_PID" "$START_EPOCH" secfeed_expected

  # ---- Live phase: new alerts at a fixed rate; latency from their creation time.
  local live_start live_rounds=0 next
  log "live phase: $live_seconds s, $live_per_tenant new alert(s) per tenant per second"
  live_start=$(date +%s.%N)
  next=$(date +%s%N)
  for ((live_rounds = 0; live_rounds < live_seconds; live_rounds++)); do
    emulator_api POST advance "{\"alerts\": $live_per_tenant, \"updates\": 0, \"visible_after_ms\": 0, \"join_incidents\": false}" >/dev/null ||
      die "advance failed"
    next=$((next + 1000000000))
    local wait_ns=$((next - $(date +%s%N)))
    ((wait_ns <= 0)) || sleep "$((wait_ns / 1000000000)).$(printf '%09d' $((wait_ns % 1000000000)))"
  done
  LIVE_SPAN=$(python3 -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" "$live_start")
  LIVE_TOTAL=$((live_rounds * live_per_tenant * tenants))
  live_expected() { echo $((TRUTH + LIVE_TOTAL - $(dead_letters))); }
  ln -s secfeed.count "$WORK/live.count"
  ln -s secfeed.log "$WORK/live.log"
  measure live "$SECFEED_PID" "$START_EPOCH" live_expected
  percentiles "$WORK/secfeed.count.latency" "$live_start" >"$WORK/latency.result"
  log "latency: $(tr '\n' ' ' <"$WORK/latency.result")"
  local ingested_note=""
  if [[ $MODE == sentinel ]]; then
    ingested_note=" The emulator reports $(emulator_api GET ingested | tr -d '\n') accepted rows."
  fi
  kill -TERM "$SECFEED_PID" 2>/dev/null || true
  if [[ $MODE == kafka ]]; then
    kill -TERM "$CONSUME_PID" 2>/dev/null || true
    timeout 30 tail --pid="$CONSUME_PID" -f /dev/null || true
  fi

  # ---- Report.
  {
    echo
    echo "### $(date -u +%Y-%m-%dT%H:%M:%SZ): Graph $MODE, $tenants tenants x $per_tenant alerts_v2 (backfill) + live phase"
    echo
    machine_line
    echo
    echo "graph_alerts (interval $interval, lag $lag, overlap 5s, page size 1000) -> $SETUP_NOTE."
    echo
    echo "| phase | events | events/s | CPU s per 100k events | peak RSS MB | drain s | startup s | latency p50 / p95 / p99 / max s |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    printf '| backfill | %s | %s | %s | %s | %s | %s | (backlog wait, not measured) |\n' \
      "$(result secfeed events)" "$(result secfeed eps)" "$(result secfeed cpu_per_100k)" \
      "$(result secfeed rss_mb)" "$(result secfeed drain_s)" "$(result secfeed startup_s)"
    printf '| live (%s rounds in %s s, %s per round) | %s | | | %s | | | %s / %s / %s / %s (%s samples) |\n' \
      "$live_seconds" "$LIVE_SPAN" "$((live_per_tenant * tenants))" "$LIVE_TOTAL" "$(result live rss_mb)" \
      "$(sed -n 's/^p50=//p' "$WORK/latency.result")" "$(sed -n 's/^p95=//p' "$WORK/latency.result")" \
      "$(sed -n 's/^p99=//p' "$WORK/latency.result")" "$(sed -n 's/^max=//p' "$WORK/latency.result")" \
      "$(sed -n 's/^samples=//p' "$WORK/latency.result")"
    echo
    echo "events/s: backfill events ÷ time between the first and the last arrival; startup: process"
    echo "start to first arrival (tokens, first pages). CPU: utime+stime of secfeed at the last"
    echo "backfill event (startup included). Latency: arrival − the alert's createdDateTime at the"
    echo "emulator, for the alerts created in the live phase; it includes the source's lag and"
    echo "interval. secfeed dead-lettered $(dead_letters) items.$ingested_note"
    if [[ $MODE == kafka ]]; then
      echo "Consumer (secfeed-kafka-consume-count): $(grep -E '^(total|duplicate_payloads|gap_offsets) ' "$WORK/consume.report" | tr '\n' ' ')"
    fi
  } | tee -a "$RESULTS"
}

# ================================================================================ steady
run_steady() {
  local tenants=${E2E_STEADY_TENANTS:-1000} seconds=${E2E_STEADY_SECONDS:-360}
  local interval=${E2E_STEADY_INTERVAL:-60} latency=${E2E_STEADY_LATENCY_MS:-100}
  local per_tenant=${E2E_STEADY_ALERTS_PER_TENANT:-5} connections=${E2E_STEADY_HTTP_CONNECTIONS:-}
  if [[ -n $connections ]]; then
    HTTP_YAML="http: {max_connections_per_host: $connections, max_connections_total: $((connections > 64 ? connections : 64))}"
  fi
  log "emulator: $tenants tenants x $per_tenant alerts (1 h history), ${latency} ms per Graph response"
  start_emulator --tenants "$tenants" --alerts-per-tenant "$per_tenant" --history-hours 1 \
    --seed "${E2E_SEED:-1}"
  emulator_api POST faults "{\"path_prefix\": \"/v1.0/security/\", \"delay_ms\": $latency, \"count\": -1}" >/dev/null ||
    die "cannot inject the latency"
  write_config "$WORK/secfeed.yaml" "$tenants" "  - {name: graph_alerts, type: graph_alerts, tenants: all, interval: ${interval}s, lag: 30s, initial_lookback: 2h}
  - {name: graph_incidents, type: graph_incidents, tenants: all, interval: ${interval}s, lag: 30s, initial_lookback: 2h}
  - {name: secure_score, type: secure_score, tenants: all, interval: ${interval}s, backfill_days: 1}" \
    "  - {name: out, type: file, path: $WORK/out.jsonl, format: json}"
  log "secfeed: $tenants tenants x 3 sources every ${interval}s; warm-up, then ${seconds}s measured"
  start_secfeed
  python3 "$HERE/steady_probe.py" "$SECFEED_PID" "http://127.0.0.1:$METRICS_PORT/metrics" \
    "$((tenants * 3))" "$seconds" "$interval" "$START_EPOCH" >"$WORK/steady.result" 2>"$WORK/probe.log" ||
    die "probe failed: $(tail -5 "$WORK/probe.log"; tail -5 "$WORK/secfeed.log")"
  kill -0 "$SECFEED_PID" 2>/dev/null || die "secfeed exited: $(tail -5 "$WORK/secfeed.log")"
  log "steady: $(tr '\n' ' ' <"$WORK/steady.result")"
  local served
  served=$(emulator_api GET faults | python3 -c 'import json,sys; print(json.load(sys.stdin)["served"])')
  kill -TERM "$SECFEED_PID" 2>/dev/null || true
  r() { sed -n "s/^$1=//p" "$WORK/steady.result"; }
  {
    echo
    echo "### $(date -u +%Y-%m-%dT%H:%M:%SZ): Graph steady state, $tenants tenants x 3 sources every ${interval} s, ${latency} ms per Graph response"
    echo
    machine_line
    echo
    echo "graph_alerts + graph_incidents (lag 30s) + secure_score (backfill_days 1) -> file sink (JSON);"
    echo "http.max_connections_per_host: ${connections:-default}."
    echo "Warm-up (secfeed start until every poller completed its first round, the backfill): $(r warmup_s) s; measured window: $(r window_s) s."
    echo
    echo "| CPU % of one core | RSS at end MB | peak RSS MB | poll lateness max s (alerts / incidents) | lateness p50 / p99 s | rounds per poller in the window (min–max) | Secure Score cadence lateness max s |"
    echo "|---:|---:|---:|---|---|---|---:|"
    printf '| %s | %s | %s | %s (%s / %s) | %s / %s | %s–%s | %s |\n' "$(r cpu_pct)" "$(r rss_end_mb)" \
      "$(r rss_peak_mb)" "$(r lateness_max_s)" "$(r lateness_max_s_graph_alerts)" \
      "$(r lateness_max_s_graph_incidents)" "$(r lateness_p50_s)" "$(r lateness_p99_s)" \
      "$(r rounds_per_poller_min)" "$(r rounds_per_poller_max)" "$(r secure_score_lateness_max_s)"
    echo
    echo "Lateness: secfeed_graph_poll_start_delay_seconds (round start − (previous round's start +"
    echo "interval)) over $(r rounds_seen) rounds (third round on) of $(r graph_pollers) graph pollers, scraped every 5 s."
    echo "Secure Score: time between consecutive completions − interval ($(r secure_score_periods_seen) periods)."
    echo "The emulator delayed $served Graph responses."
  } | tee -a "$RESULTS"
}

mkdir -p "$ROOT/build/bench"
case $MODE in
  kafka | sentinel) run_flow ;;
  steady) run_steady ;;
esac
log "appended to $RESULTS"
