#!/usr/bin/env bash
# Repeatable cost of the hot path: instructions per event (Ir) counted by callgrind
# over a fixed number of passes, independent of how busy the machine is. Builds the
# `bench` preset's fixed-iteration runner first.
# Usage: tests/bench/run-callgrind.sh [passes] [stage/corpus ...]
#   default: 200 passes of parse_only, reader_only, parse_normalize, parse_to_cef and
#   each encoder on graph_alert. Profiles land in build/bench/callgrind/ (open them with
#   callgrind_annotate --inclusive=yes <file>).
set -euo pipefail
cd "$(dirname "$0")/../.."
passes="${1:-200}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_only/graph_alert reader_only/graph_alert parse_normalize/graph_alert
           parse_to_cef/graph_alert encode_cef/graph_alert encode_json/graph_alert
           encode_ocsf/graph_alert)
fi
cmake --preset bench >/dev/null
cmake --build --preset bench --target secfeed_bench_fixed >/dev/null
bin=build/bench/tests/bench/secfeed_bench_fixed
out=build/bench/callgrind
mkdir -p "$out"
printf '| stage | corpus | events | instructions/event | allocations/event |\n|---|---|---:|---:|---:|\n'
for target in "${targets[@]}"; do
  stage="${target%%/*}"
  corpus="${target#*/}"
  file="$out/$stage.$corpus.out"
  line=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$file" \
         "$bin" "$stage" "$corpus" "$passes" 2>/dev/null)
  events=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<<"$line")
  allocations=$(sed -n 's/.*allocations=\([0-9]*\).*/\1/p' <<<"$line")
  total=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$file")
  awk -v s="$stage" -v c="$corpus" -v e="$events" -v t="$total" -v a="$allocations" \
    'BEGIN { printf "| %s | %s | %d | %.0f | %.2f |\n", s, c, e, t / e, a / e }'
done
