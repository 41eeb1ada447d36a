#!/usr/bin/env bash
# The test Kafka helpers (tests/kafka_broker/): broker commands, exact message counts
# through a broker outage and injected Fetch errors, the mock's retention trap, and
# clean shutdown on quit, SIGTERM and stdin EOF. Every step is bounded by `timeout`.
set -euo pipefail

source "$(dirname "$0")/lib/common.sh"
require_tools "$BROKER" "$PRODUCE" "$COUNT"

# Value of a "name value" line of a consume-count report.
fact() { awk -v name="$2" '$1 == name { print $2 }' "$1"; }

# Asserts a consume-count report: exactly N messages, N keyed, no duplicates, no holes.
expect_exact_report() {  # WHAT REPORT N PARTITIONS
  local what=$1 report=$2
  expect_eq "$what: total" "$3" "$(fact "$report" total)"
  expect_eq "$what: keyed" "$3" "$(fact "$report" keyed)"
  expect_eq "$what: duplicate keys" 0 "$(fact "$report" duplicate_keys)"
  expect_eq "$what: duplicate payloads" 0 "$(fact "$report" duplicate_payloads)"
  expect_eq "$what: offset gaps" 0 "$(fact "$report" gap_offsets)"
  expect_eq "$what: partitions from offset 0" "$4" \
    "$(grep -c '^partition [0-9]* count=[1-9][0-9]* first=0 ' "$report")"
}

# NDJSON with unique ids: PREFIX COUNT [PAD_BYTES]
make_messages() {
  awk -v prefix="$1" -v count="$2" -v pad="${3:-0}" 'BEGIN {
    filler = ""; while (length(filler) < pad) filler = filler "x"
    for (i = 1; i <= count; i++) printf "{\"id\":\"%s-%d\",\"pad\":\"%s\"}\n", prefix, i, filler
  }'
}

# ---- The broker, driven over its stdin/stdout as a coprocess.
start_broker --brokers 3 --topic alerts:4
[[ $BOOTSTRAP =~ ^(127\.0\.0\.1:[0-9]+,){2}127\.0\.0\.1:[0-9]+$ ]] ||
  fail "unexpected bootstrap: $BOOTSTRAP"

expect_eq "ping" "ok pong" "$(broker ping)"
expect_eq "unknown broker id" "error invalid broker id '9' (expected 1..3 or all)" "$(broker broker-down 9)"
expect_eq "unknown command" "error unknown command 'frobnicate' (try help)" "$(broker frobnicate)"
expect_eq "create-topic" "ok topic orders partitions=4 replication=3" \
  "$(broker create-topic orders 4)"
expect_eq "--topic pre-created" "error TOPIC_ALREADY_EXISTS: Broker: Topic already exists" \
  "$(broker create-topic alerts 4)"

# ---- 5,000 messages in, exactly 5,000 out.
make_messages order 5000 >"$WORK/orders.ndjson"
expect_eq "produce orders" "produced 5000" \
  "$(timeout 60 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic orders --key-from-field id \
       --header source=test "$WORK/orders.ndjson")"
timeout 60 "$COUNT" --bootstrap "$BOOTSTRAP" --topic orders --expect 5000 --linger 1000 \
  --out "$WORK/orders.out" >"$WORK/orders.report" || fail "consume orders: status $?"
expect_exact_report "orders" "$WORK/orders.report" 5000 4
sort "$WORK/orders.ndjson" >"$WORK/orders.sorted"
sort "$WORK/orders.out" | cmp -s - "$WORK/orders.sorted" || fail "--out differs from the input"
echo "ok: --out holds every payload once"
if command -v kcat >/dev/null; then
  expect_eq "kcat cross-check" 5000 \
    "$(timeout 60 kcat -b "$BOOTSTRAP" -C -t orders -e -q -f '%s\n' | wc -l)"
fi

