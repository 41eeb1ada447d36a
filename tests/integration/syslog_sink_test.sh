#!/usr/bin/env bash
# The syslog sink against a real receiver (rsyslogd, Debian), end to end:
# test broker -> secfeed run (eventhub source) -> syslog sink (CEF, RFC 5424) -> rsyslog
# imtcp -> a file with one %msg% per line:
#   1. tcp://, octet counting: every event exactly once, each line parses with jc --cef;
#   2. rsyslog restarted between two halves of a stream (down 3 s, the second half
#      produced meanwhile): no event lost, duplicates counted (at-least-once);
#   3. tls:// (rsyslog gtls driver, certificates made here by openssl), LF framing;
#      a certificate for another name is refused;
#   4. udp://: one datagram per message.
# rsyslogd runs in the foreground with its own config, work dir and port: it never
# touches the system's rsyslog.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY" "$RSYSLOGD"
command -v jc >/dev/null || fail "jc not installed"
GEN="$SECFEED_SOURCE_DIR/tests/tools/gen_defender_records.py"

start_broker --brokers 1 --topic s1:2 --topic s2:2 --topic s3:2 --topic s4:2 --topic s5:1

# write_rsyslog_conf NAME PORT OUT [TLS]: imtcp (plain or gtls) + imudp -> OUT, msg only.
write_rsyslog_conf() {
  local dir driver=""
  dir=$(rsyslog_dir "$1")
  if [[ ${4:-} == tls ]]; then
    driver="global(defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=\"$WORK/ca.pem\"
       defaultNetstreamDriverCertFile=\"$WORK/server.pem\" defaultNetstreamDriverKeyFile=\"$WORK/server.key\")"
  fi
  cat >"$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir" maxMessageSize="64k")
$driver
module(load="imtcp" $([[ ${4:-} == tls ]] && echo 'streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon"'))
input(type="imtcp" port="$2" address="127.0.0.1")
module(load="imudp")
input(type="imudp" port="$2" address="127.0.0.1" rcvbufSize="8m")
template(name="msgonly" type="string" string="%msg%\n")
action(type="omfile" file="$3" template="msgonly")
CONF
}

write_config() {  # NAME TOPIC URL [EXTRA SINK YAML]
  cat >"$WORK/$1.yaml" <<YAML
state_dir: $WORK/state-$1
metrics: {listen: "127.0.0.1:0"}  # several instances run at once
log: {level: info}
dead_letter: {path: $WORK/$1-dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["${BOOTSTRAP//,/\",\"}"]}
    topic: $2
    consumer_group: g-$1
    commit_interval: 200ms
sinks:
  - name: siem
    type: syslog
    url: $3
    format: cef
    hostname: secfeed-test
    retry: {initial: 100ms, max: 1s}
${4:-}
  - name: truth
    type: file
    path: $WORK/$1.truth.cef
    format: cef
YAML
}




# missing TRUTH RECEIVED: how many lines of TRUTH (a multiset: the CEF of two events can
# be equal) RECEIVED lacks. The truth is a file sink of the same instance.
missing() {
  python3 - "$1" "$2" <<'PY'
import collections, sys
truth = collections.Counter(open(sys.argv[1], encoding="utf-8").read().splitlines())
got = collections.Counter(open(sys.argv[2], encoding="utf-8").read().splitlines()) \
    if __import__("os").path.exists(sys.argv[2]) else collections.Counter()
print(sum((truth - got).values()))
PY
}
none_missing() { [[ $(missing "$1" "$2") == 0 ]]; }
cef_parsed() {  # FILE: how many lines jc parses as CEF without a parse error
  timeout 120 jc --cef <"$1" | python3 -c 'import json,sys
print(sum(1 for r in json.load(sys.stdin) if r.get("deviceVendor") == "Microsoft" and "_jc_meta" not in r))'
}

PORT=$(free_port)
[[ -n $PORT ]] || fail "no free port"

# ---- 1. tcp://, octet counting: exactly once, valid CEF.
python3 "$GEN" --messages 1000 --id-prefix a "$WORK/a.ndjson" >"$WORK/a.truth"
events=$(truth "$WORK/a.truth" events)
write_rsyslog_conf one "$PORT" "$WORK/one.received"
start_rsyslog one "$PORT"
produce s1 "$WORK/a.ndjson"
write_config one s1 "tcp://127.0.0.1:$PORT"
start_secfeed one
wait_for 90 "$events events at rsyslog" has_lines "$events" "$WORK/one.received"
sleep 1  # anything beyond the expected count would show up now
stop_secfeed one
expect_eq "events received by rsyslog" "$events" "$(lines "$WORK/one.received")"
expect_eq "every event's CEF line, exactly" "$(sort "$WORK/one.truth.cef")" "$(sort "$WORK/one.received")"
expect_eq "lines that parse as CEF (jc --cef)" "$events" "$(cef_parsed "$WORK/one.received")"

