#!/bin/sh
# Builds the agent's known-answer self-check programs into the jar's classes: the tests' stubs program
# (agent/src/test/go/stubs, whose verdicts every test pins down) for amd64 and arm64, with the Go on PATH
# (Debian's golang-go, which deploy/install-test-deps.sh installs). Static and unstripped, so the same file
# runs natively, under qemu-user, and gives the static checks its symbol table.
#
#   known-answer-programs.sh GO_SOURCES OUT_DIR WORK_DIR
set -eu
sources=$1 out=$2 work=$3
if ! command -v go >/dev/null; then
    echo "[ERROR] no Go toolchain on PATH: the agent carries known-answer self-check programs built from" >&2
    echo "[ERROR] $sources/stubs at package time. Install Go with 'bash deploy/install-test-deps.sh'" >&2
    echo "[ERROR] (or 'apt-get install golang-go') and build again." >&2
    exit 1
fi
mkdir -p "$out" "$work"
work=$(cd "$work" && pwd)
out=$(cd "$out" && pwd)
for arch in amd64 arm64; do
    (cd "$sources/stubs" && GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off GOENV=off \
        GOCACHE="$work/go-cache" go build -trimpath -o "$out/known-answers-$arch" .)
done
