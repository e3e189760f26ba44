#!/usr/bin/env python3
"""hostile-load.py - legitimate UDP throughput of `switchyard serve` while it is attacked.

Starts the server on a generated zone (loopback only, free ports, a temporary folder),
then runs phases of equal length, quiet ones between the attacks so drift shows:

  quiet -> slow-tcp -> quiet -> qtype-sweep -> quiet -> bombs -> quiet

  slow-tcp     N TCP clients that each drip one byte of a length-prefixed query every few
               seconds, reconnecting when closed; a fresh TCP query once a second must
               still be answered ("TCP cannot be starved")
  qtype-sweep  UDP queries for existing names over every query type 0..65535 (and random
               ones), at a bounded rate; replies drained, not counted as legitimate
  bombs        UDP (~4-64 KB) and TCP (~64 KB) queries whose answer or additional section
               holds thousands of records named by a pointer into a chain of thousands of
               compression pointers, at a bounded rate; how they were answered is counted

In every phase a closed-loop generator (dnsperf when installed, else a built-in Python
one) measures legitimate UDP QPS; an attack phase's ratio is its QPS over the mean of the
quiet phases on either side. Standard library only, Linux only (reads /proc).
Exit status: 0 ok, 1 the server died, 2 it could not be started, 3 (--smoke) a phase had
no legitimate answers.
"""
import argparse
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # leave no __pycache__ in the repository
from hostileload.activity import Probe, Sampler  # noqa: E402
from hostileload.bombs import CompressionBombs  # noqa: E402
from hostileload.legit import run_generator  # noqa: E402
from hostileload.procfs import (machine_busy_seconds, own_cpu_seconds, proc_cpu_seconds, proc_nofile,  # noqa: E402
                                proc_rss_mib, proc_socket_fds, steal_seconds)
from hostileload.server import Server, udp_ask  # noqa: E402
from hostileload.slowtcp import SlowTCPClients, attacker_sources  # noqa: E402
from hostileload.sweep import QtypeSweep  # noqa: E402
from hostileload.wire import TYPE_CODES  # noqa: E402
from hostileload.zone import write_zone  # noqa: E402


def log(*parts):
    """Progress goes to stderr; the table to stdout."""
    print(*parts, file=sys.stderr, flush=True)


def make_attack(kind, args, server, queries):
    """The attack activity for a phase kind (None for a quiet phase), bounded to outlive its phase by a
    minute at most."""
    hard = args.ramp + args.duration + 60
    if kind == "slow-tcp":
        return SlowTCPClients(server.port, queries, args.slow_clients, args.drip_interval, args.connect_rate,
                              attacker_sources(args.slow_sources), hard)
    if kind == "qtype-sweep":
        return QtypeSweep(server.port, queries, args.sweep_rate, hard)
    if kind == "bombs":
        return CompressionBombs(server.port, queries[0][0], args.bomb_udp_rate, args.bomb_tcp_rate, args.bomb_udp_sizes,
                                args.bomb_tcp_size, 16, hard)
    return None


def run_phase(name, kind, args, server, queries, qfile, children):
    """One phase: start its attack, let it ramp up, measure legitimate QPS with the probes running, stop
    the attack, wait for the server to recover; returns the phase's figures."""
    pid = server.pid
    result = {"phase": name, "kind": kind, "rss_before_mib": proc_rss_mib(pid),
              "socket_fds_before": proc_socket_fds(pid)}
    sampler = Sampler(pid, args.ramp + args.duration + 60)
    probes = [Probe(what, server, queries, args.probe_source, args.ramp + args.duration + 60)
              for what in ("tcp", "admin")]
    sampler.start()
    attack = make_attack(kind, args, server, queries)
    if attack:
        attack.start()
        time.sleep(args.ramp)    # let the attack reach its full size before measuring
    for probe in probes:
        probe.start()
    before = cpu_readings(pid)
    legit = run_generator(args, server.port, qfile, args.duration, children)
    after = cpu_readings(pid)
    result["probes"] = {probe.what: probe.finish() for probe in probes}
    result["attack"] = attack.finish() if attack else None
    result.update(sampler.finish())
    result["qps"] = legit.get("qps") or 0.0
    result["legit"] = legit
    if attack:
        result["recovery_s"] = await_recovery(server, queries, args.recovery_timeout)
    result["alive"] = server.alive()
    result["rss_after_mib"] = proc_rss_mib(pid)
    wall = after["t"] - before["t"]
    server_cpu = after["server"] - before["server"] if None not in (after["server"], before["server"]) else None
    if server_cpu is not None:
        result["server_cores"] = round(server_cpu / wall, 2)
        # other processes on this shared machine (the bench and its generator excluded)
        other = (after["machine"] - before["machine"]) - server_cpu - (after["own"] - before["own"])
        result["other_cores"] = round(max(0.0, other) / wall, 2)
    result["steal_cores"] = round((after["steal"] - before["steal"]) / wall, 2)
    if result["socket_fds_peak"] is not None and result["socket_fds_before"] is not None:
        result["server_tcp_held_peak"] = result["socket_fds_peak"] - result["socket_fds_before"]
    return result


