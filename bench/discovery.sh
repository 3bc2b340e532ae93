#!/bin/sh
# Times discovery on large real Go binaries against `go tool nm`, `readelf -sW` and `cat`, in one run on
# this machine, and keeps the raw output in bench/results/discovery-<date>.txt.
#
#   bench/discovery.sh [RUNS]      (default 10 runs of each measurement)
#
# Inputs: Debian's `go` command (stripped), the same command built here with its .symtab for amd64 and arm64,
# and Debian's stripped runc for amd64 and arm64 (fetched like the tests' Debian binaries; arm64 needs
# `dpkg --add-architecture arm64 && apt-get update` once).
set -eu

runs=${1:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
target=$repo/agent/target
out=$repo/bench/results/discovery-$(date +%Y-%m-%d).txt
debian_go=/usr/lib/go-1.19/bin/go

cd "$repo"
mvn -q -pl agent package -DskipTests
mvn -q -pl agent test-compile
mvn -q -pl agent dependency:build-classpath -Dmdep.outputFile="$target/bench-classpath.txt" >/dev/null

# cmd/go of the installed toolchain, not stripped, so that nm and readelf have a .symtab to read.
mkdir -p "$target/bench-bins"
for arch in amd64 arm64; do
    GOARCH=$arch GOCACHE=$target/go-cache/build GOENV=off GOPROXY=off \
        go build -trimpath -o "$target/bench-bins/go-$arch" cmd/go
done

{
    echo "# Discovery benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),"\
         "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory"
    echo "Java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "Go: $(go version)"
    echo "readelf: $(readelf --version | head -1)"
    echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows as spread between median and min)"
    echo "Command: bench/discovery.sh $runs"
    echo
    java -cp "$target/test-classes:$target/classes:$(cat "$target/bench-classpath.txt")" \
        dev.verifarm.agent.bench.DiscoveryBenchmark --jar "$target/verifarm-agent.jar" --runs "$runs" \
        "$debian_go" "$target/bench-bins/go-amd64" "$target/bench-bins/go-arm64" \
        debian:runc:amd64:usr/sbin/runc debian:runc:arm64:usr/sbin/runc
} | tee "$out"
echo "wrote $out" >&2
