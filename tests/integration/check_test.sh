#!/usr/bin/env bash
# `secfeed check` against the HTTPS emulator (Entra ID + Graph + Logs Ingestion) and the
# test Kafka broker:
#   1. a config with problems: tenant 2 has a wrong client secret, an event hub that
#      does not exist, a syslog receiver on a closed port, a file sink in a missing
#      directory -> exit 1 and exactly these rows and reasons;
#   2. a 403 on /v1.0/security/incidents (tenant 1) and on the DCR -> the missing Graph
#      permission and the Monitoring Metrics Publisher hint;
#   3. a good config -> exit 0, every row ok; the text table has the same rows;
#   4. an invalid config -> exit 2.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$SECFEED_BINARY"

mkdir -p "$WORK/out"
cat >"$WORK/streams.json" <<'JSON'
{"Custom-SecfeedAlerts_CL": {"columns": [{"name": "TimeGenerated", "type": "datetime"}]}}
JSON
start_emulator --tenants 2 --alerts-per-tenant 20 --streams "$WORK/streams.json"
start_broker --brokers 1 --topic defender:3
# The mock cluster creates every topic a client asks for; these report errors instead.
expect_eq "broker: unknown topic" "ok topic nope error=UNKNOWN_TOPIC_OR_PART" \
  "$(broker topic-error nope UNKNOWN_TOPIC_OR_PART)"
expect_eq "broker: forbidden topic" "ok topic locked error=TOPIC_AUTHORIZATION_FAILED" \
  "$(broker topic-error locked TOPIC_AUTHORIZATION_FAILED)"

T1=$(emulator_tenant 1)
T2=$(emulator_tenant 2)
CLOSED_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# A syslog receiver that accepts connections (the good config), for the test's lifetime.
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.close()
' >"$WORK/listener.port" 2>"$WORK/listener.log" </dev/null &
EXTRA_PIDS+=("$!")
wait_for 10 "syslog listener" test -s "$WORK/listener.port"
OPEN_PORT=$(cat "$WORK/listener.port")

tenant_yaml() {  # NAME ID SECRET
  cat <<YAML
  - {name: $1, id: $2, client_id: $EMULATOR_CLIENT_ID, client_secret: "$3",
     login_url: "$EMULATOR_URL", graph_url: "$EMULATOR_URL"}
YAML
}

cat >"$WORK/bad.yaml" <<YAML
state_dir: $WORK/state
tls: {ca_file: $TEST_CA_DIR/ca.pem}
tenants:
$(tenant_yaml contoso "$T1" "$EMULATOR_CLIENT_SECRET")
$(tenant_yaml fabrikam "$T2" wrong-secret)
sources:
  - {name: alerts, type: graph_alerts}
  - {name: incidents, type: graph_incidents, tenants: [$T1]}
  - {name: defender, type: eventhub, kafka: {bootstrap_servers: "$BOOTSTRAP"}, topic: defender}
  - {name: missing-hub, type: eventhub, kafka: {bootstrap_servers: "$BOOTSTRAP"}, topic: nope}
  - {name: locked-hub, type: eventhub, kafka: {bootstrap_servers: "$BOOTSTRAP"}, topic: locked}
sinks:
  - {name: siem, type: syslog, url: "tcp://127.0.0.1:$CLOSED_PORT"}
  - {name: siem-tls, type: syslog, url: "tls://127.0.0.1:${EMULATOR_URL##*:}",
     tls: {ca_file: $TEST_CA_DIR/ca.pem, server_name: siem.example.net}}
  - {name: events, type: file, path: $WORK/out/events.jsonl}
  - {name: lost, type: file, path: $WORK/missing/events.jsonl}
  - {name: sentinel, type: log_analytics, endpoint: "$EMULATOR_URL", tenant: $T1,
     dcr_immutable_id: dcr-0123456789abcdef0123456789abcdef, stream: Custom-SecfeedAlerts_CL}
YAML

chmod o-r "$WORK/bad.yaml"  # it holds literal secrets (else: a warning)

# run_check NAME CONFIG: runs secfeed check (JSON); sets STATUS, output in $WORK/NAME.json.
run_check() {
  set +e
  timeout 120 "$SECFEED_BINARY" check -c "$2" --timeout 3s --format json \
    >"$WORK/$1.json" 2>"$WORK/$1.log"
  STATUS=$?
  set -e
}

