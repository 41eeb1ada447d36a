#!/usr/bin/env bash
# Certificate credentials end to end: secfeed signs client assertions (JWT) that the
# emulator verifies against the app's certificate (signature, x5t / x5t#S256 thumbprint,
# aud, iss/sub, jti, nbf/exp). Four tenants, four forms of the same certificate:
#   1 PEM cert + key, RS256 (x5t)        2 PEM cert + key, PS256 (x5t#S256)
#   3 PKCS#12 file with a password, PS256  4 PEM cert + encrypted key, RS256
# Every tenant's alerts arrive exactly once. Then a certificate the app does not know
# (RS256 and PS256): no events, and an error line naming the tenant and AADSTS700027.
# Neither run logs a password, key material, an access token or an assertion (debug log).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/graph.sh"
require_tools "$SECFEED_BINARY"
command -v openssl >/dev/null || fail "openssl not installed"

# start_emulator makes the test CA (with the app certificate client.pem/.key) in $WORK/ca.
start_emulator --tenants 4 --alerts-per-tenant 25 --history-hours 1 --seed 3 \
  --client-cert "$WORK/ca/client.pem"
CERT="$TEST_CA_DIR/client.pem"
KEY="$TEST_CA_DIR/client.key"
PFX_PASSWORD="pfx-$RANDOM$RANDOM"
KEY_PASSWORD="key-$RANDOM$RANDOM"
openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -out "$WORK/client.pfx" \
  -passout "pass:$PFX_PASSWORD" 2>"$WORK/openssl.log" || fail "openssl pkcs12"
openssl pkey -in "$KEY" -aes256 -passout "pass:$KEY_PASSWORD" -out "$WORK/client-encrypted.key" \
  2>>"$WORK/openssl.log" || fail "openssl pkey"
chmod 600 "$WORK/client.pfx" "$WORK/client-encrypted.key"

pem_credential() {  # CERT KEY ALGORITHM [KEY_PASSWORD_FILE]
  printf '    certificate:\n      cert_file: %s\n      key_file: %s\n      algorithm: %s\n' "$1" "$2" "$3"
  [[ -z ${4:-} ]] || printf '      key_password_file: %s\n' "$4"
}
graph_use_tenants 1 4
T=("${GRAPH_TENANTS[@]}")
GRAPH_CREDENTIAL[${T[0]}]=$(pem_credential "$CERT" "$KEY" RS256)
GRAPH_CREDENTIAL[${T[1]}]=$(pem_credential "$CERT" "$KEY" PS256)
GRAPH_CREDENTIAL[${T[2]}]=$(printf '    certificate:\n      pfx_file: %s\n      pfx_password_file: %s\n      algorithm: PS256\n' \
  "$WORK/client.pfx" "$(graph_secret_file pfx "$PFX_PASSWORD")")
GRAPH_CREDENTIAL[${T[3]}]=$(pem_credential "$CERT" "$WORK/client-encrypted.key" RS256 \
  "$(graph_secret_file key "$KEY_PASSWORD")")
GRAPH_SOURCES=(graph_alerts)
GRAPH_LAG=1s
GRAPH_LOOKBACK=2h
GRAPH_LOG_LEVEL=debug
graph_write_config certs
graph_start certs
graph_wait_complete certs 90
graph_stop
graph_expect_exact certs graph_alerts
for tenant in "${T[@]}"; do
  expect_eq "events of $tenant" 25 "$(grep -cF "\"id\":\"$tenant\"" "$WORK/certs.out")"
done

# A certificate the app registration does not have.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=not-registered -days 1 \
  -keyout "$WORK/wrong.key" -out "$WORK/wrong.pem" 2>>"$WORK/openssl.log" || fail "openssl req"
graph_use_tenants 1 2
GRAPH_CREDENTIAL=()
GRAPH_CREDENTIAL[${T[0]}]=$(pem_credential "$WORK/wrong.pem" "$WORK/wrong.key" RS256)
GRAPH_CREDENTIAL[${T[1]}]=$(pem_credential "$WORK/wrong.pem" "$WORK/wrong.key" PS256)
graph_write_config wrong
graph_start wrong
rejected() { (($(grep ' ERROR ' "$WORK/wrong.log" | grep -c 'AADSTS700027') >= 2)); }
wait_for 60 "both tenants' AADSTS700027 errors in the log" rejected
graph_alive || fail "secfeed exited on a refused certificate (it must keep retrying)"
graph_stop
# Entra echoes the thumbprint the assertion named: SHA-1 (x5t) for RS256, SHA-256
# (x5t#S256) for PS256, which shows each tenant signed with its configured algorithm.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
openssl x509 -in "$WORK/wrong.pem" -outform DER -out "$WORK/wrong.der"
thumbprint=([0]="$(openssl dgst -sha1 -binary "$WORK/wrong.der" | b64url)"
  [1]="$(openssl dgst -sha256 -binary "$WORK/wrong.der" | b64url)")
for i in 0 1; do
  line=$(grep ' ERROR ' "$WORK/wrong.log" | grep -F "${T[$i]}" | grep 'AADSTS700027' | head -n 1)
  [[ -n $line ]] || fail "no AADSTS700027 error line names ${T[$i]}"
  echo "  $line"
  [[ $line == *"Thumbprint of key used by client: '${thumbprint[$i]}'"* ]] ||
    fail "tenant ${T[$i]}: the assertion did not name the certificate by ${thumbprint[$i]}"
done
echo "ok: the unknown certificate is refused with AADSTS700027, per tenant, named by x5t (RS256) and x5t#S256 (PS256)"
expect_eq "events with the unknown certificate" 0 "$(graph_lines "$WORK/wrong.out")"

key_material=$(sed -n 2p "$KEY")
wrong_key_material=$(sed -n 2p "$WORK/wrong.key")
for log in "$WORK/certs.log" "$WORK/wrong.log"; do
  graph_scan_log_for_secrets "$log" "$PFX_PASSWORD" "$KEY_PASSWORD" "$key_material" "$wrong_key_material"
done
echo "PASS"