def cpu_readings(pid):
    """CPU seconds so far of the server, the machine, the hypervisor's steal and this
    process with its finished children, and when they were read."""
    return {"server": proc_cpu_seconds(pid), "machine": machine_busy_seconds(), "steal": steal_seconds(),
            "own": own_cpu_seconds(), "t": time.monotonic()}


def await_recovery(server, queries, limit):
    """Seconds after an attack stopped until three UDP queries in a row are answered within
    100 ms each (work the attack queued is done); None if not within `limit`."""
    start = time.monotonic()
    streak, i = 0, 0
    while time.monotonic() - start < limit and server.alive():
        qname, qtype = queries[i % len(queries)]
        i += 1
        streak = streak + 1 if udp_ask(server.port, qname, TYPE_CODES[qtype], timeout=0.1) == "NOERROR" else 0
        if streak >= 3:
            return round(time.monotonic() - start, 2)
        time.sleep(0.05)
    return None


def add_ratios(phases):
    """Each attack phase's QPS over the mean of the quiet phases beside it, and over the one before it
    alone."""
    quiet = [i for i, p in enumerate(phases) if p["kind"] == "quiet"]
    for i, p in enumerate(phases):
        if p["kind"] == "quiet":
            p["ratio"] = None
            continue
        around = [phases[j]["qps"] for j in quiet if abs(j - i) == 1]
        base = sum(around) / len(around) if around else 0
        p["quiet_baseline_qps"] = round(base, 1)
        p["ratio"] = round(p["qps"] / base, 3) if base else None
        # damage that outlasts the attack lowers the quiet phase after it, and so the
        # baseline: the ratio to the quiet phase before shows it, and so does the drift
        before = phases[i - 1]["qps"] if i > 0 and phases[i - 1]["kind"] == "quiet" else 0
        after = phases[i + 1]["qps"] if i + 1 < len(phases) and phases[i + 1]["kind"] == "quiet" else 0
        p["ratio_to_quiet_before"] = round(p["qps"] / before, 3) if before else None
        p["quiet_after_to_before"] = round(after / before, 3) if before and after else None


def attack_summary(p):
    """The attack side of a phase, as lines for the table's footnotes."""
    a = p.get("attack") or {}
    if p["kind"] == "slow-tcp":
        return ["%d clients from %d addresses: open at once at most %d; server sockets over its idle count "
                "(probes included) at most %s" % (
                    a.get("clients", 0), a.get("sources", 0), a.get("open_peak", 0), p.get("server_tcp_held_peak")),
                "%d connects: closed by the server %d (%d within 1 s), reset %d, refused %d, connect timeouts %d; "
                "%d replies to dripped queries" % (
                    a.get("connects_attempted", 0), a.get("closed_by_server", 0), a.get("closed_within_1s", 0),
                    a.get("reset_by_server", 0), a.get("refused", 0), a.get("connect_timeouts", 0),
                    a.get("replies", 0))]
    if p["kind"] == "qtype-sweep":
        return ["sent %d (%d distinct types), answered %d: %s" % (a.get("sent", 0), a.get("distinct_qtypes", 0),
                                                                  a.get("answered", 0),
                                                                  fmt_counts(a.get("rcodes", {})))]
    if p["kind"] == "bombs":
        return ["%-22s %5d sent, %5d answered (%s), %d no reply; %.1fM pointer hops each" % (
                    kind, k["sent"], k["answered"], fmt_counts(k["rcodes"]), k.get("no_reply", 0),
                    k["pointer_hops_per_query"] / 1e6)
                for kind, k in sorted((a.get("kinds") or {}).items())] + \
               (["UDP bombs not sent (socket buffer full): %d; TCP bombs skipped with %d connections open: %d" % (
                   a.get("udp_send_failed", 0), a.get("tcp_concurrency", 0), a.get("tcp_skipped_at_cap", 0))]
                if a.get("udp_send_failed") or a.get("tcp_skipped_at_cap") else [])
    return []


def fmt_counts(d):
    """"FORMERR 3 NOERROR 5" from a dict of counts."""
    return " ".join("%s %d" % kv for kv in sorted(d.items())) or "-"