# rows NAME: one "component | target | result | detail" line per check.
rows() {
  python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    print(" | ".join([c["component"], c["target"], c["result"], c["detail"]]))
' "$WORK/$1.json"
}

# 1. problems
run_check bad "$WORK/bad.yaml"
expect_eq "bad config: exit status" 1 "$STATUS"
expected=$(cat <<TXT
state_dir | $WORK/state | ok | does not exist yet; the daemon creates it in $WORK
tenant contoso | $T1 | ok | token for https://graph.microsoft.com/.default (client $EMULATOR_CLIENT_ID)
tenant fabrikam | $T2 | FAIL | AADSTS7000215: the client secret is wrong: configure the secret's VALUE (not its ID) of this app
source alerts | contoso /security/alerts_v2 | ok | HTTP 200 (SecurityAlert.Read.All granted)
source alerts | fabrikam /security/alerts_v2 | skipped | no token for this tenant (see its tenant row)
source incidents | contoso /security/incidents | ok | HTTP 200 (SecurityIncident.Read.All granted)
source defender | $BOOTSTRAP topic defender | ok | topic 'defender': 3 partitions, 1 brokers
source missing-hub | $BOOTSTRAP topic nope | FAIL | unknown topic 'nope' (check topic / the EntityPath)
source locked-hub | $BOOTSTRAP topic locked | FAIL | not authorized for topic 'locked' (Event Hubs: a Listen/Send policy or the Data Receiver/Sender role)
sink siem | tcp://127.0.0.1:$CLOSED_PORT | FAIL | connect error: Connection refused
sink siem-tls | tls://127.0.0.1:${EMULATOR_URL##*:} | FAIL | TLS error: handshake failed: certificate verify failed (SSL routines) (hostname mismatch)
sink events | $WORK/out/events.jsonl | ok | directory writable
sink lost | $WORK/missing/events.jsonl | FAIL | directory $WORK/missing is not usable: No such file or directory
sink sentinel | Custom-SecfeedAlerts_CL | ok | HTTP 204 (empty batch accepted)
TXT
)
expect_eq "bad config: rows" "$expected" "$(rows bad)"
[[ ! -e $WORK/out/events.jsonl ]] || fail "check created the file sink's file"
expect_eq "bad config: no rows ingested" 0 \
  "$(emulator_api GET ingested | python3 -c 'import json,sys; print(json.load(sys.stdin)["streams"]["Custom-SecfeedAlerts_CL"])')"

