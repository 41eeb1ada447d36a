#!/usr/bin/env bash
# CEF / syslog injection through the whole daemon: Defender for Cloud alerts whose text
# fields hold CR, LF, `|`, `=`, `\`, a fake CEF header and a fake syslog header go
# test broker -> secfeed run (eventhub source) -> syslog sinks (tcp, octet counting and
# LF framing) -> real rsyslog -> one %msg% per line. Then, for both framings:
#   * exactly one line per alert (no alert split into two, none merged);
#   * every line equals the encoder's own output (a file sink of the same instance);
#   * a strict CEF parser (below) reads 7 header fields and the extension, and the
#     unescaped title / description / host name equal the input (headers
#     cannot carry CR/LF: they read as spaces, as the CEF spec requires);
#   * jc --cef (raw mode) parses every line whose header it can handle (jc 1.22.5
#     rejects any `\`, `=` or `|` in a header field, see tests/unit/jc_roundtrip_test.cpp)
#     and its unescaped msg equals the input description.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
require_tools "$PRODUCE" "$SECFEED_BINARY" "$RSYSLOGD"
command -v jc >/dev/null || fail "jc not installed"

start_broker --brokers 1 --topic hostile:1

# ---- The hostile alerts: one Event Hubs message each, from a real Defender template.
python3 - "$SECFEED_SOURCE_DIR/tests/fixtures/defender/alerts_flat.json" "$WORK/hostile.ndjson" \
  "$WORK/expected.json" <<'PY'
import copy, json, sys
template = json.load(open(sys.argv[1]))[0]
texts = [
    "line one\nline two\r\nline three\rend",
    "pipes | in | the | middle|",
    "key=value and a=b==c =",
    "back\\slash \\\\ double \\n not a newline \\= \\|",
    "CEF:0|evil|fake|1.0|100|Injected alert|10|src=6.6.6.6 msg=pwned",
    "<13>1 2024-05-14T08:00:00Z evil-host evil - - - injected syslog line",
    "\nCEF:0|evil|x|1|2|3|4|act=deny\n<34>Oct 11 22:14:15 mymachine su: fake",
    "mixed: |=\\ \r\n|=\\ end\\",
]
records, expected = [], []
for i, text in enumerate(texts):
    for where in ("title", "description"):
        record = copy.deepcopy(template)
        record["SystemAlertId"] = "hostile-%d-%s" % (i, where)
        record["AlertDisplayName"] = text if where == "title" else "Hostile alert %d" % i
        record["Description"] = text if where == "description" else "Plain description %d" % i
        record["Entities"][0]["HostName"] = "host|%d=\\x\ny" % i  # the host entity
        records.append(record)
        expected.append({"id": record["SystemAlertId"], "title": record["AlertDisplayName"],
                         "description": record["Description"],
                         "host": record["Entities"][0]["HostName"]})
with open(sys.argv[2], "w") as out:
    for record in records:
        out.write(json.dumps({"records": [record]}) + "\n")
json.dump(expected, open(sys.argv[3], "w"))
PY
alerts=$(wc -l <"$WORK/hostile.ndjson")
produce hostile "$WORK/hostile.ndjson"

# ---- rsyslog: one imtcp input per framing, each writing %msg% lines to its own file.
OCTET_PORT=$(free_port)
LF_PORT=$(free_port)
RSYSLOG_DIR=$(rsyslog_dir receiver)
cat >"$RSYSLOG_DIR/rsyslog.conf" <<CONF
global(workDirectory="$RSYSLOG_DIR" maxMessageSize="64k")
module(load="imtcp")
template(name="msgonly" type="string" string="%msg%\n")
ruleset(name="octet") { action(type="omfile" file="$WORK/octet.received" template="msgonly") }
ruleset(name="lf") { action(type="omfile" file="$WORK/lf.received" template="msgonly") }
input(type="imtcp" port="$OCTET_PORT" address="127.0.0.1" ruleset="octet")
input(type="imtcp" port="$LF_PORT" address="127.0.0.1" ruleset="lf")
CONF
start_rsyslog receiver "$OCTET_PORT" "$LF_PORT"

cat >"$WORK/secfeed.yaml" <<YAML
state_dir: $WORK/state
log: {level: info}
metrics: {enabled: false}
dead_letter: {path: $WORK/dead.jsonl}
sources:
  - name: mdc
    type: eventhub
    kafka: {bootstrap_servers: ["$BOOTSTRAP"]}
    topic: hostile
    consumer_group: g-hostile
    commit_interval: 200ms
sinks:
  - name: octet
    type: syslog
    url: tcp://127.0.0.1:$OCTET_PORT
    framing: octet_counting
    format: cef
    hostname: secfeed-test
  - name: lf
    type: syslog
    url: tcp://127.0.0.1:$LF_PORT
    framing: lf
    format: cef
    hostname: secfeed-test
  - name: truth
    type: file
    path: $WORK/truth.cef
    format: cef
