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