# ---- 2. rsyslog restarted between two halves of a stream (down 3 s): nothing lost.
# The second half is produced while rsyslog is down: the sink finds its connection
# closed, retries with backoff, and reconnects once rsyslog is back.
# rsyslog is stopped only once the first half is entirely at rsyslog, so the connection
# is idle: plain TCP syslog has no acknowledgements (RFC 6587), and what a receiver that
# stops in the middle of a stream has not read yet is lost without the sender knowing
# (a write into its socket "succeeds"). Under load, "one line in the truth file, then
# 1 s" used to stop rsyslog mid-stream and lose the batch in flight.
python3 "$GEN" --messages 1500 --id-prefix b1 "$WORK/b1.ndjson" >"$WORK/b1.truth"
python3 "$GEN" --messages 1500 --id-prefix b2 "$WORK/b2.ndjson" >"$WORK/b2.truth"
first_half=$(truth "$WORK/b1.truth" events)
events=$((first_half + $(truth "$WORK/b2.truth" events)))
stop_rsyslog one
rm -f "$WORK/one.received"
start_rsyslog one "$PORT"
write_config two s2 "tcp://127.0.0.1:$PORT"
start_secfeed two
produce s2 "$WORK/b1.ndjson"
wait_for 120 "the first half in the truth file" has_lines "$first_half" "$WORK/two.truth.cef"
wait_for 120 "the first half at rsyslog" none_missing "$WORK/two.truth.cef" "$WORK/one.received"
stop_rsyslog one
produce s2 "$WORK/b2.ndjson"
sleep 3
start_rsyslog one "$PORT"
wait_for 120 "all events after the restart" has_lines "$events" "$WORK/two.truth.cef"
wait_for 120 "all events at rsyslog after the restart" none_missing "$WORK/two.truth.cef" "$WORK/one.received"
sleep 1
stop_secfeed two
expect_eq "no event lost across the rsyslog restart" 0 "$(missing "$WORK/two.truth.cef" "$WORK/one.received")"
echo "info: rsyslog restart: $(($(lines "$WORK/one.received") - events)) duplicates of $events events (at-least-once)"
stop_rsyslog one

# ---- 3. tls:// to rsyslog's gtls driver, verified against our own CA, LF framing.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=secfeed test CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$WORK/server.key" \
  -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' >"$WORK/san.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
  -CAcreateserial -days 2 -extfile "$WORK/san.ext" -out "$WORK/server.pem" 2>/dev/null
python3 "$GEN" --messages 500 --id-prefix c "$WORK/c.ndjson" >"$WORK/c.truth"
events=$(truth "$WORK/c.truth" events)
TLS_PORT=$(free_port)
write_rsyslog_conf tls "$TLS_PORT" "$WORK/tls.received" tls
start_rsyslog tls "$TLS_PORT"
produce s3 "$WORK/c.ndjson"
write_config three s3 "tls://localhost:$TLS_PORT" "    framing: lf
    tls: {ca_file: $WORK/ca.pem}"
start_secfeed three
wait_for 90 "$events events over TLS" has_lines "$events" "$WORK/tls.received"
sleep 1
stop_secfeed three
expect_eq "events received over TLS" "$events" "$(lines "$WORK/tls.received")"
expect_eq "every event's CEF line over TLS" "$(sort "$WORK/three.truth.cef")" "$(sort "$WORK/tls.received")"

# A certificate for another name is refused (host name verification): nothing delivered.
produce s5 "$WORK/c.ndjson"
write_config five s5 "tls://127.0.0.1:$TLS_PORT" "    tls: {ca_file: $WORK/ca.pem, server_name: other.example}"
start_secfeed five
wait_for 60 "the handshake refused" grep -q "TLS handshake failed.*hostname mismatch" "$WORK/five.log"
kill -KILL "$PID_five"  # its events are still queued: a drain would wait for them
wait "$PID_five" 2>/dev/null || true
expect_eq "events received with a wrong server name" "$events" "$(lines "$WORK/tls.received")"
stop_rsyslog tls

# ---- 4. udp://: one datagram per message. UDP has no flow control: the sink writes a
# batch back to back, so rsyslog gets a receive buffer (8 MiB) that holds the whole burst
# of ~300 KB (the default ~200 KB dropped datagrams under load).
python3 "$GEN" --messages 100 --id-prefix d "$WORK/d.ndjson" >"$WORK/d.truth"
events=$(truth "$WORK/d.truth" events)
write_rsyslog_conf udp "$PORT" "$WORK/udp.received"
start_rsyslog udp "$PORT"
produce s4 "$WORK/d.ndjson"
write_config four s4 "udp://127.0.0.1:$PORT" "    batch: {max_events: 20}"
start_secfeed four
wait_for 60 "$events events over UDP" has_lines "$events" "$WORK/udp.received"
sleep 1
stop_secfeed four
expect_eq "every event's CEF line over UDP" "$(sort "$WORK/four.truth.cef")" "$(sort "$WORK/udp.received")"
stop_rsyslog udp
echo "PASS"
