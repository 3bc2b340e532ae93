#!/usr/bin/env python3
"""One static check in a fresh process against `go tool nm` on the same binary, side by side.

    bench/start.py [--runs N] [--before JAR] [--aot-java JAVA] FILE

Runs every command once per round, round after round (so load from elsewhere falls on all alike), and prints the
median wall and CPU (user + system, of the process and its children) milliseconds of each and its ratio to
`go tool nm`, as a Markdown table. Commands: `go tool nm FILE`; `java -jar JAR check FILE --resolve ...` (the
documented command) for agent/target/verifarm-agent.jar and, with --before, for an older jar (and the launcher on
it, with the archive beside it if there is one); bin/verifarm-check with the build's archive and with the jar
alone (no archive, no unpacked JNA); with --aot-java (JDK 24+), the launcher on that JVM with an AOT cache made
here by one training check.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(REPO, "agent", "target", "verifarm-agent.jar")
LAUNCHER = os.path.join(REPO, "bin", "verifarm-check")
CHECK = ["--resolve", "main.addrOfMemcpyish=main.memcpyish"]


def timed(command, env):
    """Wall and CPU milliseconds of one run; the CPU of the children it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before")
    parser.add_argument("--aot-java")
    parser.add_argument("file")
    args = parser.parse_args()
    env = dict(os.environ)
    scratch = tempfile.mkdtemp(prefix="verifarm-start-")
    alone = os.path.join(scratch, "verifarm-agent.jar")
    shutil.copy(JAR, alone)
    commands = [("`go tool nm`", ["go", "tool", "nm", args.file], {})]
    if args.before:
        commands.append(("before: `java -jar` (" + os.path.basename(args.before) + ")",
                         ["java", "-jar", args.before, "check", args.file] + CHECK, {}))
        commands.append(("before: `bin/verifarm-check` (its archive, if one is beside it)",
                         [LAUNCHER, args.file] + CHECK, {"VERIFARM_AGENT_JAR": args.before}))
    commands += [
        ("`java -jar verifarm-agent.jar check`", ["java", "-jar", JAR, "check", args.file] + CHECK, {}),
        ("`bin/verifarm-check`, jar alone", [LAUNCHER, args.file] + CHECK, {"VERIFARM_AGENT_JAR": alone}),
        ("`bin/verifarm-check`", [LAUNCHER, args.file] + CHECK, {}),
    ]
    if args.aot_java:
        cache = os.path.join(scratch, "agent.aot")
        training = os.path.join(REPO, "agent", "target", "cds-training", "stubs")
        subprocess.run([args.aot_java, "-XX:AOTCacheOutput=" + cache, "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-XX:-UsePerfData", "-jar", JAR, "check", training, "--discover"]
                       + CHECK + ["--copy", "main.addrOfMemcpyish=main.memcpyish"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands.append(("`bin/verifarm-check`, " + args.aot_java + " + AOT cache", [LAUNCHER, args.file] + CHECK,
                         {"JAVA": args.aot_java, "VERIFARM_AOT_CACHE": cache}))
    for _, command, extra in commands:  # one unmeasured run each: page cache, go's build cache
        timed(command, {**env, **extra})
    walls = {name: [] for name, _, _ in commands}
    cpus = {name: [] for name, _, _ in commands}
    for _ in range(args.runs):
        for name, command, extra in commands:
            wall, cpu = timed(command, {**env, **extra})
            walls[name].append(wall)
            cpus[name].append(cpu)
    nm_wall = statistics.median(walls[commands[0][0]])
    nm_cpu = statistics.median(cpus[commands[0][0]])
    print("| command | wall ms (median, min) | / `go tool nm` | CPU ms | / `go tool nm` |")
    print("|---|---:|---:|---:|---:|")
    for name, _, _ in commands:
        wall = statistics.median(walls[name])
        cpu = statistics.median(cpus[name])
        print("| %s | %.0f, %.0f | %.1f | %.0f | %.1f |" % (name, wall, min(walls[name]), wall / nm_wall, cpu,
                                                          cpu / nm_cpu))
    shutil.rmtree(scratch)


if __name__ == "__main__":
    sys.exit(main())
