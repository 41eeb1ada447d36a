#!/usr/bin/env bash
# No secret and no issued token ever leaves secfeed through its observable outputs.
# secfeed runs at log level debug with every kind of secret configured and used:
#   * a tenant client secret, spent on the emulator's token endpoint (Entra ID) by an
#     eventhub source and a kafka sink with oauth (their Kafka endpoint does not exist:
#     errors logged);
#   * an Event Hubs connection string with a SAS key (its namespace does not exist);
#   * a proxy password, sent to a CONNECT proxy (started here) on every token request;
# plus a plain eventhub source on the test broker with poison records (dead letters).
# The config file is world-readable and holds literal secrets (warnings expected), and
# a syslog sink has insecure_skip_verify (warning expected at every start, also after a
# SIGHUP reload). Then every log line, /metrics, /readyz, the dead-letter file and the
# sink output are searched for each secret, its base64 forms and the emulator's token
# format ("emu." + base64url, fetched once with curl to confirm): none may appear.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

start_broker --brokers 1 --topic plain:1
start_emulator --tenants 1
TENANT=$(emulator_tenant 1)

# The token format, from the emulator itself.
token_json=$(curl -sS --max-time 30 --cacert "$TEST_CA_DIR/ca.pem" \
  -d "grant_type=client_credentials&client_id=$EMULATOR_CLIENT_ID&client_secret=$EMULATOR_CLIENT_SECRET&scope=https://graph.microsoft.com/.default" \
  "$EMULATOR_URL/$TENANT/oauth2/v2.0/token")
sample_token=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$token_json")
TOKEN_PATTERN='emu\.[A-Za-z0-9_-]{16,}'
[[ $sample_token =~ ^$TOKEN_PATTERN$ ]] || fail "unexpected token format: $sample_token"
echo "ok: the emulator issues tokens like emu.<base64url>"

# A CONNECT proxy with Basic auth; it logs each request's target and whether the
# credentials matched (never the credentials themselves).
PROXY_USER=secfeed-proxy
PROXY_PASSWORD="pr0xy-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
SAS_KEY="$(head -c 32 /dev/urandom | base64)"
CONNECTION_STRING="Endpoint=sb://localhost/;SharedAccessKeyName=listen;SharedAccessKey=$SAS_KEY;EntityPath=hub"
cat >"$WORK/proxy.py" <<'PY'
import base64, select, socket, sys, threading
user, password, log_path = sys.argv[1], sys.argv[2], sys.argv[3]
expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
log = open(log_path, "a")
lock = threading.Lock()
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(16)
print(server.getsockname()[1], flush=True)

def pump(a, b):
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], 60)
        if not readable:
            return
        for s in readable:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)

def handle(client):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(4096)
            if not chunk:
                return
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        ok = headers.get("proxy-authorization") == expected
        with lock:
            log.write("%s %s auth=%s\n" % (method, target, "ok" if ok else "bad"))
            log.flush()
        if method != "CONNECT" or not ok:
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                           b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            return
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=30)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        pump(client, upstream)
        upstream.close()
    except OSError:
        pass
    finally:
        client.close()

while True:
    connection, _ = server.accept()
    threading.Thread(target=handle, args=(connection,), daemon=True).start()
PY
timeout 280 python3 "$WORK/proxy.py" "$PROXY_USER" "$PROXY_PASSWORD" "$WORK/proxy.txt" \
  >"$WORK/proxy.port" 2>"$WORK/proxy-err.txt" &
EXTRA_PIDS+=("$!")
wait_for 30 "the proxy port" test -s "$WORK/proxy.port"
PROXY_PORT=$(head -n 1 "$WORK/proxy.port")

python3 "$GEN" --messages 100 --poison-every 10 --id-prefix s "$WORK/s.ndjson" >"$WORK/s.truth"
produce plain "$WORK/s.ndjson"
events=$(python3 -c "import json; print(json.load(open('$WORK/s.truth'))['events'])")

CONFIG="$WORK/secfeed.yaml"
cat >"$CONFIG" <<YAML
state_dir: $WORK/state
log: {level: debug}
metrics: {listen: "127.0.0.1:0"}
dead_letter: {path: $WORK/dead.jsonl}
tls: {ca_file: $TEST_CA_DIR/ca.pem}
proxy:
  url: http://127.0.0.1:$PROXY_PORT
  username: $PROXY_USER
  password: "$PROXY_PASSWORD"
tenants:
  - id: $TENANT
    client_id: $EMULATOR_CLIENT_ID
    client_secret: $EMULATOR_CLIENT_SECRET
    login_url: $EMULATOR_URL
sources:
  - name: plain
    type: eventhub
    kafka: {bootstrap_servers: ["$BOOTSTRAP"]}
    topic: plain
    consumer_group: g-secrets
    commit_interval: 200ms
  - name: hub-sas
    type: eventhub
    connection_string: "$CONNECTION_STRING"
    properties: {reconnect.backoff.ms: "200", reconnect.backoff.max.ms: "1000"}
  - name: hub-oauth
    type: eventhub
    oauth: {tenant: $TENANT, namespace: graph-hub.localhost}
    topic: hub
    properties: {reconnect.backoff.ms: "200", reconnect.backoff.max.ms: "1000"}
