#!/usr/bin/env python3
"""reload-under-load.py - reload a big zone while dnsperf queries the server, and report
lost queries and resident memory: settled before the reload, peak during it, settled after.

  Benchmarks/reload-under-load.py --zone-dir DIR [--binary PATH] [--port 5399]
      [--rate 20000] [--seconds 40] [--reload-at 10]

DIR holds one zone file (bench.test.zone from the harness's genzone.py, e.g. -n 1000000)
and its queries.txt. The zone is copied to a temporary folder; at --reload-at seconds into
the dnsperf run its SOA serial is raised and the server gets SIGHUP; the reload is done
when the new serial is served. Loopback only; every wait is bounded; the server is
stopped by its pid. Needs dnsperf (Debian package dnsperf).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def soa_serial(port, origin, timeout=0.2):
    wire = b"".join(bytes([len(l)]) + l.encode() for l in origin.rstrip(".").split(".")) + b"\0"
    query = struct.pack(">HHHHHH", 0x5151, 0, 1, 0, 0, 0) + wire + struct.pack(">HH", 6, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(query, ("127.0.0.1", port))
            reply = s.recv(4096)
        except OSError:
            return None
    if len(reply) < 12 or struct.unpack(">H", reply[6:8])[0] == 0:
        return None
    # The answer's RDATA ends with serial, refresh, retry, expire, minimum.
    return struct.unpack(">I", reply[-20:-16])[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zone-dir", required=True)
    parser.add_argument("--binary", default=".build/release/switchyard")
    parser.add_argument("--port", type=int, default=5399)
    parser.add_argument("--rate", type=int, default=20000, help="queries per second dnsperf offers (-Q)")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--reload-at", type=float, default=10.0)
    args = parser.parse_args()
    if shutil.which("dnsperf") is None:
        sys.exit("dnsperf is missing (Debian package dnsperf)")
    zones = [f for f in os.listdir(args.zone_dir) if f.endswith(".zone")]
    if len(zones) != 1:
        sys.exit(f"{args.zone_dir} must hold exactly one .zone file")
    work = tempfile.mkdtemp(prefix="reload-under-load-")
    server = None
    try:
        zone_path = os.path.join(work, "zones", zones[0])
        os.makedirs(os.path.dirname(zone_path))
        shutil.copy(os.path.join(args.zone_dir, zones[0]), zone_path)
        origin = zones[0][:-len(".zone")] + "."
        server = subprocess.Popen([args.binary, "serve", os.path.dirname(zone_path), "--listen", f"127.0.0.1:{args.port}",
                                   "--admin", "off", "--threads", "1", "--state-dir", os.path.join(work, "state")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        serial = None
        while serial is None and time.monotonic() - started < 300:
            time.sleep(0.05)
            serial = soa_serial(args.port, origin)
        if serial is None:
            sys.exit("the server did not answer within 300 s")
        time.sleep(3)
        dnsperf = subprocess.Popen(["dnsperf", "-s", "127.0.0.1", "-p", str(args.port), "-d",
                                    os.path.join(args.zone_dir, "queries.txt"), "-l", str(args.seconds),
                                    "-Q", str(args.rate), "-t", "2", "-c", "4"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        t0 = time.monotonic()
        settled = []
        while time.monotonic() - t0 < args.reload_at:
            settled.append(rss_mib(server.pid))
            time.sleep(0.05)
        with open(zone_path, "rb") as f:
            text = f.read()
        text = re.sub(rb"(SOA\s+\S+\s+\S+\s+\(?\s*)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 1).encode(), text, count=1)
        with open(zone_path + ".new", "wb") as f:
            f.write(text)
        os.replace(zone_path + ".new", zone_path)
        del text
        reload_start = time.monotonic()
        server.send_signal(signal.SIGHUP)
        peak = 0.0
        reloaded = None
        while time.monotonic() - reload_start < 300:
            peak = max(peak, rss_mib(server.pid))
            if reloaded is None and soa_serial(args.port, origin) == serial + 1:
                reloaded = time.monotonic() - reload_start
                break
            time.sleep(0.02)
        after = []
        while dnsperf.poll() is None and time.monotonic() - t0 < args.seconds + 30:
            after.append(rss_mib(server.pid))
            peak = max(peak, after[-1])
            time.sleep(0.05)
        output = dnsperf.communicate(timeout=30)[0]
        sent = re.search(r"Queries sent:\s+(\d+)", output)
        lost = re.search(r"Queries lost:\s+(\d+)", output)
        settled_before = max(settled[-20:]) if settled else 0.0
        result = {
            "queries_sent": int(sent.group(1)) if sent else None,
            "queries_lost": int(lost.group(1)) if lost else None,
            "reload_seconds": round(reloaded, 2) if reloaded is not None else None,
            "settled_rss_mib": round(settled_before, 1),
            "peak_rss_mib": round(peak, 1),
            "peak_over_settled": round(peak / settled_before, 2) if settled_before else None,
            "settled_after_mib": round(after[-1], 1) if after else None,
        }
        print(json.dumps(result))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
