#!/usr/bin/env bash
# README command 1: installs what is missing, builds secfeed (release preset) and runs
# it on the bundled sample payloads.
#
# TODO(issue 9): switch to the live pipeline against the bundled emulators (Graph +
# token endpoint, mock Kafka cluster with Defender export events, Logs Ingestion,
# rsyslog). Until the sources and sinks land, the demo shows the offline path:
# `secfeed convert` over saved Graph responses and Event Hub bodies, printing CEF.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target secfeed
secfeed=build/release/secfeed

format="${SECFEED_DEMO_FORMAT:-cef}"
shopt -s nullglob
for sample in tests/fixtures/graph/*.json tests/fixtures/defender/*.json; do
  printf '\n\033[1m== %s (%s)\033[0m\n' "$sample" "$format"
  # Exit status 2 means some items were rejected; the demo shows those on stderr.
  "$secfeed" convert --format "$format" "$sample" || [ $? -eq 2 ]
done
printf '\nTry: %s convert --format json tests/fixtures/graph/alerts_v2_list.json\n' "$secfeed"
