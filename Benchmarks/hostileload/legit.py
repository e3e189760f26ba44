"""Legitimate load: dnsperf, or a built-in closed-loop UDP generator run as a child process."""
import json
import os
import re
import selectors
import socket
import struct
import subprocess
import sys
import time

from .wire import TYPE_CODES, name_wire, rcode_of

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def parse_dnsperf(out):
    """The figures of one dnsperf run from its text output."""
    def num(pattern, cast=float):
        m = re.search(pattern, out, re.M)
        return cast(m.group(1)) if m else None
    r = {"sent": num(r"Queries sent:\s+(\d+)", int), "completed": num(r"Queries completed:\s+(\d+)", int),
         "lost": num(r"Queries lost:\s+(\d+)", int), "qps": num(r"Queries per second:\s+([\d.]+)"),
         "lat_avg_ms": num(r"Average Latency \(s\):\s+([\d.]+)")}
    if r["lat_avg_ms"] is not None:
        r["lat_avg_ms"] = round(r["lat_avg_ms"] * 1000, 3)
    m = re.search(r"Response codes:\s+(.*)$", out, re.M)
    if m:
        r["rcodes"] = {k: int(n) for k, n, _ in re.findall(r"(\w+) (\d+) \(([\d.]+)%\)", m.group(1))}
    return r


def run_generator(args, port, qfile, duration, children):
    """Legitimate UDP load for `duration` seconds; returns its figures (qps, sent, ...)."""
    if args.generator_used == "dnsperf":
        cmd = ["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d", qfile, "-l", str(duration),
               "-c", "8", "-q", "100", "-T", "1", "-t", "2"]
    else:
        cmd = [sys.executable, "-B", "-m", "hostileload.legit", str(port), qfile, str(duration)]
        if getattr(args, "light", False):
            cmd += ["1", "2"]
    env = dict(os.environ, PYTHONPATH=os.path.dirname(PACKAGE_DIR))
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    children.append(p)   # the caller stops what is left in `children` if this is interrupted
    try:
        out, _ = p.communicate(timeout=duration + 30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    children.remove(p)
    if args.generator_used == "dnsperf":
        r = parse_dnsperf(out)
    else:
        try:
            r = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            r = {"qps": None}
    if r.get("qps") is None:
        r["error"] = out[-2000:]
        r["qps"] = 0.0
    return r


def udp_generator_main(argv):
    """Built-in closed loop: 8 sockets (or argv[3]), at most 16 queries outstanding on each
    (or argv[4]), a 1 s timeout per query; QPS counts answered queries only. Prints one
    JSON line."""
    port, qfile, duration = int(argv[0]), argv[1], float(argv[2])
    socket_count = int(argv[3]) if len(argv) > 3 else 8
    window = int(argv[4]) if len(argv) > 4 else 16
    queries = []
    with open(qfile) as f:
        for line in f:
            name, qtype = line.split()
            queries.append(name_wire(name) + struct.pack(">HH", TYPE_CODES[qtype], 1))
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(socket_count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, len(socks))
        socks.append(s)
    outstanding = [dict() for _ in socks]   # per socket: id -> sent at
    next_id = [1] * len(socks)
    sent = completed = lost = 0
    rcodes, k = {}, 0
    start = time.monotonic()
    end = start + duration

    def fill(i, now):
        nonlocal sent, k
        while len(outstanding[i]) < window:
            qid = next_id[i]
            next_id[i] = qid % 65535 + 1
            if qid in outstanding[i]:
                return
            try:
                socks[i].send(struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + queries[k % len(queries)])
            except (BlockingIOError, ConnectionRefusedError):
                return
            k += 1
            sent += 1
            outstanding[i][qid] = now

    last_sweep = start
    while True:
        now = time.monotonic()
        if now >= end:
            break
        for i in range(len(socks)):
            fill(i, now)
        for key, _ in sel.select(min(0.05, end - now)):
            i = key.data
            for _ in range(64):
                try:
                    data = socks[i].recv(65535)
                except (BlockingIOError, ConnectionRefusedError):
                    break
                got = rcode_of(data)
                if got and outstanding[i].pop(got[0], None) is not None:
                    completed += 1
                    rcodes[got[1]] = rcodes.get(got[1], 0) + 1
        if now - last_sweep >= 0.1:
            last_sweep = now
            for i in range(len(socks)):
                for qid in [q for q, at in outstanding[i].items() if now - at > 1.0]:
                    del outstanding[i][qid]
                    lost += 1
    elapsed = time.monotonic() - start
    print(json.dumps({"sent": sent, "completed": completed, "lost": lost, "qps": round(completed / elapsed, 1),
                      "rcodes": rcodes}))
    return 0


if __name__ == "__main__":
    sys.exit(udp_generator_main(sys.argv[1:]))
