#!/usr/bin/env bash
# The whole performance harness in one command (not part of ctest): microbenchmarks,
# instruction counts, and every end-to-end run, each appending its markdown table to
# build/bench/e2e-results.md (the microbenchmarks print theirs; all output is also in
# build/bench/run-all.log).
#
# Usage: tests/bench/run-all.sh [--quick]
#   full:    run (a) with 1,000,000 records; (b), (c) with 100 tenants x 10,000 alerts;
#            the steady state with 1,000 tenants for 6 minutes (about an hour in all on
#            2 cores)
#   --quick: 50,000 records; 20 tenants x 1,000 alerts; 200 tenants for 3 minutes
# The sizes can also be set one by one with the scripts' own E2E_* variables.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/bench
exec > >(tee build/bench/run-all.log) 2>&1
records=1000000
if [[ ${1:-} == --quick ]]; then
  records=50000
  export E2E_TENANTS=${E2E_TENANTS:-20} E2E_ALERTS_PER_TENANT=${E2E_ALERTS_PER_TENANT:-1000}
  export E2E_STEADY_TENANTS=${E2E_STEADY_TENANTS:-200} E2E_STEADY_SECONDS=${E2E_STEADY_SECONDS:-180}
elif [[ -n ${1:-} ]]; then
  echo "usage: $0 [--quick]" >&2
  exit 2
fi
echo "== microbenchmarks (Google Benchmark: events/s, bytes/s, allocations per event)"
bash tests/bench/run-bench.sh --benchmark_min_time=0.2
echo "== instructions per event (callgrind)"
bash tests/bench/run-callgrind.sh
echo "== (a) Kafka -> CEF over TCP, secfeed vs rsyslog"
bash tests/bench/run-e2e.sh "$records"
for mode in kafka sentinel steady; do
  echo "== Graph: $mode"
  bash tests/bench/run-e2e-graph.sh "$mode"
done
echo "== done: tables appended to build/bench/e2e-results.md"