sinks:
  - name: out
    type: file
    path: $WORK/out.jsonl
    format: json
    filter: {sources: [plain]}
  - name: bus-oauth
    type: kafka
    oauth: {tenant: $TENANT, namespace: graph-hub.localhost}
    topic: out
    filter: {sources: [hub-oauth]}  # nothing arrives: its broker does not exist either
    properties: {reconnect.backoff.ms: "200", reconnect.backoff.max.ms: "1000"}
  - name: unverified
    type: syslog
    enabled: false
    url: tls://127.0.0.1:6514
    tls: {insecure_skip_verify: true}
YAML
chmod 0644 "$CONFIG"  # world-readable with literal secrets: warned about

"$SECFEED_BINARY" run -c "$CONFIG" --status-interval 1 --shutdown-timeout 3 >"$WORK/secfeed.log" 2>&1 &
PID=$!
EXTRA_PIDS+=("$PID")
wait_for 30 "the metrics line" grep -q "metrics: listening on http://" "$WORK/secfeed.log"
URL=$(grep -o 'metrics: listening on http://127.0.0.1:[0-9]*' "$WORK/secfeed.log" | head -n 1 | sed 's/.*on //')
metric() { curl -sS --max-time 10 "$URL/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }
token_refreshed() {  # both Kafka clients with Entra ID tokens: the source and the sink
  [[ $(metric 'secfeed_eventhub_token_refreshes_total{source="hub-oauth"}') -ge 1 ]] &&
    [[ $(metric 'secfeed_kafka_sink_token_refreshes_total{sink="bus-oauth"}') -ge 1 ]]
}
wait_for 90 "$events events from the plain source" has_lines "$events" "$WORK/out.jsonl"
wait_for 60 "a token for the oauth source and sink" token_refreshed
grep -q "^CONNECT 127.0.0.1:${EMULATOR_URL##*:} auth=ok$" "$WORK/proxy.txt" ||
  fail "the token request did not go through the proxy with its password: $(cat "$WORK/proxy.txt")"
echo "ok: the client secret and the proxy password were used"
# Let both broken Event Hubs sources fail a few times (their errors are logged).
sleep 3

# Warnings at start: literal secrets in a world-readable file, unverified TLS.
for key in "proxy.password" "tenants\[0\].client_secret" "sources\[1\].connection_string"; do
  grep -Eq "WARN .*$key: a literal secret in a file every user can read" "$WORK/secfeed.log" ||
    fail "no world-readable warning for $key"
done
expect_eq "insecure_skip_verify warnings after the first start" 1 \
  "$(grep -c "insecure_skip_verify: the receiver's certificate is not verified" "$WORK/secfeed.log")"

curl -sS --max-time 10 "$URL/metrics" >"$WORK/metrics.txt"
curl -sS --max-time 10 "$URL/readyz" >"$WORK/readyz.json" || true

# A reload (same file): the warnings are logged again at the new start.
kill -HUP "$PID"
wait_for 60 "the second start" eval '(($(grep -c "started:" "$WORK/secfeed.log") == 2))'
wait_for 30 "the second metrics line" eval '(($(grep -c "metrics: listening on" "$WORK/secfeed.log") == 2))'
expect_eq "insecure_skip_verify warnings after the reload" 2 \
  "$(grep -c "insecure_skip_verify: the receiver's certificate is not verified" "$WORK/secfeed.log")"
URL=$(grep -o 'metrics: listening on http://127.0.0.1:[0-9]*' "$WORK/secfeed.log" | tail -n 1 | sed 's/.*on //')
wait_for 60 "a token after the reload" token_refreshed
curl -sS --max-time 10 "$URL/metrics" >>"$WORK/metrics.txt"
curl -sS --max-time 10 "$URL/readyz" >>"$WORK/readyz.json" || true
kill -TERM "$PID"
timeout 60 tail --pid="$PID" -f /dev/null || fail "secfeed did not stop"
wait "$PID" || true

# The scan. Each secret as given, base64-encoded (the proxy's Basic credentials), and
# every token-shaped string.
[[ -s $WORK/dead.jsonl ]] || fail "no dead letters were written (nothing to scan)"
scanned=("$WORK/secfeed.log" "$WORK/metrics.txt" "$WORK/readyz.json" "$WORK/dead.jsonl" "$WORK/out.jsonl")
secrets=("$EMULATOR_CLIENT_SECRET" "$SAS_KEY" "$CONNECTION_STRING" "$PROXY_PASSWORD"
  "$(printf '%s:%s' "$PROXY_USER" "$PROXY_PASSWORD" | base64 -w0)"
  "$(printf '%s' "$EMULATOR_CLIENT_SECRET" | base64 -w0)" "$sample_token")
for secret in "${secrets[@]}"; do
  if grep -rlF -- "$secret" "${scanned[@]}"; then
    fail "a secret (${#secret} chars, starting ${secret:0:3}) appears in the files above"
  fi
done
if grep -Eo -- "$TOKEN_PATTERN" "${scanned[@]}" | head -n 3 | grep .; then
  fail "an issued token appears in secfeed's output"
fi
echo "ok: ${#secrets[@]} secrets and the token pattern appear in none of ${#scanned[@]} outputs ($(cat "${scanned[@]}" | wc -c) bytes)"
echo "PASS"
