#!/usr/bin/env bash
# Packaging, checked without Docker, Kubernetes or Azure:
#   1. the Dockerfile's build stage installs exactly deploy/install-deps.sh's list (it
#      COPYs and runs the script, and installs nothing else); its runtime package list
#      covers every library the binary links and is a subset of what install-deps.sh
#      installs (the -dev packages' runtime libraries); non-root, volume, health check;
#   2. the systemd unit passes `systemd-analyze verify` (when available) with no
#      complaint, and its exposure score stays "OK" (<= 2.0);
#   3. the Helm chart: every .Values path a template uses exists in values.yaml; the
#      security settings are there; `helm lint` when helm is installed;
#   4. shell scripts parse (`bash -n`), including the Azure setup script (never run);
#   5. `cmake --install` puts exactly the expected files under a temporary prefix.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
SRC=$SECFEED_SOURCE_DIR
DOCKERFILE=$SRC/deploy/docker/Dockerfile

# ---- 1. Dockerfile
eval "$(sed -n '/^PACKAGES=(/,/^)/p' "$SRC/deploy/install-deps.sh")"  # sets PACKAGES
((${#PACKAGES[@]} > 10)) || fail "could not read PACKAGES from install-deps.sh"

build_stage=$(awk '/^FROM /{n++} n==1' "$DOCKERFILE")
runtime_stage=$(awk '/^FROM /{n++} n==2' "$DOCKERFILE")
expect_eq "build stage base" "FROM debian:12 AS build" "$(head -1 <<<"$build_stage")"
expect_eq "runtime stage base" "FROM debian:12-slim" "$(head -1 <<<"$runtime_stage")"
grep -qx 'COPY deploy/install-deps.sh /usr/local/sbin/install-deps.sh' <<<"$build_stage" ||
  fail "the build stage does not COPY deploy/install-deps.sh"
grep -q '^RUN /usr/local/sbin/install-deps.sh' <<<"$build_stage" ||
  fail "the build stage does not RUN install-deps.sh"
expect_eq "build stage: no other apt-get install" 0 "$(grep -c 'apt-get install' <<<"$build_stage" || true)"

runtime_packages=$(sed -n 's/^ARG RUNTIME_PACKAGES="\(.*\)"$/\1/p' <<<"$runtime_stage")
[[ -n $runtime_packages ]] || fail "no ARG RUNTIME_PACKAGES in the runtime stage"
# Libraries the binary itself needs (NEEDED entries), by Debian package.
in_base_image="libc6 libstdc++6 libgcc-s1"
# The sanitizer runtimes of a test build (asan preset) are not part of a release image.
sanitizer_runtimes="libasan8 libubsan1"
needed=$(objdump -p "$SECFEED_BINARY" | awk '/NEEDED/ {print $2}' | while read -r lib; do
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
  [[ -n $path ]] || fail "cannot locate $lib"
  pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || dpkg -S "$(realpath "$path")")
  echo "${pkg%%:*}"
done | sort -u)
for pkg in $needed; do
  [[ " $runtime_packages $in_base_image $sanitizer_runtimes " == *" $pkg "* ]] ||
    fail "the binary needs $pkg, missing from the Dockerfile's RUNTIME_PACKAGES"
done
echo "ok: runtime packages cover $(echo $needed)"
dev_depends=$(dpkg-query -W -f='${Depends}\n' "${PACKAGES[@]}" | tr ',|' '\n\n' | awk '{print $1}' | sort -u)
for pkg in $runtime_packages; do
  [[ $pkg == ca-certificates ]] && continue  # the trust store, not a library
  grep -qx "$pkg" <<<"$dev_depends" ||
    fail "runtime package $pkg is not what a package of install-deps.sh provides at run time"
done
echo "ok: runtime packages are the run-time part of install-deps.sh"
grep -qx 'USER 10001:10001' <<<"$runtime_stage" || fail "the image does not run as uid 10001"
grep -qx 'VOLUME /var/lib/secfeed' <<<"$runtime_stage" || fail "no state volume"
grep -q '^HEALTHCHECK .*' <<<"$runtime_stage" || fail "no HEALTHCHECK"
grep -q '/dev/tcp/127.0.0.1/9464.*GET /healthz' <<<"$runtime_stage" || fail "HEALTHCHECK is not /healthz on 9464"
expect_eq "entrypoint" 'ENTRYPOINT ["/usr/local/bin/secfeed", "run", "-c", "/etc/secfeed/secfeed.yaml"]' \
  "$(grep '^ENTRYPOINT' <<<"$runtime_stage")"

# ---- 2. systemd unit
UNIT=$SRC/deploy/systemd/secfeed.service
for key in 'DynamicUser=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
  'NoNewPrivileges=yes' 'StateDirectory=secfeed' 'CapabilityBoundingSet=' \
  'SystemCallFilter=@system-service' 'Restart=on-failure' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$key" "$UNIT" || fail "unit: missing $key"
done
grep -q '^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$' "$UNIT" || fail "unit: RestrictAddressFamilies"
if command -v systemd-analyze >/dev/null; then
  # verify needs the ExecStart binary to exist: point it at the one just built.
  sed "s#/usr/local/bin/secfeed#$SECFEED_BINARY#g" "$UNIT" >"$WORK/secfeed.service"
  verify=$(systemd-analyze verify "$WORK/secfeed.service" 2>&1) || fail "systemd-analyze verify: $verify"
  expect_eq "systemd-analyze verify output" "" "$verify"
  exposure=$(systemd-analyze security --offline=yes "$WORK/secfeed.service" 2>/dev/null |
    sed -n 's/.*Overall exposure level for secfeed.service: \([0-9.]*\).*/\1/p')
  [[ -n $exposure ]] || fail "no exposure level from systemd-analyze security"
  python3 -c "import sys; sys.exit(0 if float('$exposure') <= 2.0 else 1)" ||
    fail "unit exposure level $exposure > 2.0"
  echo "ok: systemd exposure level $exposure"
else
  echo "skip: systemd-analyze not installed"
fi

# ---- 3. Helm chart
CHART=$SRC/deploy/helm/secfeed
python3 - "$CHART" <<'PY' || fail "helm chart check"
import pathlib, re, sys, yaml
chart = pathlib.Path(sys.argv[1])
meta = yaml.safe_load((chart / "Chart.yaml").read_text())
assert meta["apiVersion"] == "v2" and meta["name"] == "secfeed", meta
values = yaml.safe_load((chart / "values.yaml").read_text())
missing = []
for template in sorted((chart / "templates").iterdir()):
    for path in re.findall(r"\.Values\.([A-Za-z0-9_.]+)", template.read_text()):
        node = values
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                missing.append(f"{template.name}: .Values.{path}")
                break
            node = node[key]
assert not missing, "undefined values: " + ", ".join(missing)
# The embedded config is valid YAML and listens where the probes look.
config = yaml.safe_load(values["config"])
assert config["metrics"]["listen"] == "0.0.0.0:9464", config["metrics"]
assert config["state_dir"] == "/var/lib/secfeed"
assert values["securityContext"]["readOnlyRootFilesystem"] is True
assert values["podSecurityContext"]["runAsNonRoot"] is True
assert values["livenessProbe"]["httpGet"]["path"] == "/healthz"
assert values["readinessProbe"]["httpGet"]["path"] == "/readyz"
assert values["resources"]["requests"], "no resource requests"
statefulset = (chart / "templates" / "statefulset.yaml").read_text()
for needle in ("kind: StatefulSet", "volumeClaimTemplates", "mountPath: /var/lib/secfeed",
               "secretRef", "configMap"):
    assert needle in statefulset, needle
print("ok: helm chart values and templates agree")
PY
if command -v helm >/dev/null; then
  helm lint "$CHART" >"$WORK/helm.log" 2>&1 || fail "helm lint: $(cat "$WORK/helm.log")"
  echo "ok: helm lint"
else
  echo "skip: helm not installed (helm lint)"
fi

# ---- 4. scripts parse
for script in deploy/azure/app-registration.sh deploy/install-deps.sh deploy/demo.sh; do
  bash -n "$SRC/$script" || fail "bash -n $script"
done
echo "ok: scripts parse"

# ---- 5. cmake --install
BUILD_DIR=$(dirname "$SECFEED_BINARY")
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 ||
  fail "cmake --install: $(tail -5 "$WORK/install.log")"
installed=$(cd "$WORK/prefix" && find . -type f | sed 's#^\./##' | sort)
for file in bin/secfeed etc/secfeed/secfeed.yaml.example lib/systemd/system/secfeed.service \
  share/secfeed/schemas/event.schema.json share/secfeed/schemas/config.schema.json \
  share/secfeed/schemas/cef-mapping.json share/secfeed/examples/secfeed.yaml \
  share/secfeed/examples/minimal.yaml; do
  grep -qx "$file" <<<"$installed" || fail "cmake --install did not install $file"
done
unexpected=$(grep -vE '^(bin/secfeed|etc/secfeed/[^/]+|lib/systemd/system/secfeed\.service|share/secfeed/.+)$' <<<"$installed" || true)
expect_eq "nothing installed elsewhere" "" "$unexpected"
[[ -x $WORK/prefix/bin/secfeed ]] || fail "installed binary is not executable"
"$WORK/prefix/bin/secfeed" version >/dev/null || fail "installed binary does not run"
echo "PASS"
