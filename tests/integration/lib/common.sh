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

# stop_process PID [GRACE_SECONDS]: SIGTERM, then SIGKILL if PID is still running after
# GRACE_SECONDS (default 10). Never blocks longer: a helper that hangs on shutdown (rsyslogd
# has known shutdown hangs) must not turn a passed test into a ctest timeout. Helpers
# started under `timeout` lead their own process group (timeout calls setpgid), so the
# SIGKILL goes to the group too, or the wrapped process would outlive its wrapper.
stop_process() {
  local pid=$1 grace=${2:-10} waited=0
  kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  while kill -0 "$pid" 2>/dev/null && ((waited < grace * 10)); do
    # A reaped-but-unwaited child shows as a zombie: kill -0 still succeeds on it.
    [[ $(ps -o stat= -p "$pid" 2>/dev/null) == Z* ]] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null && [[ $(ps -o stat= -p "$pid" 2>/dev/null) != Z* ]]; then
    echo "warning: $(ps -o args= -p "$pid" 2>/dev/null | cut -c1-120) (pid $pid) still" \
      "running ${grace} s after SIGTERM; sending SIGKILL" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${EXTRA_PIDS[@]}" $BROKER_PID; do
    stop_process "$pid"
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

# free_port: a free loopback port for both TCP and UDP, picked at random (not port 0, so a
# receiver can be restarted on the same port).
free_port() {
  python3 - <<'PY'
import random, socket
for _ in range(100):
    port = random.randint(20000, 60000)
    try:
        with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            t.bind(("127.0.0.1", port)); u.bind(("127.0.0.1", port))
        print(port); break
    except OSError:
        pass
PY
}

# ---- rsyslog: a private rsyslogd (never the system's) per NAME, configured by the test in
# $(rsyslog_dir NAME)/rsyslog.conf; its output goes to $WORK/rsyslog-NAME.log.
RSYSLOGD=/usr/sbin/rsyslogd
rsyslog_dir() { mkdir -p "$WORK/rsyslog-$1" && printf '%s' "$WORK/rsyslog-$1"; }

# start_rsyslog NAME PORT...: (re)starts it; sets RSYSLOG_PID_<NAME>; waits until every
# PORT accepts TCP connections.
start_rsyslog() {
  local name=$1 dir port pid
  shift
  dir=$(rsyslog_dir "$name")
  rm -f "$dir/pid"
  timeout 900 "$RSYSLOGD" -n -f "$dir/rsyslog.conf" -i "$dir/pid" >>"$WORK/rsyslog-$name.log" 2>&1 &
  pid=$!
  EXTRA_PIDS+=("$pid")
  printf -v "RSYSLOG_PID_$name" '%s' "$pid"
  for port in "$@"; do wait_for 30 "rsyslog $name listening on $port" port_open "$port"; done
}

# stop_rsyslog NAME: SIGTERM, SIGKILL after 30 s (see stop_process).
stop_rsyslog() {
  local pid_var="RSYSLOG_PID_$1"
  stop_process "${!pid_var}" 30
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
truth() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }  # FILE KEY
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }  # PORT