# 2. missing permissions
emulator_api POST faults "[{\"path_prefix\": \"/v1.0/security/incidents\", \"tenant\": \"$T1\", \"status\": 403, \"count\": -1},
  {\"path_prefix\": \"/dataCollectionRules/\", \"status\": 403, \"count\": -1}]" >/dev/null
run_check forbidden "$WORK/bad.yaml"
expect_eq "403: exit status" 1 "$STATUS"
rows forbidden >"$WORK/forbidden.rows"
expect_eq "403: Graph permission hint" \
  "source incidents | contoso /security/incidents | FAIL | missing the Microsoft Graph application permission SecurityIncident.Read.All: add it to the app registration and grant admin consent in this tenant (HTTP 403 Forbidden: Injected fault: HTTP 403.)" \
  "$(grep '^source incidents' "$WORK/forbidden.rows")"
expect_eq "403: other tenant's Graph rows unaffected" "source alerts | contoso /security/alerts_v2 | ok | HTTP 200 (SecurityAlert.Read.All granted)" \
  "$(grep '^source alerts | contoso' "$WORK/forbidden.rows")"
expect_eq "403: DCR role hint" \
  "sink sentinel | Custom-SecfeedAlerts_CL | FAIL | grant Monitoring Metrics Publisher on the DCR to the app (client $EMULATOR_CLIENT_ID) (HTTP 403 Forbidden: The authentication token provided does not have access to ingest data for the data collection rule.)" \
  "$(grep '^sink sentinel' "$WORK/forbidden.rows")"
emulator_api DELETE faults >/dev/null

# 3. a good config
mkdir -p "$WORK/state-good"
cat >"$WORK/good.yaml" <<YAML
state_dir: $WORK/state-good
tls: {ca_file: $TEST_CA_DIR/ca.pem}
tenants:
$(tenant_yaml contoso "$T1" "$EMULATOR_CLIENT_SECRET")
sources:
  - {name: alerts, type: graph_alerts}
  - {name: incidents, type: graph_incidents}
  - {name: legacy, type: graph_legacy_alerts}
  - {name: score, type: secure_score}
  - {name: defender, type: eventhub, kafka: {bootstrap_servers: "$BOOTSTRAP"}, topic: defender}
  - {name: off, type: eventhub, enabled: false, kafka: {bootstrap_servers: "127.0.0.1:1"}, topic: x}
sinks:
  - {name: siem, type: syslog, url: "tcp://127.0.0.1:$OPEN_PORT"}
  - {name: siem-tls, type: syslog, url: "tls://localhost:${EMULATOR_URL##*:}",
     tls: {ca_file: $TEST_CA_DIR/ca.pem}}
  - {name: siem-udp, type: syslog, url: "udp://localhost:$CLOSED_PORT"}
  - {name: lake, type: kafka, bootstrap_servers: "$BOOTSTRAP", topic: "secfeed.{kind}"}
  - {name: events, type: file, path: $WORK/out/events.jsonl}
  - {name: sentinel, type: log_analytics, endpoint: "$EMULATOR_URL",
     dcr_immutable_id: dcr-0123456789abcdef0123456789abcdef, stream: Custom-SecfeedAlerts_CL}
YAML
chmod o-r "$WORK/good.yaml"
run_check good "$WORK/good.yaml"
expect_eq "good config: exit status" 0 "$STATUS"
expected=$(cat <<TXT
state_dir | $WORK/state-good | ok | writable
tenant contoso | $T1 | ok | token for https://graph.microsoft.com/.default (client $EMULATOR_CLIENT_ID)
source alerts | contoso /security/alerts_v2 | ok | HTTP 200 (SecurityAlert.Read.All granted)
source incidents | contoso /security/incidents | ok | HTTP 200 (SecurityIncident.Read.All granted)
source legacy | contoso /security/alerts | ok | HTTP 200 (SecurityEvents.Read.All granted)
source score | contoso /security/secureScores | ok | HTTP 200 (SecurityEvents.Read.All granted)
source score | contoso /security/secureScoreControlProfiles | ok | HTTP 200 (SecurityEvents.Read.All granted)
source defender | $BOOTSTRAP topic defender | ok | topic 'defender': 3 partitions, 1 brokers
source off | eventhub | skipped | disabled
sink siem | tcp://127.0.0.1:$OPEN_PORT | ok | connected
sink siem-tls | tls://localhost:${EMULATOR_URL##*:} | ok | connected, TLS handshake done, certificate and host name verified
sink siem-udp | udp://localhost:$CLOSED_PORT | ok | resolved (udp: no connection to test)
sink lake | $BOOTSTRAP topic secfeed.{kind} | ok | cluster reachable, 1 brokers (topic template not checked)
sink events | $WORK/out/events.jsonl | ok | directory writable
sink sentinel | Custom-SecfeedAlerts_CL | ok | HTTP 204 (empty batch accepted)
TXT
)
expect_eq "good config: rows" "$expected" "$(rows good)"
expect_eq "good config: json ok" True "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ok"])' "$WORK/good.json")"

# The text table: a header, one aligned line per check, a summary.
timeout 120 "$SECFEED_BINARY" check -c "$WORK/good.yaml" --timeout 3s >"$WORK/good.txt" 2>"$WORK/good-text.log" ||
  fail "text format: exit status $?"
expect_eq "text: header" "COMPONENT TARGET RESULT DETAIL" "$(head -1 "$WORK/good.txt" | tr -s ' ')"
expect_eq "text: a row" "sink siem tcp://127.0.0.1:$OPEN_PORT ok connected" \
  "$(grep '^sink siem ' "$WORK/good.txt" | tr -s ' ')"
expect_eq "text: summary" "15 checks: 14 ok, 0 failed, 1 skipped" "$(tail -1 "$WORK/good.txt")"

# 4. an invalid config
printf 'sources: []\nsinks: []\nbogus: 1\n' >"$WORK/invalid.yaml"
run_check invalid "$WORK/invalid.yaml"
expect_eq "invalid config: exit status" 2 "$STATUS"
grep -q "bogus: unknown key" "$WORK/invalid.log" || fail "invalid config: no error: $(cat "$WORK/invalid.log")"
echo "PASS"
