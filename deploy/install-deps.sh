#!/usr/bin/env bash
# Installs every Debian 12 package secfeed needs to build, test and run its demo.
# Idempotent: packages already present are skipped; apt-get update runs once per call
# only when something is missing. Must run as root (or via sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git
  # clang + compiler-rt for the libFuzzer targets
  clang libclang-rt-14-dev
  # libraries (Boost only from the 1.81-suffixed packages: the unsuffixed ones pull 1.74)
  libboost1.81-dev libssl-dev rapidjson-dev librdkafka-dev libyaml-cpp-dev
  libcli11-dev libsqlite3-dev zlib1g-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev jc rsyslog rsyslog-gnutls python3 openssl
  kafkacat procps
  rsyslog-kafka  # imkafka, for tests/bench/run-e2e.sh (secfeed vs rsyslog)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
