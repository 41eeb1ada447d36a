# shellcheck shell=bash
# Shared by the Graph poller integration tests (source it after lib/common.sh): a secfeed
# config for N emulator tenants, secfeed in the background (stop, kill -9, restart), the
# emulator's ground truth and its comparison with the file sink's output
# (tests/tools/compare_ground_truth.py).
#
# Config knobs (set before graph_write_config; defaults in brackets):
#   GRAPH_TENANTS       array of tenant ids [tenant 1 of the emulator]
#   GRAPH_CREDENTIAL    assoc tenant id -> YAML lines of its credential (indented 4)
#                       [client_secret_file with the emulator's secret]
#   GRAPH_SOURCES       array of source types [graph_alerts graph_incidents]
#   GRAPH_PAGE_SIZE     assoc source type -> page_size [the source's default]
#   GRAPH_INTERVAL [1s] GRAPH_LAG [3s] GRAPH_OVERLAP [10s] GRAPH_LOOKBACK [48h]
#   GRAPH_TIMEOUT [10s] GRAPH_FORMAT [json] GRAPH_LOG_LEVEL [info]
#   GRAPH_METRICS_LISTEN  host:port of /metrics ["": metrics disabled]
#   GRAPH_TLS_CA_FILE   tls.ca_file [the test CA; "": none, the system store]
# Each source is named after its type; the sink is "out", a file.

COMPARE_TRUTH="$SECFEED_SOURCE_DIR/tests/tools/compare_ground_truth.py"

GRAPH_TENANTS=()
declare -A GRAPH_CREDENTIAL=()
GRAPH_SOURCES=(graph_alerts graph_incidents)
declare -A GRAPH_PAGE_SIZE=()
GRAPH_INTERVAL=1s
GRAPH_LAG=3s
GRAPH_OVERLAP=10s
GRAPH_LOOKBACK=48h
GRAPH_TIMEOUT=10s
GRAPH_FORMAT=json
GRAPH_LOG_LEVEL=info
GRAPH_METRICS_LISTEN=""
GRAPH_TLS_CA_FILE=unset  # graph_write_config: the test CA

# graph_use_tenants FIRST LAST: GRAPH_TENANTS = the emulator's tenants FIRST..LAST.
graph_use_tenants() {
  GRAPH_TENANTS=()
  local i
  for ((i = $1; i <= $2; i++)); do GRAPH_TENANTS+=("$(emulator_tenant "$i")"); done
}

# graph_secret_file NAME VALUE: a mode-600 secret file (a literal secret in a readable
# config only draws a warning, but tests should show the recommended form); prints its path.
graph_secret_file() {
  local path="$WORK/secret-$1"
  (umask 077 && printf '%s\n' "$2" >"$path")
  printf '%s\n' "$path"
}

# graph_write_config NAME: writes $WORK/NAME.yaml (state $WORK/state-NAME, sink output
# $WORK/NAME.out, dead letters $WORK/NAME-dead.jsonl) from the knobs above.
graph_write_config() {
  local name=$1 file="$WORK/$1.yaml" tenant source
  [[ ${#GRAPH_TENANTS[@]} -gt 0 ]] || graph_use_tenants 1 1
  local default_secret
  default_secret=$(graph_secret_file default "$EMULATOR_CLIENT_SECRET")
  {
    echo "state_dir: $WORK/state-$name"
    echo "log: {level: $GRAPH_LOG_LEVEL}"
    if [[ -n $GRAPH_METRICS_LISTEN ]]; then
      echo "metrics: {enabled: true, listen: \"$GRAPH_METRICS_LISTEN\"}"
    else
      echo "metrics: {enabled: false}"
    fi
    echo "dead_letter: {path: $WORK/$name-dead.jsonl}"
    [[ $GRAPH_TLS_CA_FILE != unset ]] || GRAPH_TLS_CA_FILE="$TEST_CA_DIR/ca.pem"
    [[ -z $GRAPH_TLS_CA_FILE ]] || echo "tls: {ca_file: $GRAPH_TLS_CA_FILE}"
    echo "tenants:"
    for tenant in "${GRAPH_TENANTS[@]}"; do
      echo "  - id: $tenant"
      echo "    client_id: $EMULATOR_CLIENT_ID"
      if [[ -n ${GRAPH_CREDENTIAL[$tenant]:-} ]]; then
        printf '%s\n' "${GRAPH_CREDENTIAL[$tenant]}"
      else
        echo "    client_secret_file: $default_secret"
      fi
      echo "    login_url: $EMULATOR_URL"
      echo "    graph_url: $EMULATOR_URL"
    done
    echo "sources:"
    for source in "${GRAPH_SOURCES[@]}"; do
      echo "  - name: $source"
      echo "    type: $source"
      echo "    tenants: all"
      echo "    interval: $GRAPH_INTERVAL"
      echo "    lag: $GRAPH_LAG"
      echo "    overlap: $GRAPH_OVERLAP"
      echo "    initial_lookback: $GRAPH_LOOKBACK"
      echo "    timeout: $GRAPH_TIMEOUT"
      [[ -z ${GRAPH_PAGE_SIZE[$source]:-} ]] || echo "    page_size: ${GRAPH_PAGE_SIZE[$source]}"
    done
    echo "sinks:"
    echo "  - name: out"
    echo "    type: file"
    echo "    path: $WORK/$name.out"
    echo "    format: $GRAPH_FORMAT"
    echo "    batch: {max_wait: 100ms}"
    echo "    retry: {initial: 100ms, max: 1s}"
  } >"$file"
  chmod 600 "$file"
  local out
  out=$("$SECFEED_BINARY" validate -c "$file" 2>&1) || fail "config $name invalid: $out"
}

# graph_start NAME: secfeed run in the background, log appended to $WORK/NAME.log (a
# restart keeps the earlier runs' lines); sets GRAPH_PID.
graph_start() {
  "$SECFEED_BINARY" run -c "$WORK/$1.yaml" --status-interval 1 >>"$WORK/$1.log" 2>&1 &
  GRAPH_PID=$!
  EXTRA_PIDS+=("$GRAPH_PID")
}

# graph_stop: SIGTERM, expects exit status 0 within 60 s.
graph_stop() {
  kill -TERM "$GRAPH_PID" 2>/dev/null || fail "secfeed (pid $GRAPH_PID) was not running"
  timeout 60 tail --pid="$GRAPH_PID" -f /dev/null || fail "secfeed did not stop within 60 s"
  local status=0
  wait "$GRAPH_PID" || status=$?
  expect_eq "secfeed exit status after SIGTERM" 0 "$status"
}

# graph_kill9: kill -9 and reap (no shutdown, no final commit).
graph_kill9() {
  kill -KILL "$GRAPH_PID" 2>/dev/null || fail "secfeed (pid $GRAPH_PID) died before its kill"
  wait "$GRAPH_PID" 2>/dev/null || true
}

graph_alive() { kill -0 "$GRAPH_PID" 2>/dev/null; }

# graph_lines FILE: its line count, 0 when it does not exist (nothing written yet).
graph_lines() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# graph_truth KIND OUT [TENANT]: the ground truth (all tenants unless TENANT) into OUT.
graph_truth() {
  local query="kind=$1"
  [[ -z ${3:-} ]] || query+="&tenant=$3"
  emulator_api GET "ground-truth?$query" >"$2" || fail "ground truth $query"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))["now"]' "$2" 2>/dev/null ||
    fail "ground truth $query is not an answer: $(head -c 300 "$2")"
}

# graph_compare NAME SOURCE KIND [compare args...]: the fresh ground truth of KIND
# (alerts|incidents) against source SOURCE's events in $WORK/NAME.out*; prints the report,
# returns the tool's status.
graph_compare() {
  local kind=$3
  graph_truth "$kind" "$WORK/truth-$kind.json"
  graph_compare_fetched "$@"
}

# graph_compare_fetched NAME SOURCE KIND [compare args...]: graph_compare with the
# ground truth graph_truth last wrote to $WORK/truth-KIND.json.
graph_compare_fetched() {
  local name=$1 source=$2 kind=$3
  shift 3
  python3 "$COMPARE_TRUTH" --truth "$WORK/truth-$kind.json" --sink "$WORK/$name.out*" \
    --source "$source" "$@"
}

# graph_source_kind SOURCE: the ground-truth kind a source type is compared with.
graph_source_kind() {
  case $1 in
    graph_incidents) echo incidents ;;
    *) echo alerts ;;
  esac
}

