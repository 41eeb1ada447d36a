#!/usr/bin/env bash
# Integration test of secfeed-emulator as a real HTTPS process: token endpoint (secret,
# RS256 and PS256 assertions), Graph paging against the ground truth, fault injection,
# $top limits, token expiry, Secure Score and Logs Ingestion.
# Env: SECFEED_BINARY=<build>/secfeed (the emulator is <build>/bin/secfeed-emulator).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emulator="$(dirname "${SECFEED_BINARY:?SECFEED_BINARY must point to the secfeed binary}")/bin/secfeed-emulator"
[[ -x $emulator ]] || { echo "FAIL: $emulator not built" >&2; exit 1; }

work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -f $work/emulator.err ]] && tail -n 20 "$work/emulator.err" >&2
  exit 1
}
expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
  [[ "$2" == "$3" ]] || fail "$1: expected '$2', got '$3'"
  echo "ok - $1"
}
# Every request is bounded; -o/-w capture body and status separately.
http() { curl -sS --max-time 15 --cacert "$work/ca.pem" "$@"; }
json() {  # json FILE PYTHON-EXPRESSION-OVER-d
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

"$here/../emulators/make-test-ca.sh" "$work" || fail "make-test-ca.sh"

cat > "$work/streams.json" <<'EOF'
{"Custom-SecfeedAlerts": {"columns": [
  {"name": "TimeGenerated", "type": "datetime"}, {"name": "EventId", "type": "string"},
  {"name": "Severity", "type": "int"}, {"name": "Score", "type": "real"},
  {"name": "IsIncident", "type": "boolean"}, {"name": "Entities", "type": "dynamic"},
  {"name": "Bytes", "type": "long"}]}}
EOF

tenant=00000000-0000-4000-8000-000000000001
client_id=5ec0feed-0000-4000-8000-00000000c11e
alerts=237
"$emulator" --listen 127.0.0.1:0 --cert "$work/server.pem" --key "$work/server.key" \
  --tenants 2 --alerts-per-tenant "$alerts" --seed 7 --client-cert "$work/client.pem" \
  --streams "$work/streams.json" --ingested "$work/ingested.ndjson" \
  > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 100); do
  grep -q '^listening=' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || fail "emulator exited"
  sleep 0.1
