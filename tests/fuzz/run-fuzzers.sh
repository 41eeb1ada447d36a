#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang) and runs each for a bounded time,
# seeded from the test fixtures (and the hand-made seeds in tests/fuzz/corpus/<target>).
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS_PER_TARGET]
# A crash leaves its input in build/fuzz/findings/ and fails the script: turn it into a
# regression test (add the input to tests/fixtures and a unit test) before fixing.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
work=build/fuzz/corpus
findings=build/fuzz/findings
mkdir -p "$work" "$findings"
status=0
for target in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  case "$name" in
    fuzz_config) seeds=(deploy/examples) ;;
    fuzz_connection_string | fuzz_http_response | fuzz_disk_buffer_record)
      seeds=("tests/fuzz/corpus/$name") ;;
    fuzz_normalize_mdc) seeds=(tests/fixtures/defender tests/fuzz/corpus/fuzz_normalize_mdc) ;;
    fuzz_normalize_auto) seeds=(tests/fixtures/graph tests/fixtures/defender) ;;
    *) seeds=(tests/fixtures/graph) ;;
  esac
  mkdir -p "$work/$name"
  existing=()
  for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
  echo "== $name: ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/$name-" -print_final_stats=1 \
      "$work/$name" "${existing[@]}" >"$findings/$name.log" 2>&1; then
    echo "FUZZ FAILURE in $name: see $findings/$name.log"; tail -40 "$findings/$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$findings/$name.log" | tail -1
  fi
done
exit $status
