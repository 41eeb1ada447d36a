# Shared by the integration tests (source it after `set -euo pipefail`):
# work directory with cleanup, failure reporting, assertions, and the test Kafka broker
# as a coprocess. Every test bounds each step with `timeout`.

BIN="$(dirname "$SECFEED_BINARY")/bin"
BROKER="$BIN/secfeed-kafka-broker"
PRODUCE="$BIN/secfeed-kafka-produce"
COUNT="$BIN/secfeed-kafka-consume-count"

WORK="$(mktemp -d)"
BROKER_PID=""
EXTRA_PIDS=()
cleanup() {
  local pid
  for pid in "${EXTRA_PIDS[@]}" $BROKER_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  local log
  for log in "$WORK"/*.log; do
    [[ -s $log ]] || continue
    echo "--- $(basename "$log") (tail)" >&2
    tail -20 "$log" >&2
  done
  exit 1
}

expect_eq() {  # WHAT EXPECTED ACTUAL
  [[ $2 == "$3" ]] || fail "$1: expected '$2', got '$3'"
  echo "ok: $1"
}

require_tools() {
  local tool
  for tool in "$@"; do
    [[ -x $tool ]] || fail "$tool not built (it is built with secfeed_unit_tests)"
  done
}

# start_broker ARGS...: starts the broker coprocess; sets BOOTSTRAP.
start_broker() {
  require_tools "$BROKER"
  coproc BROKER_IO { exec timeout 280 "$BROKER" "$@" 2>"$WORK/broker.log"; }
  BROKER_PID=$BROKER_IO_PID
  # Own copies: bash drops BROKER_IO's descriptors when the coprocess ends.
  exec {TO_BROKER}>&"${BROKER_IO[1]}" {FROM_BROKER}<&"${BROKER_IO[0]}"
  local first_line
  IFS= read -r -t 30 -u "$FROM_BROKER" first_line || fail "broker printed no bootstrap line"
  [[ $first_line == bootstrap=* ]] || fail "unexpected first line: $first_line"
  BOOTSTRAP=${first_line#bootstrap=}
}

# broker COMMAND...: sends one control command and prints the reply line.
broker() {
  local reply
  printf '%s\n' "$*" >&"$TO_BROKER"
  IFS= read -r -t 30 -u "$FROM_BROKER" reply || fail "no reply to '$*'"
  printf '%s\n' "$reply"
}

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${seconds}s waiting for $what"
    sleep 0.2
  done
}

EMULATOR="$BIN/secfeed-emulator"
EMULATOR_PID=""
TEST_CA_DIR=""

# start_emulator ARGS...: makes a test CA in $WORK/ca (once), starts secfeed-emulator on
# a free loopback port with the server certificate and ARGS, and sets EMULATOR_URL
# (https://127.0.0.1:PORT) and EMULATOR_PID. Its output goes to $WORK/emulator.log.
# Clients trust "$TEST_CA_DIR/ca.pem"; "$TEST_CA_DIR/client.pem/.key" is the app cert.
start_emulator() {
  require_tools "$EMULATOR"
  TEST_CA_DIR="$WORK/ca"
  if [[ ! -f $TEST_CA_DIR/ca.pem ]]; then
    mkdir -p "$TEST_CA_DIR"
    "$(dirname "${BASH_SOURCE[0]}")/../../emulators/make-test-ca.sh" "$TEST_CA_DIR" >/dev/null ||
      fail "make-test-ca.sh"
  fi
  timeout 900 "$EMULATOR" --listen 127.0.0.1:0 --cert "$TEST_CA_DIR/server.pem" \
    --key "$TEST_CA_DIR/server.key" "$@" >"$WORK/emulator.out" 2>"$WORK/emulator.log" </dev/null &
  EMULATOR_PID=$!
  EXTRA_PIDS+=("$EMULATOR_PID")
  local i
  for i in $(seq 150); do
    grep -q '^listening=' "$WORK/emulator.out" 2>/dev/null && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || fail "emulator exited"
    sleep 0.1
  done
  EMULATOR_URL=$(sed -n 's/^listening=//p' "$WORK/emulator.out" | head -n 1)
  [[ $EMULATOR_URL == https://127.0.0.1:* ]] || fail "emulator printed no listening line"
}

# emulator_api METHOD PATH [JSON]: calls the emulator's control API, prints the body.
emulator_api() {
  local method=$1 path=$2 body=${3:-}
  if [[ -n $body ]]; then
    curl -sS --max-time 30 --cacert "$TEST_CA_DIR/ca.pem" -X "$method" \
      -H 'Content-Type: application/json' -d "$body" "$EMULATOR_URL/_emulator/$path"
  else
    curl -sS --max-time 30 --cacert "$TEST_CA_DIR/ca.pem" -X "$method" "$EMULATOR_URL/_emulator/$path"
  fi
}

# The emulator's default app registration and tenant i (1-based).
EMULATOR_CLIENT_ID=5ec0feed-0000-4000-8000-00000000c11e
EMULATOR_CLIENT_SECRET=secfeed-test-secret
emulator_tenant() { printf '00000000-0000-4000-8000-%012d' "$1"; }

# start_secfeed NAME [RUN ARGS...]: `secfeed run -c $WORK/NAME.yaml` in the background,
# log in $WORK/NAME.log; sets PID_<NAME>.
start_secfeed() {
  local name=$1
  shift
  "$SECFEED_BINARY" run -c "$WORK/$name.yaml" --status-interval 1 "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  EXTRA_PIDS+=("$pid")
  printf -v "PID_$name" '%s' "$pid"
}

# stop_secfeed NAME: SIGTERM; expects exit status 0 and the clean-drain log line.
stop_secfeed() {
  local pid_var="PID_$1" status=0
  kill -TERM "${!pid_var}"
  timeout 60 tail --pid="${!pid_var}" -f /dev/null || fail "$1 did not stop"
  wait "${!pid_var}" || status=$?
  expect_eq "$1 exit status after SIGTERM" 0 "$status"
  grep -q "stopped cleanly" "$WORK/$1.log" || fail "$1 did not stop cleanly"
}

# produce TOPIC FILE: every line of FILE as one message, spread over the partitions.
produce() {
  local out
  out=$(timeout 120 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic "$1" --round-robin "$2")
  [[ $out == "produced $(wc -l <"$2")" ]] || fail "producer: $out"
}

# Small predicates the scripts share.
lines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }              # FILE: its line count (0 if absent)
has_lines() { (($(lines "$2") >= $1)); }                        # N FILE
truth() { python3 -c "import json,sys; print(json.load(open('$1'))['$2'])"; }  # FILE KEY
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }  # PORT