YAML
start_secfeed secfeed
wait_for 90 "$alerts alerts in the truth file" has_lines "$alerts" "$WORK/truth.cef"
wait_for 90 "$alerts lines (octet counting)" has_lines "$alerts" "$WORK/octet.received"
wait_for 90 "$alerts lines (LF framing)" has_lines "$alerts" "$WORK/lf.received"
sleep 1  # a split alert would show up as extra lines now
stop_secfeed secfeed
[[ ! -s $WORK/dead.jsonl ]] || fail "alerts were dead-lettered: $(head -c 500 "$WORK/dead.jsonl")"

cat >"$WORK/check.py" <<'PY'
"""Strict CEF reading of each received line, compared with the input alerts."""
import json, re, subprocess, sys

received_path, truth_path, expected_path = sys.argv[1:4]
received = open(received_path, encoding="utf-8").read().split("\n")
assert received[-1] == "", "the file does not end with a newline"
received = received[:-1]
truth = open(truth_path, encoding="utf-8").read().split("\n")[:-1]
expected = {e["id"]: e for e in json.load(open(expected_path))}
problems = []
if len(received) != len(expected):
    problems.append("%d lines for %d alerts" % (len(received), len(expected)))
if sorted(received) != sorted(truth):
    problems.append("the received lines differ from the encoder's output")

def split_header(line):
    """7 header fields split on unescaped '|', unescaped; then the extension."""
    fields, current, i = [], "", 0
    while len(fields) < 7:
        if i >= len(line):
            raise ValueError("fewer than 8 '|'-separated parts")
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in "\\|":
            current += line[i + 1]
            i += 2
        elif c == "|":
            fields.append(current)
            current = ""
            i += 1
        else:
            current += c
            i += 1
    return fields, line[i:]

def parse_extension(text):
    """key=value pairs; a key starts after a space and ends at an unescaped '='."""
    pairs, starts = {}, [m.start(1) for m in re.finditer(r"(?:^| )([A-Za-z0-9_]+)=", text)]
    # Keep only starts whose '=' is not escaped (the regex never matches '\=').
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        key, _, value = text[start:end].partition("=")
        if key in pairs:
            raise ValueError("key %s twice" % key)
        pairs[key] = unescape(value)
    return pairs

def unescape(value):
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in "\\=nr":
            out += {"n": "\n", "r": "\r"}.get(value[i + 1], value[i + 1])
            i += 2
        else:
            out += value[i]
            i += 1
    return out

seen = set()
jc_checked = 0
for line in received:
    try:
        header, extension = split_header(line)
        ext = parse_extension(extension)
    except ValueError as e:
        problems.append("unparsable line (%s): %r" % (e, line[:200]))
        continue
    if header[0] != "CEF:0" or header[1] != "Microsoft":
        problems.append("bad header start: %r" % header[:2])
    alert = expected.get(ext.get("deviceExternalId"))
    if alert is None:
        problems.append("unknown id %r" % ext.get("deviceExternalId"))
        continue
    seen.add(alert["id"])
    title = alert["title"].replace("\r", " ").replace("\n", " ")
    if header[5] != title:
        problems.append("%s: name %r != %r" % (alert["id"], header[5], title))
    if ext.get("msg") != alert["description"]:
        problems.append("%s: msg %r != %r" % (alert["id"], ext.get("msg"), alert["description"]))
    for key in ("dhost", "dvchost"):
        if ext.get(key) != alert["host"]:
            problems.append("%s: %s %r != %r" % (alert["id"], key, ext.get(key), alert["host"]))
    # jc's header pattern rejects '\', '=' and '|' in header fields: check the others.
    if not any(c in header[5] for c in "\\=|"):
        parsed = json.loads(subprocess.run(["jc", "--cef", "-r"], input=line + "\n", text=True,
                                           capture_output=True, check=True).stdout)
        if len(parsed) != 1 or parsed[0].get("name") != title or \
                unescape(parsed[0].get("msg", "")) != alert["description"]:
            problems.append("%s: jc read %r" % (alert["id"], parsed))
        jc_checked += 1
missing = set(expected) - seen
if missing:
    problems.append("alerts missing: %s" % sorted(missing))
if problems:
    sys.exit("\n".join(problems[:20]))
print("%d lines intact, %d also checked with jc" % (len(received), jc_checked))
PY
for framing in octet lf; do
  result=$(python3 "$WORK/check.py" "$WORK/$framing.received" "$WORK/truth.cef" "$WORK/expected.json") ||
    fail "$framing framing: $result"
  echo "ok: $framing framing: $result"
done
echo "PASS"