# graph_wait_complete NAME SECONDS [compare args...]: waits until every source of
# GRAPH_SOURCES has delivered every ground-truth version (nothing missing, nothing
# extra; duplicates are judged by the caller's final graph_compare). On timeout: fails
# with the comparison's report.
graph_wait_complete() {
  local name=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds)) source kind complete
  local -A kinds=()
  for source in "${GRAPH_SOURCES[@]}"; do kinds[$(graph_source_kind "$source")]=1; done
  while :; do
    # The truth first: what the output must hold by now.
    for kind in "${!kinds[@]}"; do graph_truth "$kind" "$WORK/truth-$kind.json"; done
    complete=1
    for source in "${GRAPH_SOURCES[@]}"; do
      graph_compare_fetched "$name" "$source" "$(graph_source_kind "$source")" --quiet \
        --max-duplicates 1000000000 "$@" >/dev/null || { complete=0 && break; }
    done
    ((complete)) && return 0
    if ((SECONDS >= deadline)); then
      graph_compare_fetched "$name" "$source" "$(graph_source_kind "$source")" \
        --max-duplicates 1000000000 "$@" >&2 || true
      fail "timed out after ${seconds}s waiting for $source to deliver the ground truth"
    fi
    graph_alive || fail "secfeed exited while waiting for the ground truth"
    sleep 0.5
  done
}

# graph_expect_exact NAME SOURCE [compare args...]: every ground-truth version of the
# source's kind, nothing else, and no duplicate unless --max-duplicates allows (prints
# the report; fails otherwise).
graph_expect_exact() {
  local name=$1 source=$2
  shift 2
  local report status=0
  report=$(graph_compare "$name" "$source" "$(graph_source_kind "$source")" "$@") || status=$?
  printf '%s\n' "$report" | sed "s/^/  [$source] /"
  ((status == 0)) || fail "$source: delivery does not match the ground truth"
  echo "ok: $source delivered every ground-truth version, none invented, duplicates as allowed"
}

# graph_faults_served: the emulator's count of injected faults answered so far.
graph_faults_served() {
  emulator_api GET faults | python3 -c 'import json,sys; print(json.load(sys.stdin)["served"])'
}

# graph_scan_log_for_secrets LOG VALUE...: fails if LOG contains a VALUE, an access token
# issued by the emulator ("emu." + base64url) or a JWT (a client assertion).
graph_scan_log_for_secrets() {
  local log=$1 value
  shift
  for value in "$@"; do
    [[ -n $value ]] || continue
    if grep -qF -- "$value" "$log"; then fail "$(basename "$log") contains a secret"; fi
  done
  if grep -qE 'emu\.[A-Za-z0-9_-]{20,}' "$log"; then fail "$(basename "$log") contains an access token"; fi
  if grep -qE 'eyJ[A-Za-z0-9_-]{10,}\.eyJ' "$log"; then fail "$(basename "$log") contains a JWT"; fi
  echo "ok: no secret or token in $(basename "$log")"
}
