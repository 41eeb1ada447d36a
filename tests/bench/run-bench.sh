#!/usr/bin/env bash
# Builds the `bench` preset and runs the microbenchmarks; prints items/s (= source items
# per second on one core) and bytes/s. Not part of the test suite.
# Usage: tests/bench/run-bench.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/install-deps.sh
cmake --preset bench >/dev/null
cmake --build --preset bench --target secfeed_microbench
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
build/bench/tests/bench/secfeed_microbench --benchmark_min_time=0.5 "$@"