# ---- A broker goes down and comes back while the producer runs: still exactly N.
make_messages alert 5000 >"$WORK/alerts.ndjson"
timeout 120 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic alerts --rate 2500 \
  --key-from-field id "$WORK/alerts.ndjson" >"$WORK/alerts.produced" 2>"$WORK/alerts.err" &
PRODUCER_PID=$!
EXTRA_PIDS+=("$PRODUCER_PID")
sleep 0.5
expect_eq "broker-down" "ok broker 2 down" "$(broker broker-down 2)"
sleep 1
expect_eq "broker-up" "ok broker 2 up" "$(broker broker-up 2)"
wait "$PRODUCER_PID" || fail "producer during outage: status $? ($(cat "$WORK/alerts.err"))"
expect_eq "produce through outage" "produced 5000" "$(cat "$WORK/alerts.produced")"
timeout 60 "$COUNT" --bootstrap "$BOOTSTRAP" --topic alerts --expect 5000 --linger 1000 \
  >"$WORK/alerts.report" || fail "consume alerts: status $?"
expect_exact_report "alerts after outage" "$WORK/alerts.report" 5000 4

# ---- Injected Fetch errors: a group consumer still gets everything exactly once.
# One partition leader per broker, so every broker serves Fetch requests.
for p in 0 1 2 3; do
  leader=$((p % 3 + 1))
  expect_eq "leader of orders/$p" "ok topic orders partition $p leader=$leader" \
    "$(broker partition-leader orders $p $leader)"
done
expect_eq "push-errors" "ok pushed 5 NOT_LEADER_FOR_PARTITION for Fetch" \
  "$(broker push-errors Fetch NOT_LEADER_OR_FOLLOWER 5)"
for id in 1 2 3; do
  expect_eq "broker-push-errors $id" \
    "ok pushed 3 NOT_LEADER_FOR_PARTITION for Fetch on broker $id" \
    "$(broker broker-push-errors $id Fetch NOT_LEADER_OR_FOLLOWER 3)"
done
timeout 90 "$COUNT" --bootstrap "$BOOTSTRAP" --topic orders --group fetch-errors \
  --expect 5000 --linger 1000 >"$WORK/fetch.report" || fail "consume with Fetch errors: status $?"
expect_exact_report "orders with Fetch errors" "$WORK/fetch.report" 5000 4
for id in 1 2 3; do  # The errors were really served, not left on the stack.
  expect_eq "Fetch errors used on broker $id" "ok 0" "$(broker error-stack $id Fetch)"
done

# ---- The retention trap: the 2.0.2 mock keeps ~5 MiB per partition and silently drops
# older data. ~7 MB into one partition loses the start; over four partitions it fits.
make_messages big 7000 1000 >"$WORK/big.ndjson"
expect_eq "create-topic narrow" "ok topic narrow partitions=1 replication=3" \
  "$(broker create-topic narrow 1)"
expect_eq "create-topic wide" "ok topic wide partitions=4 replication=3" \
  "$(broker create-topic wide 4)"
for topic in narrow wide; do
  expect_eq "produce $topic" "produced 7000" \
    "$(timeout 120 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic $topic --round-robin \
         "$WORK/big.ndjson")"
  timeout 60 "$COUNT" --bootstrap "$BOOTSTRAP" --topic $topic --eof >"$WORK/$topic.report" ||
    fail "consume $topic: status $?"
done
narrow_first=$(sed -n 's/^partition 0 count=[0-9]* first=\([0-9]*\) .*/\1/p' "$WORK/narrow.report")
[[ $narrow_first -gt 0 && $(fact "$WORK/narrow.report" total) -eq $((7000 - narrow_first)) ]] ||
  fail "narrow topic should have lost its oldest messages: $(cat "$WORK/narrow.report")"
echo "ok: one partition lost offsets 0..$((narrow_first - 1)) (first=$narrow_first visible)"
# A group that falls behind the retention is told so (auto.offset.reset=error), loudly.
timeout 60 "$COUNT" --bootstrap "$BOOTSTRAP" --topic narrow --group behind --eof \
  >"$WORK/behind1.report" || fail "consume narrow with a group: status $?"