done
base=$(sed -n 's/^listening=//p' "$work/emulator.out" | head -n 1)
[[ $base == https://127.0.0.1:* ]] || fail "no listening line"
token_url="$base/$tenant/oauth2/v2.0/token"
echo "ok - emulator listening at $base"

token() {  # token SCOPE [extra curl args...] -> prints access_token
  local scope=$1
  shift
  http -o "$work/token.json" -w '%{http_code}' "$token_url" -d grant_type=client_credentials \
    -d "client_id=$client_id" --data-urlencode "scope=$scope" "$@" > "$work/token.status"
  [[ $(cat "$work/token.status") == 200 ]] || fail "token request: $(cat "$work/token.json")"
  json "$work/token.json" 'd["access_token"]'
}
graph_token=$(token https://graph.microsoft.com/.default -d client_secret=secfeed-test-secret)
echo "ok - token with client secret"

status=$(http -o "$work/bad.json" -w '%{http_code}' "$token_url" -d grant_type=client_credentials \
  -d "client_id=$client_id" -d client_secret=wrong --data-urlencode scope=https://graph.microsoft.com/.default)
expect_eq "wrong secret status" 401 "$status"
expect_eq "wrong secret AADSTS code" "[7000215]" "$(json "$work/bad.json" 'd["error_codes"]')"

# --- Graph paging: $top=50 + nextLink, against the ground truth, while data changes.
get_graph() {  # get_graph OUT URL [curl args...] -> prints HTTP status
  local out=$1 url=$2
  shift 2
  http -o "$out" -D "$out.headers" -w '%{http_code}' -H "Authorization: Bearer $graph_token" "$@" "$url"
}
http -o "$work/truth.json" "$base/_emulator/ground-truth?tenant=$tenant&kind=alerts"
expect_eq "ground truth alert ids" "$alerts" "$(json "$work/truth.json" 'd["id_count"]')"

: > "$work/seen.txt"
url="$base/v1.0/security/alerts_v2?%24top=50&%24orderby=lastUpdateDateTime%20asc&%24filter=lastUpdateDateTime%20ge%202000-01-01T00:00:00Z%20and%20lastUpdateDateTime%20lt%202100-01-01T00:00:00.1234567Z"
pages=0
while [[ -n $url ]]; do
  status=$(get_graph "$work/page.json" "$url")
  expect_eq "alerts page $pages status" 200 "$status"
  json "$work/page.json" '"\n".join(a["id"] + " " + a["lastUpdateDateTime"] for a in d["value"])' >> "$work/seen.txt"
  url=$(json "$work/page.json" 'd.get("@odata.nextLink", "")')
  pages=$((pages + 1))
  if [[ $pages == 1 ]]; then  # changes after the snapshot must not disturb this paging
    http -o /dev/null -X POST "$base/_emulator/advance" -d "{\"tenant\":\"$tenant\",\"alerts\":5,\"updates\":40}"
  fi
  [[ $pages -le 10 ]] || fail "paging does not end"
done
expect_eq "pages of 50" 5 "$pages"
expect_eq "alerts seen" "$alerts" "$(sort -u "$work/seen.txt" | cut -d' ' -f1 | sort -u | wc -l | tr -d ' ')"
json "$work/truth.json" '"\n".join(v["id"] + " " + v["lastUpdateDateTime"] for v in d["versions"])' | sort > "$work/truth.txt"
expect_eq "every seen version is in the ground truth" "" "$(sort "$work/seen.txt" | comm -23 - "$work/truth.txt")"
http -o "$work/truth2.json" "$base/_emulator/ground-truth?tenant=$tenant&kind=alerts"
expect_eq "ground truth after advance" "$((alerts + 5))" "$(json "$work/truth2.json" 'd["id_count"]')"

# Incidents: the same paging, compared with their ground truth.
http -o "$work/itruth.json" "$base/_emulator/ground-truth?tenant=$tenant&kind=incidents"
: > "$work/incidents.txt"
url="$base/v1.0/security/incidents?%24top=50&%24orderby=lastUpdateDateTime%20desc"
for pages in $(seq 20); do
  expect_eq "incidents page $pages status" 200 "$(get_graph "$work/page.json" "$url")"
  json "$work/page.json" '"\n".join(i["id"] + " " + i["lastUpdateDateTime"] for i in d["value"])' >> "$work/incidents.txt"
  url=$(json "$work/page.json" 'd.get("@odata.nextLink", "")')
  [[ -n $url ]] || break
done
expect_eq "incidents seen" "$(json "$work/itruth.json" 'd["id_count"]')" "$(cut -d' ' -f1 "$work/incidents.txt" | sort -u | wc -l | tr -d ' ')"
json "$work/itruth.json" '"\n".join(v["id"] + " " + v["lastUpdateDateTime"] for v in d["versions"])' | sort > "$work/itruth.txt"
expect_eq "every seen incident version is in the ground truth" "" "$(sort "$work/incidents.txt" | comm -23 - "$work/itruth.txt")"

# --- Faults: 429 with Retry-After, then normal again; reset; truncate; malformed item.
alerts_url="$base/v1.0/security/alerts_v2?%24top=5"
http -o /dev/null -X POST "$base/_emulator/faults" \
  -d '{"path_prefix":"/v1.0/security/alerts_v2","status":429,"retry_after":2,"count":1}'
status=$(get_graph "$work/throttled.json" "$alerts_url")
expect_eq "injected 429" 429 "$status"
expect_eq "Retry-After" "2" "$(grep -i '^retry-after:' "$work/throttled.json.headers" | tr -d '\r' | cut -d' ' -f2)"
expect_eq "429 Graph error code" TooManyRequests "$(json "$work/throttled.json" 'd["error"]["code"]')"
grep -qi '^request-id:' "$work/throttled.json.headers" || fail "no request-id header"
expect_eq "after the fault" 200 "$(get_graph "$work/page.json" "$alerts_url")"

http -o /dev/null -X POST "$base/_emulator/faults" -d '{"path_prefix":"/v1.0/security/alerts_v2","action":"reset"}'
if get_graph "$work/reset.json" "$alerts_url" > /dev/null 2>&1; then fail "reset fault answered"; fi
echo "ok - connection reset"
http -o /dev/null -X POST "$base/_emulator/faults" -d '{"path_prefix":"/v1.0/security/alerts_v2","action":"truncate"}'
rc=0
get_graph "$work/truncated.json" "$alerts_url" > /dev/null 2>&1 || rc=$?
expect_eq "truncated body (curl exit 18)" 18 "$rc"
http -o /dev/null -X POST "$base/_emulator/faults" -d '{"path_prefix":"/v1.0/security/alerts_v2","action":"malformed_item"}'
get_graph "$work/malformed.json" "$alerts_url" > /dev/null
expect_eq "malformed item inserted" "1" "$(json "$work/malformed.json" 'sum(1 for a in d["value"] if not isinstance(a["id"], str))')"

http -o /dev/null -X POST "$base/_emulator/faults" -d '{"path_prefix":"/v1.0/security/alerts","status":206}'
expect_eq "legacy partial answer" 206 "$(get_graph "$work/partial.json" "$base/v1.0/security/alerts?%24top=3")"
grep -qi '^warning: 199 - ' "$work/partial.json.headers" || fail "no Warning header on 206"
expect_eq "legacy partial body" 3 "$(json "$work/partial.json" 'len(d["value"])')"
http -o /dev/null -X DELETE "$base/_emulator/faults"

# --- Enum evolution: newer members hidden without the Prefer header.
all_url="$base/v1.0/security/alerts_v2?%24top=1000"
get_graph "$work/plain.json" "$all_url" > /dev/null
get_graph "$work/prefer.json" "$all_url" -H "Prefer: include-unknown-enum-members" > /dev/null
[[ $(json "$work/plain.json" 'sum(a["serviceSource"] == "unknownFutureValue" for a in d["value"])') -gt 0 ]] ||
  fail "no unknownFutureValue without Prefer"
expect_eq "no unknownFutureValue with Prefer" 0 "$(json "$work/prefer.json" 'sum(a["serviceSource"] == "unknownFutureValue" for a in d["value"])')"

# --- Limits and filter errors.
expect_eq "incidents \$top=51" 400 "$(get_graph "$work/top.json" "$base/v1.0/security/incidents?%24top=51")"
expect_eq "incidents \$top=51 message" \
  "The limit of '50' for Top query has been exceeded. The value from the incoming request is '51'." \
  "$(json "$work/top.json" 'd["error"]["message"]')"
expect_eq "incidents \$top=50" 200 "$(get_graph "$work/top.json" "$base/v1.0/security/incidents?%24top=50")"
expect_eq "incidents page size" 50 "$(json "$work/top.json" 'len(d["value"])')"
expect_eq "legacy alerts \$top=1001" 400 "$(get_graph "$work/top.json" "$base/v1.0/security/alerts?%24top=1001")"
expect_eq "bad filter" 400 "$(get_graph "$work/filter.json" "$base/v1.0/security/alerts_v2?%24filter=severity%20gt%202024")"

# --- Secure Score.
get_graph "$work/scores.json" "$base/v1.0/security/secureScores?%24top=7" > /dev/null
expect_eq "secure score days" 7 "$(json "$work/scores.json" 'len(d["value"])')"
expect_eq "controls per day" 15 "$(json "$work/scores.json" 'len(d["value"][0]["controlScores"])')"
http -o /dev/null -X POST "$base/_emulator/secure-score/regress" -d "{\"tenant\":\"$tenant\",\"control\":\"AdminMFAV2\"}"
get_graph "$work/scores.json" "$base/v1.0/security/secureScores?%24top=1" > /dev/null
expect_eq "regressed control" 0.0 "$(json "$work/scores.json" '[c["score"] for c in d["value"][0]["controlScores"] if c["controlName"] == "AdminMFAV2"][0]')"
get_graph "$work/profiles.json" "$base/v1.0/security/secureScoreControlProfiles" > /dev/null
expect_eq "control profiles" 15 "$(json "$work/profiles.json" 'len(d["value"])')"

# --- Token expiry.
http -o /dev/null -X POST "$base/_emulator/token-lifetime" -d '{"seconds":1}'
graph_token=$(token https://graph.microsoft.com/.default -d client_secret=secfeed-test-secret)
http -o /dev/null -X POST "$base/_emulator/token-lifetime" -d '{"seconds":3599}'
sleep 1.5
expect_eq "expired token" 401 "$(get_graph "$work/expired.json" "$alerts_url")"
expect_eq "expired token message" "Lifetime validation failed, the token is expired." \
  "$(json "$work/expired.json" 'd["error"]["message"]')"

# --- Certificate (JWT) assertions: RS256 with x5t, PS256 with x5t#S256.
openssl x509 -in "$work/client.pem" -outform DER -out "$work/client.der"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
assertion() {  # assertion ALG [aud] -> JWT
  local alg=$1 aud=${2:-$token_url} header now
  now=$(date +%s)
  if [[ $alg == RS256 ]]; then
    header="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"$(openssl dgst -sha1 -binary "$work/client.der" | b64url)\"}"
  else
    header="{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"$(openssl dgst -sha256 -binary "$work/client.der" | b64url)\"}"
  fi
  local claims="{\"aud\":\"$aud\",\"iss\":\"$client_id\",\"sub\":\"$client_id\",\"jti\":\"$(cat /proc/sys/kernel/random/uuid)\",\"nbf\":$now,\"exp\":$((now + 300))}"
  local signing_input
  signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
  local pss=()
  [[ $alg == PS256 ]] && pss=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32)
  printf '%s.%s' "$signing_input" "$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$work/client.key" "${pss[@]}" | b64url)"
}
jwt_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
for alg in RS256 PS256; do
  token https://graph.microsoft.com/.default -d "client_assertion_type=$jwt_type" \
    -d "client_assertion=$(assertion $alg)" > /dev/null
  echo "ok - token with $alg assertion"
done
status=$(http -o "$work/bad.json" -w '%{http_code}' "$token_url" -d grant_type=client_credentials \
  -d "client_id=$client_id" --data-urlencode scope=https://graph.microsoft.com/.default \
  -d "client_assertion_type=$jwt_type" -d "client_assertion=$(assertion PS256 https://elsewhere.example/token)")
expect_eq "assertion with wrong aud" 401 "$status"
expect_eq "wrong aud AADSTS code" "[700212]" "$(json "$work/bad.json" 'd["error_codes"]')"
tampered=$(assertion RS256)
tampered="${tampered%?????}AAAAA"
status=$(http -o "$work/bad.json" -w '%{http_code}' "$token_url" -d grant_type=client_credentials \
  -d "client_id=$client_id" --data-urlencode scope=https://graph.microsoft.com/.default \
  -d "client_assertion_type=$jwt_type" -d "client_assertion=$tampered")
expect_eq "tampered assertion AADSTS code" "[700027]" "$(json "$work/bad.json" 'd["error_codes"]')"

# --- Logs Ingestion.
monitor_token=$(token https://monitor.azure.com//.default -d client_secret=secfeed-test-secret)
ingest_url="$base/dataCollectionRules/dcr-0123456789abcdef/streams/Custom-SecfeedAlerts?api-version=2023-01-01"
ingest() {  # ingest BODY-FILE [curl args...] -> prints HTTP status
  local body=$1
  shift
  http -o "$work/ingest.json" -D "$work/ingest.headers" -w '%{http_code}' -H "Authorization: Bearer $monitor_token" \
    -H 'Content-Type: application/json' --data-binary "@$body" "$@" "$ingest_url"
}
cat > "$work/batch.json" <<'EOF'
[{"TimeGenerated":"2024-05-01T10:00:00.1234567Z","EventId":"a1","Severity":3,"Score":7.5,"IsIncident":false,"Entities":[{"ip":"203.0.113.9"}],"Bytes":5000000000},
 {"TimeGenerated":"2024-05-01T10:00:01Z","EventId":"a2","Severity":null,"Score":1},
 {"TimeGenerated":"2024-05-01T10:00:02Z","EventId":"a3"}]
EOF
gzip -c "$work/batch.json" > "$work/batch.json.gz"
expect_eq "gzip batch" 204 "$(ingest "$work/batch.json.gz" -H 'Content-Encoding: gzip')"
http -o "$work/count.json" "$base/_emulator/ingested?stream=Custom-SecfeedAlerts"
expect_eq "ingested rows" 3 "$(json "$work/count.json" 'd["count"]')"
expect_eq "rows in the NDJSON file" 3 "$(wc -l < "$work/ingested.ndjson" | tr -d ' ')"

python3 -c 'import json; print(json.dumps([{"EventId": "x" * 1000} for _ in range(1100)]))' > "$work/big.json"
gzip -c "$work/big.json" > "$work/big.json.gz"
expect_eq "over 1 MB uncompressed (gzip)" 413 "$(ingest "$work/big.json.gz" -H 'Content-Encoding: gzip')"
expect_eq "over 1 MB" 413 "$(ingest "$work/big.json")"

echo '[{"EventId":"ok"},{"EventId":"b","Bogus":1}]' > "$work/bad_column.json"
expect_eq "unknown column" 400 "$(ingest "$work/bad_column.json")"
expect_eq "unknown column message" "Row 1: column 'Bogus' is not declared in stream 'Custom-SecfeedAlerts'." \
  "$(json "$work/ingest.json" 'd["error"]["message"]')"
echo '[{"Severity":"high"}]' > "$work/bad_type.json"
expect_eq "wrong type" 400 "$(ingest "$work/bad_type.json")"
expect_eq "wrong type message" "Row 0: column 'Severity' must be of type 'int' but is a JSON string." \
  "$(json "$work/ingest.json" 'd["error"]["message"]')"

http -o /dev/null -X POST "$base/_emulator/faults" -d '[{"path_prefix":"/dataCollectionRules/","status":429,"retry_after":3},{"path_prefix":"/dataCollectionRules/","status":403}]'
expect_eq "ingestion 429" 429 "$(ingest "$work/batch.json")"
expect_eq "ingestion Retry-After" 3 "$(grep -i '^retry-after:' "$work/ingest.headers" | tr -d '\r' | cut -d' ' -f2)"
expect_eq "ingestion 403" 403 "$(ingest "$work/batch.json")"
expect_eq "ingestion after faults" 204 "$(ingest "$work/batch.json")"
graph_token=$(token https://graph.microsoft.com/.default -d client_secret=secfeed-test-secret)
expect_eq "graph token refused by ingestion" 401 "$(http -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $graph_token" -H 'Content-Type: application/json' --data-binary "@$work/batch.json" "$ingest_url")"

kill -0 "$emulator_pid" || fail "emulator died"
echo "PASS"
