#!/bin/sh
# Every benchmark of issue 7 in one run on this machine, raw output in bench/results/:
#   bench/checks.sh  the checks engine against go tool nm, readelf, objdump and cat, plus the JMH hot paths
#   FarmBench        the coordinator with 1 to 1000 loopback agents, the gRPC floors, memory, nightly scale
#
#   bench/run.sh [RUNS]    (RUNS: repetitions of each checks measurement, default 5)
#
# Run it on a quiet machine: the figures are wall times on shared cores.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
sh bench/checks.sh --jmh "${1:-5}"
mvn -B -q -pl agent package -DskipTests
mvn -B -ntp -pl proto,cli,coordinator verify -Pbench -Dit.test=FarmBench -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false