expect_eq "group reads what is left" "$(fact "$WORK/narrow.report" total)" \
  "$(fact "$WORK/behind1.report" total)"
expect_eq "produce narrow again" "produced 7000" \
  "$(timeout 120 "$PRODUCE" --bootstrap "$BOOTSTRAP" --topic narrow "$WORK/big.ndjson")"
status=0
timeout 60 "$COUNT" --bootstrap "$BOOTSTRAP" --topic narrow --group behind --eof \
  -X auto.offset.reset=error >"$WORK/behind2.report" 2>"$WORK/behind2.err" || status=$?
expect_eq "exit status when the committed offset is gone" 1 "$status"
grep -q 'fatal consume error on partition 0: _AUTO_OFFSET_RESET: .*Offset out of range' \
  "$WORK/behind2.err" || fail "no offset-out-of-range report: $(cat "$WORK/behind2.err")"
echo "ok: offset out of range reported"
expect_eq "wide: total" 7000 "$(fact "$WORK/wide.report" total)"
expect_eq "wide: partitions from offset 0" 4 \
  "$(grep -c '^partition [0-9]* count=1750 first=0 last=1749 gaps=0$' "$WORK/wide.report")"

# ---- Clean shutdown: quit on stdin.
expect_eq "quit" "ok bye" "$(broker quit)"
status=0
wait "$BROKER_PID" || status=$?
BROKER_PID=""
expect_eq "broker exit status after quit" 0 "$status"

# Waits until FILE has at least N lines.
wait_for_lines() {
  local tries
  for ((tries = 0; tries < 300; tries++)); do
    [[ -f $1 && $(wc -l <"$1") -ge $2 ]] && return 0
    sleep 0.1
  done
  fail "$1: fewer than $2 lines after 30 s"
}

# ---- The TCP control port, with stdin ignored; `quit` over the port.
timeout 60 "$BROKER" --brokers 1 --no-stdin --control-port 0 </dev/null \
  >"$WORK/port.out" 2>>"$WORK/broker.log" &
PORT_BROKER_PID=$!
EXTRA_PIDS+=("$PORT_BROKER_PID")
wait_for_lines "$WORK/port.out" 2
control=$(sed -n 2p "$WORK/port.out")
[[ $control =~ ^control=127\.0\.0\.1:([0-9]+)$ ]] || fail "unexpected control line: $control"
exec {CONTROL}<>"/dev/tcp/127.0.0.1/${BASH_REMATCH[1]}"
printf 'ping\nbroker-down 1\nquit\n' >&"$CONTROL"
replies=()
for _ in 1 2 3; do
  IFS= read -r -t 30 -u "$CONTROL" reply || fail "no reply on the control port"
  replies+=("$reply")
done
exec {CONTROL}>&-
expect_eq "control port replies" "ok pong|ok broker 1 down|ok bye" "$(IFS='|'; echo "${replies[*]}")"
status=0
wait "$PORT_BROKER_PID" || status=$?
expect_eq "broker exit status after quit on the port" 0 "$status"

# ---- SIGTERM.
timeout 60 "$BROKER" --brokers 2 --no-stdin </dev/null >"$WORK/term.out" 2>>"$WORK/broker.log" &
TERM_BROKER_PID=$!
EXTRA_PIDS+=("$TERM_BROKER_PID")
wait_for_lines "$WORK/term.out" 1
kill -TERM "$TERM_BROKER_PID"  # timeout(1) passes it on to the broker.
status=0
wait "$TERM_BROKER_PID" || status=$?
expect_eq "broker exit status after SIGTERM" 0 "$status"

# ---- stdin EOF ends the broker after the commands before it.
output=$(printf 'ping\nrtt 1 5' | timeout 60 "$BROKER" --brokers 1 2>>"$WORK/broker.log")
expect_eq "stdin EOF" "ok pong|ok broker 1 rtt=5ms" "$(sed 1d <<<"$output" | paste -sd '|')"

echo "PASS"
