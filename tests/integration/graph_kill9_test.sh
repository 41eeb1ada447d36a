#!/usr/bin/env bash
# Graph pollers survive kill -9: one tenant with 3000 alerts (and their incidents), every
# Graph answer slowed to 100 ms so a full read takes several seconds; secfeed is killed
# with SIGKILL 12 times at random moments (150 new alerts arrive before each)
# and restarted each time with the same state_dir. After a last round with status
# changes and a clean stop, every ground-truth version is in the output (nothing lost),
# and the duplicates - the pages that were delivered but not yet committed when a kill
# came - number at most kills x one page per stream.
#
# Nothing is superseded while secfeed is down or behind (a version replaced before any
# poll is one no poller could have seen, and the ground truth would rightly still list
# it): the alerts added between kills open their own incidents (join_incidents: false),
# and status changes come only once secfeed has caught up.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/graph.sh"
require_tools "$SECFEED_BINARY"

KILLS=12
start_emulator --tenants 1 --alerts-per-tenant 3000 --history-hours 3 --seed 23
graph_use_tenants 1 1
GRAPH_SOURCES=(graph_alerts graph_incidents)
GRAPH_PAGE_SIZE=([graph_alerts]=100 [graph_incidents]=50)
GRAPH_LOOKBACK=4h
GRAPH_LAG=1s  # the alerts added between kills are read within the next rounds
graph_write_config run
emulator_api POST faults '{"path_prefix": "/v1.0/security/", "delay_ms": 100, "count": -1}' >/dev/null

# One page per (source, tenant) stream may be delivered but uncommitted at a kill.
page_sum=$((GRAPH_PAGE_SIZE[graph_alerts] + GRAPH_PAGE_SIZE[graph_incidents]))
RANDOM=$$
graph_start run
for ((kill = 1; kill <= KILLS; kill++)); do
  emulator_api POST advance '{"alerts": 150, "visible_after_ms": 300, "join_incidents": false}' >/dev/null
  # 0.3 .. 2.5 s: during startup, the token request, the first pages or a commit.
  sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 0.3 + (r % 220) / 100}')"
  graph_alive || fail "secfeed exited on its own before kill $kill"
  graph_kill9
  delivered=$(graph_lines "$WORK/run.out")
  echo "kill -9 #$kill: $delivered lines in the output so far"
  graph_start run
done

emulator_api DELETE faults >/dev/null
graph_wait_complete run 120
echo "ok: caught up after the kills"
# Status changes of alerts (history and new) that secfeed delivered: each new version too.
emulator_api POST advance '{"alerts": 30, "updates": 200, "visible_after_ms": 1000}' >/dev/null
sleep 1.3
graph_wait_complete run 60
graph_stop

bound=$((KILLS * page_sum))
for source in "${GRAPH_SOURCES[@]}"; do
  graph_expect_exact run "$source" --max-duplicates "$bound"
done
report=$(graph_compare run graph_alerts alerts --quiet --max-duplicates "$bound")
duplicates=${report##*duplicates=}
duplicates=${duplicates%% *}
report=$(graph_compare run graph_incidents incidents --quiet --max-duplicates "$bound")
more=${report##*duplicates=}
duplicates=$((duplicates + ${more%% *}))
echo "duplicates after $KILLS kills: $duplicates (bound: $KILLS kills x $page_sum = $bound)"
((duplicates <= bound)) || fail "more duplicates than one uncommitted page per stream per kill"
grep -q "removed a partial last line" "$WORK/run.log" && echo "note: the file sink cut a partial line after a kill"
echo "PASS"
