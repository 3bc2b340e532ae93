#!/bin/sh
# Times checks on large real Go binaries against `go tool nm`, `readelf -sW`, `objdump -d` and `cat`, in one run
# on this machine, and keeps the raw output in bench/results/checks-<date>.txt.
#
#   bench/checks.sh [--jmh] [RUNS]      (default 5 runs of each measurement)
#
# Per file: discovery warm and in a fresh JVM, every expectation discovery suggests in one request and one stub
# check (warm, through the agent's lease path), and the tools; then, on hugo (arm64 and amd64), the cost of 0, 1,
# 100 and 1000 expectations in one request; then the hazard scan (check --hazards) on the safecopy fixture and the
# Debian binaries beside discovery, `go tool objdump` and `objdump -d`; 50 leases on one artifact through the
# agent's lease path, opened afresh each time and kept opened; one check in a fresh process against `go tool nm`
# (bench/start.py). --jmh adds the JMH hot-path benchmarks (HotPathBenchmarks) with a short configuration at the end.
#
# Inputs: the tests' stubs fixture (small, with real resolver stubs), Debian's `go` command (stripped), the same command built here with its .symtab for amd64 and arm64,
# and Debian's stripped runc and hugo for amd64 and arm64 (fetched like the tests' Debian binaries; arm64 needs
# `dpkg --add-architecture arm64 && apt-get update` once, which deploy/install-test-deps.sh does).
set -eu

command="bench/checks.sh $*"
jmh=0
if [ "${1:-}" = "--jmh" ]; then
    jmh=1
    shift
fi
runs=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
target=$repo/agent/target
out=$repo/bench/results/checks-$(date +%Y-%m-%d).txt
debian_go=/usr/lib/go-1.19/bin/go
arm64_objdump=objdump
if command -v aarch64-linux-gnu-objdump >/dev/null; then arm64_objdump=aarch64-linux-gnu-objdump; fi

cd "$repo"
mvn -q -pl agent package -DskipTests
mvn -q -pl agent dependency:build-classpath -Dmdep.outputFile="$target/bench-classpath.txt" >/dev/null
classpath="$target/test-classes:$target/classes:$(cat "$target/bench-classpath.txt")"

# cmd/go of the installed toolchain, not stripped, so that nm and readelf have a .symtab to read; and the tests'
# stubs fixture, the one file here with real resolver stubs (addrOfMemcpyish and kin), for a true stub check.
mkdir -p "$target/bench-bins"
for arch in amd64 arm64; do
    GOARCH=$arch GOCACHE=$target/go-cache/build GOENV=off GOPROXY=off \
        go build -trimpath -o "$target/bench-bins/go-$arch" cmd/go
    (cd agent/src/test/go/stubs && GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOCACHE=$target/go-cache/build GOENV=off \
        GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on go build -trimpath -o "$target/bench-bins/stubs-$arch" .)
    (cd agent/src/test/go/safecopy && GOOS=linux GOARCH=$arch CGO_ENABLED=0 GOCACHE=$target/go-cache/build GOENV=off \
        GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on go build -trimpath -o "$target/bench-bins/safecopy-$arch" .)
done

{
    echo "# Checks benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),"\
         "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory"
    echo "Java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "Go: $(go version)"
    echo "readelf: $(readelf --version | head -1)"
    echo "objdump: $(objdump --version | head -1) (amd64); $($arm64_objdump --version | head -1) (arm64)"
    echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows as spread between median and min)"
    echo "Command: $command"
    echo
    java -cp "$classpath" dev.verifarm.agent.bench.ChecksBenchmark --jar "$target/verifarm-agent.jar" --runs "$runs" \
        "$target/bench-bins/stubs-amd64" "$target/bench-bins/stubs-arm64" \
        "$debian_go" "$target/bench-bins/go-amd64" "$target/bench-bins/go-arm64" \
        debian:runc:amd64:usr/sbin/runc debian:runc:arm64:usr/sbin/runc \
        debian:hugo:amd64:usr/bin/hugo debian:hugo:arm64:usr/bin/hugo \
        --scale debian:hugo:arm64:usr/bin/hugo --scale debian:hugo:amd64:usr/bin/hugo \
        --hazards "$target/bench-bins/safecopy-amd64" --hazards "$target/bench-bins/safecopy-arm64" \
        --hazards "$debian_go" --hazards "$target/bench-bins/go-amd64" --hazards "$target/bench-bins/go-arm64" \
        --hazards debian:runc:amd64:usr/sbin/runc --hazards debian:runc:arm64:usr/sbin/runc \
        --hazards debian:hugo:amd64:usr/bin/hugo --hazards debian:hugo:arm64:usr/bin/hugo
    echo
    echo "Many leases on one artifact, opened per lease and kept opened (RepeatedArtifactBenchmark)"
    echo
    java -cp "$classpath" dev.verifarm.agent.farm.RepeatedArtifactBenchmark --leases 50 --rounds "$runs" \
        "$target/bench-bins/stubs-amd64" "$debian_go" debian:hugo:amd64:usr/bin/hugo
    echo
    echo "One check in a fresh process against go tool nm (bench/start.py)"
    echo
    python3 bench/start.py --runs "$runs" "$target/bench-bins/stubs-amd64"
    if [ "$jmh" -eq 1 ]; then
        echo
        echo "JMH hot paths (HotPathBenchmarks; -wi 2 -i 3 -f 1, short: indicative only)"
        echo
        java -cp "$classpath" org.openjdk.jmh.Main HotPathBenchmarks -wi 2 -i 3 -f 1 -w 1s -r 2s -foe true \
            -v SILENT -rf text -rff "$target/jmh-hot-paths.txt"
        cat "$target/jmh-hot-paths.txt"
    fi
    echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out" >&2
