#!/usr/bin/env bash
# Generates throwaway test credentials in DIR (created if needed):
#   ca.pem / ca.key          test CA (EC P-256)
#   server.pem / server.key  server cert for 127.0.0.1, ::1 and localhost (SAN), signed by the CA
#   client.pem / client.key  app certificate for JWT client assertions (RSA 2048: RS256/PS256)
# Usage: make-test-ca.sh DIR
set -euo pipefail
dir=${1:?usage: make-test-ca.sh DIR}
mkdir -p "$dir"
cd "$dir"

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout ca.key -out ca.pem -days 30 -subj "/CN=secfeed test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
cat > server.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile server.ext -out server.pem 2>/dev/null

# Entra app certificates are self-signed RSA in practice; the emulator trusts the file itself.
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout client.key -out client.pem -days 30 \
  -subj "/CN=secfeed test app" 2>/dev/null

rm -f server.csr server.ext ca.srl
