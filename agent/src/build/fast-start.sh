#!/bin/sh
# Makes what bin/verifarm-check starts the JVM with, beside the jar:
# - jna/$(uname -m)/libjnidispatch.so, JNA's native half for this host, which JNA otherwise copies out of the
#   jar into a temporary file at every start;
# - verifarm-agent.jsa, the class data sharing archive of the classes a check loads: one training check (every
#   kind: a stub, a func value, a copy, discovery, the hazard scan) on the tests' stubs program lists them
#   (-XX:DumpLoadedClassList), then -Xshare:dump archives them, by the JVM that runs the build and with the
#   launcher's collector, which the archive must match. A static archive, not -XX:ArchiveClassesAtExit: Java 17
#   leaves classes compiled for Java 5 (picocli's) out of a dynamic one, and parsing and verifying them costs a
#   check about 30 ms of CPU at every start. Without Go there is no Go program to train on: no archive, a
#   warning, and the launcher runs without one;
# - verifarm-check-client, the check server's native client (src/main/go/verifarm-check), which the launcher
#   runs instead of a JVM when it is there (docs/checks.md, "The check server").
#
#   fast-start.sh JAVA JAR ARCHIVE GO_SOURCES WORK_DIR
set -eu
java=$1 jar=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") archive=$3 sources=$4 work=$5
rm -f "$archive"
jna=$(dirname "$jar")/jna
client=$(dirname "$jar")/verifarm-check-client
rm -rf "$jna" "$client"
case $(uname -m) in
    x86_64) platform=linux-x86-64 ;;
    aarch64) platform=linux-aarch64 ;;
    *) platform= ;;
esac
if [ -z "$platform" ] || [ ! -x "$(dirname "$java")/jar" ]; then
    echo "[WARNING] JNA's native library not unpacked for $(uname -m): JNA unpacks it at every start" >&2
else
    mkdir -p "$jna"
    (cd "$jna" && "$(dirname "$java")/jar" xf "$jar" "com/sun/jna/$platform/libjnidispatch.so" \
        && mv "com/sun/jna/$platform" "$(uname -m)" && rm -r com)
fi
if ! command -v go >/dev/null; then
    echo "[WARNING] no Go toolchain: neither $archive nor $client made, bin/verifarm-check will start a JVM" \
        "without an archive for every check" >&2
    exit 0
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
(cd "$(dirname "$0")/../main/go/verifarm-check" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off GOENV=off \
    GOCACHE="$work/go-cache" go build -trimpath -o "$client" .) \
    || echo "[WARNING] $client not built: bin/verifarm-check will start a JVM for every check" >&2
(cd "$sources/stubs" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off GOENV=off GOCACHE="$work/go-cache" \
    go build -trimpath -o "$work/stubs" .)
status=0
rm -f "$work/classes.lst"
"$java" -XX:DumpLoadedClassList="$work/classes.lst" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:-UsePerfData -jar "$jar" check "$work/stubs" --discover --hazards \
    --resolve main.addrOfMemcpyish=main.memcpyish --resolve funcvalue:main.memcpyish=main.memcpyish \
    --copy main.addrOfMemcpyish=main.memcpyish >"$work/training.txt" 2>&1 || status=$?
# 1: some verdict is not MATCH (the func value's WRAPPER) and the scan finds user hazards, as it is meant to
if [ "$status" -le 1 ]; then
    "$java" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$archive" \
        -XX:+UseSerialGC -cp "$jar" >>"$work/training.txt" 2>&1 || status=$?
fi
if [ "$status" -gt 1 ] || [ ! -f "$archive" ]; then
    echo "[WARNING] the training check or the dump failed ($status), no $archive:" >&2
    cat "$work/training.txt" >&2
    rm -f "$archive"
fi
