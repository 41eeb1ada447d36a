#!/usr/bin/env bash
# Builds the `bench` preset and runs the microbenchmarks: every stage (parse_only,
# reader_only, parse_normalize, parse_to_cef, encode_cef/json/ocsf/raw) x every payload
# kind, with events/s (items_per_second), bytes/s and allocs_per_event. Not part of the
# test suite; for repeatable instruction counts use tests/bench/run-callgrind.sh.
# Usage: tests/bench/run-bench.sh [extra Google Benchmark flags, e.g. --benchmark_filter=graph_alert]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/install-deps.sh
cmake --preset bench >/dev/null
cmake --build --preset bench --target secfeed_microbench
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
build/bench/tests/bench/secfeed_microbench --benchmark_min_time=0.5 "$@"
