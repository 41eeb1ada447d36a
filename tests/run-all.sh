#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs the whole test suite
# twice (normal build, then ASan+UBSan), then a short libFuzzer smoke run of every
# fuzz target. .ci/run calls exactly this. Exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Cache hits across clones in other directories (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

run_preset() {
  local preset=$1
  echo "==== [$preset] configure + build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "==== [$preset] tests"
  ctest --preset "$preset"
}

run_preset dev
run_preset asan
echo "==== fuzz smoke (${SECFEED_FUZZ_SECONDS:-20}s per target)"
bash tests/fuzz/run-fuzzers.sh "${SECFEED_FUZZ_SECONDS:-20}"
echo "==== all tests passed"
