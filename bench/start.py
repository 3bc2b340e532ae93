#!/usr/bin/env python3
"""One static check in a fresh process against `go tool nm` on the same binary, side by side.

    bench/start.py [--runs N] [--before JAR] [--aot-java JAVA] FILE

Runs every command once per round, round after round (so load from elsewhere falls on all alike), and prints the
median wall and CPU (user + system, of the process and its children) milliseconds of each and its ratio to
`go tool nm`, as a Markdown table. Commands: `go tool nm FILE`; `java -jar JAR check FILE --resolve ...` (the
documented command) for agent/target/verifarm-agent.jar and, with --before, for an older jar (and the launcher on
it, with the archive beside it if there is one); bin/verifarm-check with the build's archive and with the jar
alone (no archive, no unpacked JNA), both in a JVM of their own (VERIFARM_CHECK_SERVER=0); bin/verifarm-check
through the check server, warm (a server this script started and gave 20 checks before the rounds, left running
between them) and cold (every run
in a socket directory of its own, so it starts the server, which is stopped after the run); with --aot-java (JDK
24+), the launcher on that JVM with an AOT cache made here by one training check. The check server's rows count
the server's CPU for the call (from /proc) with the client's.
"""
import argparse
import os
import re
import resource
import signal
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


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def servers(env):
    """The process ids of the check servers started in the socket directory of env, from their logs."""
    sockets = env.get("VERIFARM_CHECK_SERVER_DIR")
    pids = []
    if sockets and os.path.isdir(sockets):
        for name in os.listdir(sockets):
            if name.endswith(".log"):
                with open(os.path.join(sockets, name)) as log:
                    pids += [int(pid) for pid in re.findall(r"check server (\d+) listening on ", log.read())]
    return pids


def servers_cpu_ms(env):
    """The CPU milliseconds the live check servers of env have used so far."""
    total = 0
    for pid in servers(env):
        try:
            with open("/proc/%d/stat" % pid) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime
        except FileNotFoundError:
            pass
    return total


def stop_servers(env):
    for pid in servers(env):
        try:
            os.kill(pid, signal.SIGTERM)
            while os.path.exists("/proc/%d" % pid):
                time.sleep(0.01)
        except ProcessLookupError:
            pass


def timed(command, env):
    """Wall and CPU milliseconds of one run; the CPU of the children it waited for and of the check server."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = servers_cpu_ms(env)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000 + servers_cpu_ms(env) - server_before


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
    own_jvm = {"VERIFARM_CHECK_SERVER": "0"}
    warm = {"VERIFARM_CHECK_SERVER_DIR": os.path.join(scratch, "warm"), "VERIFARM_CHECK_SERVER_IDLE": "600"}
    commands = [("`go tool nm`", ["go", "tool", "nm", args.file], {})]
    if args.before:
        commands.append(("before: `java -jar` (" + os.path.basename(args.before) + ")",
                         ["java", "-jar", args.before, "check", args.file] + CHECK, {}))
        commands.append(("before: `bin/verifarm-check` (its archive, if one is beside it)",
                         [LAUNCHER, args.file] + CHECK, {"VERIFARM_AGENT_JAR": args.before, **own_jvm}))
    commands += [
        ("`java -jar verifarm-agent.jar check`", ["java", "-jar", JAR, "check", args.file] + CHECK, {}),
        ("`bin/verifarm-check`, own JVM, jar alone", [LAUNCHER, args.file] + CHECK,
         {"VERIFARM_AGENT_JAR": alone, **own_jvm}),
        ("`bin/verifarm-check`, own JVM (VERIFARM_CHECK_SERVER=0)", [LAUNCHER, args.file] + CHECK, own_jvm),
        ("`bin/verifarm-check`, check server warm", [LAUNCHER, args.file] + CHECK, warm),
    ]
    for _ in range(19):  # with the unmeasured run below, 20 checks: a server that has answered a few
        timed([LAUNCHER, args.file] + CHECK, {**env, **warm})
    if args.aot_java:
        cache = os.path.join(scratch, "agent.aot")
        training = os.path.join(REPO, "agent", "target", "cds-training", "stubs")
        subprocess.run([args.aot_java, "-XX:AOTCacheOutput=" + cache, "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC", "-XX:-UsePerfData", "-jar", JAR, "check", training, "--discover"]
                       + CHECK + ["--copy", "main.addrOfMemcpyish=main.memcpyish"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands.append(("`bin/verifarm-check`, " + args.aot_java + " + AOT cache", [LAUNCHER, args.file] + CHECK,
                         {"JAVA": args.aot_java, "VERIFARM_AOT_CACHE": cache}))
    for _, command, extra in commands:  # one unmeasured run each: page cache, go's build cache, the warm server
        timed(command, {**env, **extra})
    cold = "`bin/verifarm-check`, check server cold (the call that starts it)"
    walls = {name: [] for name, _, _ in commands}
    cpus = {name: [] for name, _, _ in commands}
    walls[cold], cpus[cold] = [], []
    for i in range(args.runs):
        for name, command, extra in commands:
            wall, cpu = timed(command, {**env, **extra})
            walls[name].append(wall)
            cpus[name].append(cpu)
        fresh = {**env, "VERIFARM_CHECK_SERVER_DIR": os.path.join(scratch, "cold-%d" % i)}
        wall, cpu = timed([LAUNCHER, args.file] + CHECK, fresh)
        stop_servers(fresh)
        walls[cold].append(wall)
        cpus[cold].append(cpu)
    stop_servers({**env, **warm})
    nm_wall = statistics.median(walls[commands[0][0]])
    nm_cpu = statistics.median(cpus[commands[0][0]])
    print("| command | wall ms (median, min) | / `go tool nm` | CPU ms | / `go tool nm` |")
    print("|---|---:|---:|---:|---:|")
    for name in walls:
        wall = statistics.median(walls[name])
        cpu = statistics.median(cpus[name])
        print("| %s | %.0f, %.0f | %.1f | %.0f | %.1f |" % (name, wall, min(walls[name]), wall / nm_wall, cpu,
                                                          cpu / nm_cpu))
    shutil.rmtree(scratch)


if __name__ == "__main__":
    sys.exit(main())