def print_table(report):
    """The human summary: a row per phase, then the attack side of each attack phase."""
    out = sys.stdout
    print("\nSwitchyard under hostile load: %s generator, %d s phases, server --threads %s, %s" % (
        report["generator"], report["config"]["duration"], report["config"]["threads"], report["server"]["binary"]),
        file=out)
    print("%-14s %9s %6s %7s %5s %13s %8s %11s %11s" % ("phase", "QPS", "ratio", "/before", "alive", "RSS MiB",
                                                        "srv cpu", "TCP probe", "admin"), file=out)

    def fmt(x):
        return "%.2f" % x if x is not None else "-"

    for p in report["phases"]:
        tcp, admin = p["probes"]["tcp"], p["probes"]["admin"]
        print("%-14s %9.0f %6s %7s %5s %13s %8s %11s %11s" % (
            p["phase"], p["qps"], fmt(p.get("ratio")), fmt(p.get("ratio_to_quiet_before")),
            "yes" if p["alive"] else "NO", "%s->%s" % (p["rss_before_mib"], p["rss_after_mib"]),
            p.get("server_cores", "-"), "%d/%d ok" % (tcp["ok"], tcp["ok"] + tcp["failed"]),
            "%d/%d ok" % (admin["ok"], admin["ok"] + admin["failed"])), file=out)
    for p in report["phases"]:
        if p["kind"] != "quiet":
            recovery = p.get("recovery_s")
            print("  %s (prompt answers again %s after it):" % (
                p["phase"], "%.1f s" % recovery if recovery is not None else "NOT within the limit"), file=out)
            for line in attack_summary(p):
                print("    " + line, file=out)
            drift = p.get("quiet_after_to_before")
            if drift is not None and abs(drift - 1) > 0.2:
                print("    the quiet phase after it ran at %.2f x the one before: lingering damage or a noisy machine"
                      % drift,
                      file=out)
            if p["probes"]["tcp"]["failures"]:
                print("    TCP probe failures: %s" % fmt_counts(p["probes"]["tcp"]["failures"]), file=out)
    noise = [p.get("other_cores") for p in report["phases"] if p.get("other_cores") is not None]
    if noise:
        print("other processes on the machine: %.2f-%.2f cores during the phases (steal up to %.2f)" % (
            min(noise), max(noise), max(p.get("steal_cores", 0) for p in report["phases"])), file=out)
    print("server: %s (pid %s, descriptors %s)" % ("alive" if report["server_alive"] else "DIED",
                                                   report["server"]["pid"],
                                                   report["server"]["nofile"]), file=out)
    out.flush()


