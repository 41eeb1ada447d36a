# shellcheck shell=bash
# Shared by the end-to-end benchmarks (tests/bench/run-e2e.sh, run-e2e-graph.sh); source it
# after `set -euo pipefail` and `cd` to the repository root. Provides: logging, a work
# directory whose background processes are killed on exit (append their pids to PIDS),
# the release build, /proc sampling of the connector process, the wait-and-measure loop
# over a receiver's status file, and the report header.
#
# Knobs: E2E_BUILD_DIR (default build/release-e2e, release preset), E2E_TIMEOUT (seconds
# without progress before a run is declared stuck, default 120), E2E_KEEP_WORK (keep the
# work directory).

ROOT=$PWD
BUILD=${E2E_BUILD_DIR:-build/release-e2e}
STUCK_AFTER=${E2E_TIMEOUT:-120}
HERE=$ROOT/tests/bench/e2e
RESULTS=$ROOT/build/bench/e2e-results.md
CLK_TCK=$(getconf CLK_TCK)

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- Processes and cleanup: every pid in PIDS is stopped (TERM, then KILL) on exit.
PIDS=()
WORK=$(mktemp -d /tmp/secfeed-e2e.XXXXXX)
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n ${E2E_KEEP_WORK:-} ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# first_line FILE KEY [SECONDS]: waits (default 30 s) for a `KEY=value` line in FILE,
# prints value.
first_line() {
  local tenths=$((${3:-30} * 10))
  for _ in $(seq "$tenths"); do
    local line
    line=$(grep -m1 "^$2=" "$1" 2>/dev/null || true)
    [[ -n $line ]] && { echo "${line#*=}"; return; }
    sleep 0.1
  done
  die "no '$2=' line in $1: $(head -c 2000 "$1" 2>/dev/null)"
}

# e2e_build TARGET...: configures the release preset in $BUILD and builds the targets.
e2e_build() {
  log "building $* in $BUILD (release)"
  cmake --preset release -B "$BUILD" -DSECFEED_TESTS=ON >"$WORK/cmake.log" ||
    { cat "$WORK/cmake.log"; exit 1; }
  cmake --build "$BUILD" --target "$@" >"$WORK/build.log" || { tail -50 "$WORK/build.log"; exit 1; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- Sampling the connector process.
# cpu_ticks PID: utime+stime of every thread of the process (fields 14 and 15 of stat).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# measure NAME PID START_EPOCH EXPECTED_CMD: waits until $WORK/NAME.count (a receiver's
# `count first_epoch last_epoch`) reaches $(EXPECTED_CMD) events (re-evaluated: dead
# letters may still arrive), then samples the process; fails if nothing new arrives for
# $STUCK_AFTER s or the process exits (its log: $WORK/NAME.log). Writes key=value lines to
# $WORK/NAME.result (read them with `result NAME KEY`).
measure() {
  local name=$1 pid=$2 start=$3 expected_cmd=$4
  local count=0 first=0 last=0 expected seen=-1 idle_since
  idle_since=$(date +%s)
  while :; do
    read -r count first last <"$WORK/$name.count"
    expected=$($expected_cmd)
    ((count >= expected)) && break
    kill -0 "$pid" 2>/dev/null || die "$name exited early after $count of $expected events (log: $(tail -5 "$WORK/$name.log"))"
    if ((count != seen)); then
      seen=$count
      idle_since=$(date +%s)
    elif (($(date +%s) - idle_since > STUCK_AFTER)); then
      die "$name stuck at $count of $expected events for ${STUCK_AFTER}s (log: $(tail -5 "$WORK/$name.log"))"
    fi
    sleep 0.2
  done
  local ticks rss
  ticks=$(cpu_ticks "$pid")
  rss=$(peak_rss_kb "$pid")
  sleep 1  # anything beyond the expected count shows up now
  read -r count first last <"$WORK/$name.count"
  python3 - "$name" "$count" "$expected" "$first" "$last" "$start" "$ticks" "$CLK_TCK" "$rss" \
    >"$WORK/$name.result" <<'PY'
import sys
name, count, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
first, last, start = (float(x) for x in sys.argv[4:7])
ticks, clk, rss_kb = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
span = max(last - first, 1e-6)
cpu = ticks / clk
print("events=%d" % count)
print("expected=%d" % expected)
print("eps=%.0f" % (count / span))
print("drain_s=%.2f" % span)
print("startup_s=%.2f" % (first - start))
print("wall_s=%.2f" % (last - start))
print("cpu_s=%.2f" % cpu)
print("cpu_per_100k=%.2f" % (cpu * 100000 / count))
print("rss_mb=%.1f" % (rss_kb / 1024))
PY
  log "$name: $(tr '\n' ' ' <"$WORK/$name.result")"
}
result() { sed -n "s/^$2=//p" "$WORK/$1.result"; }

# percentiles FILE SINCE_EPOCH: p50/p95/p99/max of (receive - created) over the lines of
# FILE (`created receive`) created at or after SINCE_EPOCH, as key=value lines.
percentiles() {
  python3 - "$1" "$2" <<'PY'
import sys
since = float(sys.argv[2]) - 0.001
lat = sorted(r - c for c, r in (map(float, l.split()) for l in open(sys.argv[1])) if c >= since)
def p(q): return lat[min(len(lat) - 1, int(round(q / 100 * (len(lat) - 1))))] if lat else float("nan")
print("samples=%d" % len(lat))
for q in (50, 95, 99):
    print("p%d=%.2f" % (q, p(q)))
print("max=%.2f" % (lat[-1] if lat else float("nan")))
PY
}

# machine_line: the CPU model, core count and load, for the report.
machine_line() {
  local model
  model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
  echo "CPU: $model, $(nproc) cores; load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
}