def parse_args(argv):
    """Command-line options; --smoke shrinks every count and duration."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--binary", default=".build/release/switchyard", help="the switchyard executable")
    ap.add_argument("--threads", type=int, default=2, help="serve --threads")
    ap.add_argument("--server-arg", action="append", default=[], help="extra argument for `serve` (repeatable)")
    ap.add_argument("--server-nofile", type=int, default=0,
                    help="start the server with this soft descriptor limit (0: inherit)")
    ap.add_argument("--duration", type=int, default=10, help="seconds of legitimate load per phase")
    ap.add_argument("--ramp", type=float, default=3.0, help="seconds an attack runs before a phase is measured")
    ap.add_argument("--names", type=int, default=3000, help="hosts in the generated zone")
    ap.add_argument("--generator", choices=("auto", "dnsperf", "python"), default="auto",
                    help="legitimate load: dnsperf if installed (auto), else the built-in Python one")
    ap.add_argument("--phases", default="slow-tcp,qtype-sweep,bombs", help="attack phases to run, in order")
    ap.add_argument("--slow-clients", type=int, default=1000, help="slow TCP clients")
    ap.add_argument("--drip-interval", type=float, default=4.0, help="seconds between a slow client's bytes")
    ap.add_argument("--connect-rate", type=int, default=500, help="slow-client connects per second at most")
    ap.add_argument("--slow-sources", type=int, default=32,
                    help="loopback addresses the slow clients come from (127.1.0.1, ...; 1: all from 127.0.0.1)")
    ap.add_argument("--probe-source", default="127.0.99.1",
                    help="address the TCP and admin probes come from (not an attacker's)")
    ap.add_argument("--sweep-rate", type=int, default=2000, help="query-type sweep queries per second")
    ap.add_argument("--bomb-udp-rate", type=float, default=50, help="UDP bombs per second")
    ap.add_argument("--bomb-tcp-rate", type=float, default=10, help="TCP bombs per second")
    ap.add_argument("--bomb-udp-sizes", default="4096,16384,32768,65000",
                    help="UDP bomb sizes in octets, cycled (comma-separated)")
    ap.add_argument("--bomb-tcp-size", type=int, default=65533, help="TCP bomb size in octets")
    ap.add_argument("--start-timeout", type=float, default=60, help="seconds to wait for the server to answer")
    ap.add_argument("--recovery-timeout", type=float, default=60,
                    help="after an attack, seconds to wait at most for prompt UDP answers before the next phase")
    ap.add_argument("--json", help="write the full result here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (zone, server log)")
    ap.add_argument("--seed", type=int, default=1)
    ap.set_defaults(light=False)
    ap.add_argument("--smoke", action="store_true",
                    help="tiny counts and 1 s phases (a few seconds in all): does the instrument work?")
    args = ap.parse_args(argv)
    if args.smoke:
        args.duration, args.ramp, args.names = 1, 0.3, 200
        args.slow_clients, args.slow_sources, args.drip_interval, args.connect_rate = 20, 4, 0.2, 200
        args.sweep_rate, args.bomb_udp_rate, args.bomb_tcp_rate = 200, 4, 2
        # The smoke run checks the instrument, not the server's speed: a light built-in
        # load (one socket, two queries outstanding) leaves the CPU to whatever runs beside.
        args.generator, args.light = "python", True
        args.bomb_udp_sizes, args.bomb_tcp_size = "1500", 2048
        args.recovery_timeout = 10
    args.bomb_udp_sizes = [min(65507, int(x)) for x in str(args.bomb_udp_sizes).split(",") if x.strip()]
    args.bomb_tcp_size = min(65535, args.bomb_tcp_size)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    for p in args.phases:
        if p not in ("slow-tcp", "qtype-sweep", "bombs"):
            ap.error("unknown phase %r" % p)
    return args


def interrupted(signum, frame):
    """SIGINT and SIGTERM end a run through the cleanup in main()."""
    raise KeyboardInterrupt()


def main(argv):
    """Runs the whole benchmark; returns the exit status."""
    args = parse_args(argv)
    if not os.access(args.binary, os.X_OK):
        log("no executable at %s: build it with `swift build -c release` (or pass --binary)" % args.binary)
        return 2
    have_dnsperf = shutil.which("dnsperf") is not None
    if args.generator == "dnsperf" and not have_dnsperf:
        log("dnsperf is not installed (Debian package dnsperf)")
        return 2
    args.generator_used = "dnsperf" if args.generator != "python" and have_dnsperf else "python"
    # the bench process holds every slow client, bomb connection and probe at once
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.slow_clients + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need if hard == resource.RLIM_INFINITY else min(need, hard), hard))
    rng = random.Random(args.seed)
    random.seed(args.seed)
    folder = tempfile.mkdtemp(prefix="switchyard-hostile-")
    server, children = Server(args, folder), []
    # SIGTERM ends the run like Ctrl-C does: through the finally below
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    status = 0
    try:
        queries = write_zone(os.path.join(folder, "zones"), args.names, rng)
        qfile = os.path.join(folder, "queries.txt")
        with open(qfile, "w") as f:
            f.writelines("%s %s\n" % q for q in queries)
        log("zone: %d names, %d query lines, in %s" % (args.names, len(queries), folder))
        if not server.start():
            return 2
        log("server pid %d on 127.0.0.1:%d (admin %d); legitimate load: %s" % (
            server.pid, server.port, server.admin_port,
            "dnsperf -c 8 -q 100" if args.generator_used == "dnsperf" else
            "built-in Python generator" + ("" if have_dnsperf else " (dnsperf is not installed)")))
        plan = [("quiet-1", "quiet")]
        for n, kind in enumerate(args.phases):
            plan += [(kind, kind), ("quiet-%d" % (n + 2), "quiet")]
        phases = []
        for name, kind in plan:
            if not server.alive():
                log("server died: skipping %s" % name)
                break
            log("phase %s (%d s)..." % (name, args.duration))
            p = run_phase(name, kind, args, server, queries, qfile, children)
            phases.append(p)
            log("  %s: %.0f QPS, alive %s" % (name, p["qps"], p["alive"]))
        add_ratios(phases)
        alive = server.alive()
        report = {
            "tool": "hostile-load.py",
            "generator": args.generator_used,
            "config": {k: v for k, v in vars(args).items() if k not in ("generator_used",)},
            "server": {"binary": args.binary, "pid": server.pid, "command": server.cmd,
                       "nofile": proc_nofile(server.pid) if alive else None, "exit_code": server.proc.poll()},
            "machine": {"cpus": os.cpu_count(), "loadavg": open("/proc/loadavg").read().split()[:3]},
            "phases": phases,
            "ratios": {p["phase"]: p["ratio"] for p in phases if p["kind"] != "quiet"},
            "server_alive": alive,
        }
        if not alive:
            report["server_log_tail"] = server.log_tail()
            status = 1
        elif args.smoke and (len(phases) != len(plan) or any(p["qps"] <= 0 for p in phases)):
            status = 3
        report["exit_status"] = status
        print_table(report)
        if not alive:
            print("server DIED (exit %s); last log lines:\n%s" % (server.proc.poll(), report["server_log_tail"]))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report, f, indent=1)
        return status
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        for p in list(children):
            if p.poll() is None:
                p.kill()
                p.wait(5)
        server.stop()
        if args.keep:
            log("kept %s" % folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
