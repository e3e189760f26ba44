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
import heapq
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ORIGIN = "bench.test"
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}
TYPE_CODES = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28}
CLK = os.sysconf("SC_CLK_TCK")


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# DNS wire helpers
# ---------------------------------------------------------------------------
def name_wire(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.rstrip(".").split(".") if label) + b"\0"


def build_query(qname, qtype, qid):
    return struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + name_wire(qname) + struct.pack(">HH", qtype, 1)


def rcode_of(reply):
    """(id, rcode name) of a reply, or None for a runt."""
    if len(reply) < 12:
        return None
    qid, flags = struct.unpack(">HH", reply[:4])
    return qid, RCODES.get(flags & 0xF, str(flags & 0xF))


def build_bomb(qname, size, section, qid=0):
    """A query of about `size` octets whose `section` ("answer" or "additional") holds one
    record carrying a chain of compression pointers in its RDATA (each pointer aims at the
    one before it, the first at the question name) and then as many records as fit, each
    owned by a pointer to the last link: decompressing every owner walks the whole chain.
    Pointers reach only the first 16 KiB of a message (14-bit offsets), so the chain stays
    there and the records fill the rest. Names never grow (pointers add no labels), so a
    255-octet name limit does not stop the walk; only a hop or work budget does."""
    question = name_wire(qname) + struct.pack(">HH", 1, 1)
    chain_start = 12 + len(question) + 12          # after the chain record's own header
    room = size - chain_start
    # pointer targets must be < 0x4000; spend about a quarter of the room on the chain
    links = max(1, min((0x3FFF - chain_start) // 2, room // 4))
    chain = bytearray()
    for i in range(links):
        target = 12 if i == 0 else chain_start + 2 * (i - 1)
        chain += struct.pack(">H", 0xC000 | target)
    last_link = chain_start + 2 * (links - 1)
    chain_record = struct.pack(">HHHIH", 0xC00C, 10, 1, 0, len(chain)) + bytes(chain)   # NULL, owner = qname
    bomb_record = struct.pack(">HHHIH", 0xC000 | last_link, 10, 1, 0, 0)               # NULL, empty RDATA
    records = max(0, (size - 12 - len(question) - len(chain_record)) // len(bomb_record))
    count = 1 + records
    if count > 0xFFFF:
        records, count = 0xFFFF - 1, 0xFFFF
    an, ar = (count, 0) if section == "answer" else (0, count)
    header = struct.pack(">HHHHHH", qid, 0, 1, an, 0, ar)
    return header + question + chain_record + bomb_record * records, links * records


# ---------------------------------------------------------------------------
# /proc readings
# ---------------------------------------------------------------------------
def proc_cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / CLK
    except (OSError, IndexError):
        return None


def proc_rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def proc_socket_fds(pid):
    try:
        count = 0
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith("socket:"):
                    count += 1
            except OSError:
                pass
        return count
    except OSError:
        return None


def proc_nofile(pid):
    try:
        with open("/proc/%d/limits" % pid) as f:
            for line in f:
                if line.startswith("Max open files"):
                    fields = line.split()
                    return {"soft": fields[3], "hard": fields[4]}
    except OSError:
        pass
    return None


def machine_busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / CLK   # user nice system irq softirq


def steal_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[7] if len(fields) > 7 else 0) / CLK


def own_cpu_seconds():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# ---------------------------------------------------------------------------
# zone and queries
# ---------------------------------------------------------------------------
def write_zone(folder, names, rng):
    """bench.test. with `names` hosts: A on all, AAAA on every 2nd, TXT on every 3rd, MX on
    every 5th. Returns the (name, type) pairs that exist, for the query streams."""
    lines = ["$ORIGIN %s." % ORIGIN, "$TTL 300",
             "@ IN SOA ns1 hostmaster 2026120401 3600 900 1209600 60", "@ IN NS ns1", "ns1 IN A 127.0.0.1"]
    queries = [("%s." % ORIGIN, "SOA"), ("%s." % ORIGIN, "NS")]
    for i in range(names):
        host = "host%d" % i
        fqdn = "%s.%s." % (host, ORIGIN)
        lines.append("%s IN A 10.%d.%d.%d" % (host, (i >> 16) & 255, (i >> 8) & 255, i & 255))
        queries.append((fqdn, "A"))
        if i % 2 == 0:
            lines.append("%s IN AAAA 2001:db8::%x" % (host, i + 1))
            queries.append((fqdn, "AAAA"))
        if i % 3 == 0:
            lines.append('%s IN TXT "v=bench %d %s"' % (host, i, "x" * rng.randrange(8, 64)))
            queries.append((fqdn, "TXT"))
        if i % 5 == 0:
            lines.append("%s IN MX 10 mail%d.%s." % (host, i % 7, ORIGIN))
            queries.append((fqdn, "MX"))
    for k in range(7):
        lines.append("mail%d IN A 10.255.0.%d" % (k, k + 1))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "%s.zone" % ORIGIN), "w") as f:
        f.write("\n".join(lines) + "\n")
    rng.shuffle(queries)
    return queries


# ---------------------------------------------------------------------------
# ports and the server process
# ---------------------------------------------------------------------------
def free_port():
    """A loopback port free for both UDP and TCP at the time of asking."""
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            tcp.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            udp.close()
            tcp.close()
    raise RuntimeError("no free loopback port")


def udp_ask(port, qname, qtype, timeout=0.2):
    qid = random.randrange(1, 65536)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.sendto(build_query(qname, qtype, qid), ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            data = s.recv(65535)
            got = rcode_of(data)
            if got and got[0] == qid:
                return got[1]
    except OSError:
        return None
    finally:
        s.close()
    return None


def tcp_ask(port, qname, qtype, timeout=2.0):
    """One query on a fresh TCP connection: the rcode name, or why not ("timeout", ...)."""
    qid = random.randrange(1, 65536)
    query = build_query(qname, qtype, qid)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    deadline = time.monotonic() + timeout
    try:
        s.settimeout(timeout)
        s.connect(("127.0.0.1", port))
        s.sendall(struct.pack(">H", len(query)) + query)
        data = b""
        while True:
            if len(data) >= 2 and len(data) >= 2 + struct.unpack(">H", data[:2])[0]:
                got = rcode_of(data[2:])
                return got[1] if got and got[0] == qid else "bad-reply"
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            s.settimeout(left)
            chunk = s.recv(4096)
            if not chunk:
                return "closed"
            data += chunk
    except socket.timeout:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except ConnectionResetError:
        return "reset"
    except OSError as e:
        return "error:%s" % (e.strerror or e)
    finally:
        s.close()


def http_healthz(port, timeout=2.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        head = s.recv(64)
        return head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    except OSError:
        return False
    finally:
        s.close()


class Server:
    """`switchyard serve` in its own session (its pgid is its pid), stopped by that pid."""

    def __init__(self, args, folder):
        self.args, self.folder = args, folder
        self.proc = None
        self.port = self.admin_port = None
        self.log_path = os.path.join(folder, "server.log")

    def start(self):
        nofile = self.args.server_nofile

        def limit_descriptors():
            if nofile:
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (min(nofile, hard), hard))

        last = "not started"
        for _ in range(3):
            self.port, self.admin_port = free_port(), free_port()
            cmd = [self.args.binary, "serve", os.path.join(self.folder, "zones"),
                   "--listen", "127.0.0.1:%d" % self.port, "--admin", "127.0.0.1:%d" % self.admin_port,
                   "--state-dir", os.path.join(self.folder, "state"), "--threads", str(self.args.threads)]
            cmd += self.args.server_arg
            self.cmd = cmd
            with open(self.log_path, "ab") as logf:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                                             start_new_session=True, preexec_fn=limit_descriptors)
            deadline = time.monotonic() + self.args.start_timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                if udp_ask(self.port, ORIGIN + ".", TYPE_CODES["SOA"]) == "NOERROR":
                    while time.monotonic() < deadline and not http_healthz(self.admin_port, 0.5):
                        time.sleep(0.05)
                    return True
                time.sleep(0.05)
            last = "exited with %s" % self.proc.returncode if self.proc.poll() is not None else "did not answer in time"
            self.stop()
        log("server %s; its log:\n%s" % (last, self.log_tail()))
        return False

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


# ---------------------------------------------------------------------------
# background activities: each a thread with a stop event, bounded in time
# ---------------------------------------------------------------------------
class Activity(threading.Thread):
    def __init__(self, hard_seconds):
        super().__init__(daemon=True)
        self.stop_event = threading.Event()
        self.hard_deadline = time.monotonic() + hard_seconds
        self.stats = {}
        self.error = None

    def running(self):
        return not self.stop_event.is_set() and time.monotonic() < self.hard_deadline

    def run(self):
        try:
            self.work()
        except Exception as e:  # reported, never silently lost
            self.error = "%s: %s" % (type(e).__name__, e)

    def finish(self):
        self.stop_event.set()
        self.join(15)
        if self.error:
            self.stats["error"] = self.error
        return self.stats


class Pacer:
    """How many sends are due at `rate` per second since start (bursts capped)."""

    def __init__(self, rate, burst=64):
        self.rate, self.burst = rate, burst
        self.start = time.monotonic()
        self.done = 0

    def due(self):
        if self.rate <= 0:
            return 0
        owed = int((time.monotonic() - self.start) * self.rate) - self.done
        if owed > self.burst:
            self.done += owed - self.burst   # fell behind: skip rather than burst
            owed = self.burst
        return max(0, owed)


class Probes(Activity):
    """Once a second: a fresh TCP query for a real name, and the admin API's /healthz."""

    def __init__(self, server, queries, hard_seconds):
        super().__init__(hard_seconds)
        self.server, self.queries = server, queries
        self.stats = {"tcp_ok": 0, "tcp_failed": 0, "tcp_failures": {}, "admin_ok": 0, "admin_failed": 0}

    def work(self):
        i = 0
        while self.running():
            qname, qtype = self.queries[i % len(self.queries)]
            i += 1
            outcome = tcp_ask(self.server.port, qname, TYPE_CODES[qtype], timeout=2.0)
            if outcome == "NOERROR":
                self.stats["tcp_ok"] += 1
            else:
                self.stats["tcp_failed"] += 1
                self.stats["tcp_failures"][outcome] = self.stats["tcp_failures"].get(outcome, 0) + 1
            if http_healthz(self.server.admin_port, 2.0):
                self.stats["admin_ok"] += 1
            else:
                self.stats["admin_failed"] += 1
            self.stop_event.wait(1.0)


class Sampler(Activity):
    """Peak RSS and socket descriptors of the server, every 0.25 s."""

    def __init__(self, pid, hard_seconds):
        super().__init__(hard_seconds)
        self.pid = pid
        self.stats = {"rss_peak_mib": None, "socket_fds_peak": None}

    def work(self):
        while self.running():
            rss, fds = proc_rss_mib(self.pid), proc_socket_fds(self.pid)
            if rss is not None:
                self.stats["rss_peak_mib"] = max(rss, self.stats["rss_peak_mib"] or 0)
            if fds is not None:
                self.stats["socket_fds_peak"] = max(fds, self.stats["socket_fds_peak"] or 0)
            self.stop_event.wait(0.25)


class SlowTCPClients(Activity):
    """`count` TCP connections, each dripping one byte of a length-prefixed query every
    `interval` seconds (starts spread over the interval), reconnecting when closed; all on
    one selector. Connects are capped at `connect_rate` per second."""

    def __init__(self, port, queries, count, interval, connect_rate, hard_seconds):
        super().__init__(hard_seconds)
        self.port, self.count, self.interval, self.connect_rate = port, count, interval, connect_rate
        self.payloads = []
        for i in range(count):
            qname, qtype = queries[i % len(queries)]
            query = build_query(qname, TYPE_CODES[qtype], (i % 65535) + 1)
            self.payloads.append(struct.pack(">H", len(query)) + query)
        self.stats = {"clients": count, "connects_attempted": 0, "connected": 0, "refused": 0, "connect_timeouts": 0,
                      "closed_by_server": 0, "closed_within_1s": 0, "reset_by_server": 0, "bytes_dripped": 0,
                      "replies": 0, "open_peak": 0, "open_at_end": 0}

    def work(self):
        sel = selectors.DefaultSelector()
        clients = [None] * self.count   # index -> dict(sock, state, sent, since, gen, inbuf)
        timers = []                     # heap of (due, seq, index, gen, what)
        seq = 0
        gen = [0] * self.count
        rng = random.Random(7)
        for i in range(self.count):
            heapq.heappush(timers, (time.monotonic() + rng.random() * min(1.0, self.count / max(1, self.connect_rate)),
                                    seq, i, 0, "connect"))
            seq += 1
        pacer = Pacer(self.connect_rate, burst=self.connect_rate)
        open_now = 0

        def drop(i, why, reconnect_after=0.5):
            nonlocal open_now, seq
            c = clients[i]
            if c is None:
                return
            if c["state"] == "open":
                open_now -= 1
            try:
                sel.unregister(c["sock"])
            except (KeyError, ValueError):
                pass
            c["sock"].close()
            clients[i] = None
            gen[i] += 1
            if why:
                self.stats[why] += 1
            heapq.heappush(timers, (time.monotonic() + reconnect_after, seq, i, gen[i], "connect"))
            seq += 1

        try:
            while self.running():
                now = time.monotonic()
                budget = pacer.due()
                while timers and timers[0][0] <= now:
                    due, _, i, g, what = heapq.heappop(timers)
                    if g != gen[i]:
                        continue
                    if what == "connect":
                        if budget <= 0:
                            heapq.heappush(timers, (now + 0.01, seq, i, g, what))
                            seq += 1
                            break
                        budget -= 1
                        pacer.done += 1
                        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                        s.setblocking(False)
                        self.stats["connects_attempted"] += 1
                        err = s.connect_ex(("127.0.0.1", self.port))
                        clients[i] = {"sock": s, "state": "connecting", "sent": 0, "since": now, "inbuf": b""}
                        if err not in (0, 115):   # EINPROGRESS
                            clients[i]["state"] = "failed"
                            drop(i, "refused", 1.0)
                            continue
                        sel.register(s, selectors.EVENT_WRITE, i)
                        heapq.heappush(timers, (now + 5.0, seq, i, g, "connect-timeout"))
                        seq += 1
                    elif what == "connect-timeout":
                        c = clients[i]
                        if c is not None and c["state"] == "connecting":
                            drop(i, "connect_timeouts", 0.5)
                    elif what == "drip":
                        c = clients[i]
                        if c is None or c["state"] != "open":
                            continue
                        payload = self.payloads[i]
                        try:
                            c["sock"].send(payload[c["sent"] % len(payload):c["sent"] % len(payload) + 1])
                        except BlockingIOError:
                            pass
                        except ConnectionResetError:
                            drop(i, "reset_by_server")
                            continue
                        except OSError:
                            drop(i, "closed_by_server")
                            continue
                        c["sent"] += 1
                        self.stats["bytes_dripped"] += 1
                        heapq.heappush(timers, (now + self.interval, seq, i, g, "drip"))
                        seq += 1
                wait = 0.05
                if timers:
                    wait = max(0.0, min(wait, timers[0][0] - time.monotonic()))
                for key, mask in sel.select(wait):
                    i = key.data
                    c = clients[i]
                    if c is None:
                        continue
                    if c["state"] == "connecting":
                        err = c["sock"].getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                        if err:
                            drop(i, "refused" if err == 111 else "connect_timeouts", 1.0)
                            continue
                        c["state"], c["since"] = "open", time.monotonic()
                        open_now += 1
                        self.stats["connected"] += 1
                        self.stats["open_peak"] = max(self.stats["open_peak"], open_now)
                        sel.modify(c["sock"], selectors.EVENT_READ, i)
                        first_drip = time.monotonic() + rng.random() * self.interval
                        heapq.heappush(timers, (first_drip, seq, i, gen[i], "drip"))
                        seq += 1
                        continue
                    try:
                        data = c["sock"].recv(65536)
                    except BlockingIOError:
                        continue
                    except ConnectionResetError:
                        if time.monotonic() - c["since"] < 1.0:
                            self.stats["closed_within_1s"] += 1
                        drop(i, "reset_by_server")
                        continue
                    except OSError:
                        drop(i, "closed_by_server")
                        continue
                    if not data:
                        if time.monotonic() - c["since"] < 1.0:
                            self.stats["closed_within_1s"] += 1
                        drop(i, "closed_by_server")
                        continue
                    c["inbuf"] += data
                    while len(c["inbuf"]) >= 2 and len(c["inbuf"]) >= 2 + struct.unpack(">H", c["inbuf"][:2])[0]:
                        c["inbuf"] = c["inbuf"][2 + struct.unpack(">H", c["inbuf"][:2])[0]:]
                        self.stats["replies"] += 1
        finally:
            self.stats["open_at_end"] = open_now
            for i, c in enumerate(clients):
                if c is not None:
                    c["sock"].close()
            sel.close()


class QtypeSweep(Activity):
    """UDP queries for existing names over query types 0..65535 in order, every 8th one a
    random type, at `rate` per second from one socket; replies drained."""

    def __init__(self, port, queries, rate, hard_seconds):
        super().__init__(hard_seconds)
        self.port, self.rate = port, rate
        self.names = [name_wire(q[0]) for q in queries[:512]]
        self.stats = {"rate": rate, "sent": 0, "answered": 0, "send_blocked": 0, "distinct_qtypes": 0, "rcodes": {}}

    def work(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.connect(("127.0.0.1", self.port))
        s.setblocking(False)
        pacer, rng = Pacer(self.rate), random.Random(11)
        seen, sequential, n = set(), 0, 0
        try:
            while self.running():
                due = pacer.due()
                for _ in range(due):
                    if n % 8 == 7:
                        qtype = rng.randrange(65536)
                    else:
                        qtype, sequential = sequential, (sequential + 1) % 65536
                    n += 1
                    seen.add(qtype)
                    wire = struct.pack(">HHHHHH", n & 0xFFFF, 0, 1, 0, 0, 0) + self.names[n % len(self.names)] + \
                        struct.pack(">HH", qtype, 1)
                    try:
                        s.send(wire)
                        self.stats["sent"] += 1
                    except (BlockingIOError, ConnectionRefusedError):
                        self.stats["send_blocked"] += 1
                    pacer.done += 1
                self._drain(s)
                if due == 0:
                    time.sleep(0.002)
            end = time.monotonic() + 0.5
            while time.monotonic() < end and self.stats["answered"] < self.stats["sent"]:
                self._drain(s)
                time.sleep(0.01)
        finally:
            s.close()
            self.stats["distinct_qtypes"] = len(seen)

    def _drain(self, s):
        for _ in range(10000):
            try:
                data = s.recv(65535)
            except (BlockingIOError, ConnectionRefusedError):
                return
            got = rcode_of(data)
            if got:
                self.stats["answered"] += 1
                self.stats["rcodes"][got[1]] = self.stats["rcodes"].get(got[1], 0) + 1


class CompressionBombs(Activity):
    """Compressed-name bombs over UDP (sizes cycled) and TCP (one query per connection, at
    most `tcp_concurrency` open), each at its own rate, sections alternating between answer
    and additional; every reply's rcode is counted per kind, unanswered ones as no_reply."""

    def __init__(self, port, qname, udp_rate, tcp_rate, udp_sizes, tcp_size, tcp_concurrency, hard_seconds):
        super().__init__(hard_seconds)
        self.port, self.udp_rate, self.tcp_rate, self.tcp_concurrency = port, udp_rate, tcp_rate, tcp_concurrency
        self.udp_templates, self.tcp_templates = [], []
        for size in udp_sizes:
            for section in ("additional", "answer"):
                wire, hops = build_bomb(qname, size, section)
                self.udp_templates.append(("udp-%dB-%s" % (len(wire), section), wire, hops))
        for section in ("additional", "answer"):
            wire, hops = build_bomb(qname, tcp_size, section)
            self.tcp_templates.append(("tcp-%dB-%s" % (len(wire), section), wire, hops))
        self.stats = {"udp_rate": udp_rate, "tcp_rate": tcp_rate, "kinds": {}}
        for kind, wire, hops in self.udp_templates + self.tcp_templates:
            self.stats["kinds"][kind] = {"pointer_hops_per_query": hops, "sent": 0, "answered": 0, "no_reply": 0,
                                         "rcodes": {}}

    def _answered(self, kind, reply):
        k = self.stats["kinds"][kind]
        got = rcode_of(reply)
        k["answered"] += 1
        name = got[1] if got else "runt"
        k["rcodes"][name] = k["rcodes"].get(name, 0) + 1

    def work(self):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 21)
        udp.connect(("127.0.0.1", self.port))
        udp.setblocking(False)
        sel = selectors.DefaultSelector()
        sel.register(udp, selectors.EVENT_READ, None)
        udp_pacer, tcp_pacer = Pacer(self.udp_rate, 8), Pacer(self.tcp_rate, 4)
        pending_udp = {}    # id -> kind
        conns = {}          # sock -> dict(kind, out, inbuf, deadline)
        qid, u, t = 0, 0, 0

        def close(s, outcome):
            c = conns.pop(s)
            sel.unregister(s)
            s.close()
            k = self.stats["kinds"][c["kind"]]
            if outcome:
                k[outcome] = k.get(outcome, 0) + 1

        try:
            stopping_at = None
            while True:
                now = time.monotonic()
                if not self.running():
                    if stopping_at is None:
                        stopping_at = now + 2.0    # a grace period for replies in flight
                    if now >= stopping_at or now >= self.hard_deadline + 5 or (not pending_udp and not conns):
                        break
                else:
                    for _ in range(udp_pacer.due()):
                        kind, wire, _ = self.udp_templates[u % len(self.udp_templates)]
                        u += 1
                        qid = qid % 65535 + 1
                        try:
                            udp.send(struct.pack(">H", qid) + wire[2:])
                            pending_udp[qid] = kind
                            self.stats["kinds"][kind]["sent"] += 1
                        except (BlockingIOError, ConnectionRefusedError, OSError):
                            pass
                        udp_pacer.done += 1
                    for _ in range(tcp_pacer.due()):
                        tcp_pacer.done += 1
                        if len(conns) >= self.tcp_concurrency:
                            self.stats["tcp_skipped_at_concurrency_cap"] = self.stats.get("tcp_skipped_at_concurrency_cap", 0) + 1
                            continue
                        kind, wire, _ = self.tcp_templates[t % len(self.tcp_templates)]
                        t += 1
                        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                        s.setblocking(False)
                        s.connect_ex(("127.0.0.1", self.port))
                        conns[s] = {"kind": kind, "out": struct.pack(">H", len(wire)) + wire, "inbuf": b"",
                                    "deadline": now + 5.0}
                        sel.register(s, selectors.EVENT_WRITE, "tcp")
                        self.stats["kinds"][kind]["sent"] += 1
                for s in [s for s, c in conns.items() if c["deadline"] <= now]:
                    close(s, "no_reply")
                for key, mask in sel.select(0.005):
                    s = key.fileobj
                    if key.data is None:
                        for _ in range(1000):
                            try:
                                data = udp.recv(65535)
                            except (BlockingIOError, ConnectionRefusedError):
                                break
                            got = rcode_of(data)
                            if got and got[0] in pending_udp:
                                self._answered(pending_udp.pop(got[0]), data)
                        continue
                    c = conns.get(s)
                    if c is None:
                        continue
                    if mask & selectors.EVENT_WRITE:
                        try:
                            n = s.send(c["out"])
                            c["out"] = c["out"][n:]
                        except BlockingIOError:
                            pass
                        except OSError:
                            close(s, "closed_by_server")
                            continue
                        if not c["out"]:
                            sel.modify(s, selectors.EVENT_READ, "tcp")
                        continue
                    try:
                        data = s.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        close(s, "closed_by_server")
                        continue
                    if not data:
                        close(s, "closed_by_server")
                        continue
                    c["inbuf"] += data
                    if len(c["inbuf"]) >= 2 and len(c["inbuf"]) >= 2 + struct.unpack(">H", c["inbuf"][:2])[0]:
                        self._answered(c["kind"], c["inbuf"][2:])
                        close(s, None)
        finally:
            for kind in pending_udp.values():
                self.stats["kinds"][kind]["no_reply"] += 1
            for s in list(conns):
                close(s, "no_reply")
            udp.close()
            sel.close()


# ---------------------------------------------------------------------------
# legitimate load: dnsperf, or the built-in closed-loop generator in a child process
# ---------------------------------------------------------------------------
def parse_dnsperf(out):
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
        cmd = [sys.executable, os.path.abspath(__file__), "_udp-generator", str(port), qfile, str(duration)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    children.append(p)
    try:
        out, _ = p.communicate(timeout=duration + 30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    finally:
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
    """Built-in closed loop: 8 sockets, at most 16 queries outstanding on each, a 1 s
    timeout per query; QPS counts answered queries only. Prints one JSON line."""
    port, qfile, duration = int(argv[0]), argv[1], float(argv[2])
    queries = []
    with open(qfile) as f:
        for line in f:
            name, qtype = line.split()
            queries.append(name_wire(name) + struct.pack(">HH", TYPE_CODES[qtype], 1))
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(8):
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
        while len(outstanding[i]) < 16:
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


# ---------------------------------------------------------------------------
# phases
# ---------------------------------------------------------------------------
def make_attack(kind, args, server, queries):
    hard = args.ramp + args.duration + 60
    if kind == "slow-tcp":
        return SlowTCPClients(server.port, queries, args.slow_clients, args.drip_interval, args.connect_rate, hard)
    if kind == "qtype-sweep":
        return QtypeSweep(server.port, queries, args.sweep_rate, hard)
    if kind == "bombs":
        return CompressionBombs(server.port, queries[0][0], args.bomb_udp_rate, args.bomb_tcp_rate, args.bomb_udp_sizes,
                                args.bomb_tcp_size, 16, hard)
    return None


def run_phase(name, kind, args, server, queries, qfile, children):
    pid = server.pid
    result = {"phase": name, "kind": kind, "rss_before_mib": proc_rss_mib(pid),
              "socket_fds_before": proc_socket_fds(pid)}
    sampler = Sampler(pid, args.ramp + args.duration + 60)
    probes = Probes(server, queries, args.ramp + args.duration + 60)
    sampler.start()
    attack = make_attack(kind, args, server, queries)
    if attack:
        attack.start()
        time.sleep(args.ramp)    # let the attack reach its full size before measuring
    probes.start()
    cpu0, busy0, steal0, own0, t0 = proc_cpu_seconds(pid), machine_busy_seconds(), steal_seconds(), own_cpu_seconds(), time.monotonic()
    legit = run_generator(args, server.port, qfile, args.duration, children)
    cpu1, busy1, steal1, own1, t1 = proc_cpu_seconds(pid), machine_busy_seconds(), steal_seconds(), own_cpu_seconds(), time.monotonic()
    result["probes"] = probes.finish()
    result["attack"] = attack.finish() if attack else None
    result.update(sampler.finish())
    result["qps"] = legit.get("qps") or 0.0
    result["legit"] = legit
    if attack:
        result["recovery_s"] = await_recovery(server, queries, args.recovery_timeout)
    result["alive"] = server.alive()
    result["rss_after_mib"] = proc_rss_mib(pid)
    wall = t1 - t0
    if cpu0 is not None and cpu1 is not None:
        result["server_cores"] = round((cpu1 - cpu0) / wall, 2)
        # other processes on this shared machine (the bench and its generator excluded)
        result["other_cores"] = round(max(0.0, (busy1 - busy0) - (cpu1 - cpu0) - (own1 - own0)) / wall, 2)
    result["steal_cores"] = round((steal1 - steal0) / wall, 2)
    if result["socket_fds_peak"] is not None and result["socket_fds_before"] is not None:
        result["server_tcp_held_peak"] = result["socket_fds_peak"] - result["socket_fds_before"]
    return result


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
    a = p.get("attack") or {}
    if p["kind"] == "slow-tcp":
        return ("%d clients: open peak %d (server held %s), closed by server %d (%d within 1 s), reset %d, refused %d, "
                "connect timeouts %d, replies %d" % (a.get("clients", 0), a.get("open_peak", 0), p.get("server_tcp_held_peak"),
                                                     a.get("closed_by_server", 0), a.get("closed_within_1s", 0),
                                                     a.get("reset_by_server", 0), a.get("refused", 0),
                                                     a.get("connect_timeouts", 0), a.get("replies", 0)))
    if p["kind"] == "qtype-sweep":
        return "sent %d (%d distinct types), answered %d, %s" % (a.get("sent", 0), a.get("distinct_qtypes", 0),
                                                                 a.get("answered", 0), fmt_counts(a.get("rcodes", {})))
    if p["kind"] == "bombs":
        parts = []
        for kind, k in sorted((a.get("kinds") or {}).items()):
            parts.append("%s: %d sent, %d answered (%s), %d no reply" % (kind, k["sent"], k["answered"],
                                                                        fmt_counts(k["rcodes"]), k.get("no_reply", 0)))
        return "; ".join(parts)
    return ""


def fmt_counts(d):
    return " ".join("%s %d" % kv for kv in sorted(d.items())) or "-"


def print_table(report):
    out = sys.stdout
    print("\nSwitchyard under hostile load: %s generator, %d s phases, server --threads %s, %s" % (
        report["generator"], report["config"]["duration"], report["config"]["threads"], report["server"]["binary"]), file=out)
    print("%-14s %9s %6s %7s %5s %13s %8s %11s %11s" % ("phase", "QPS", "ratio", "/before", "alive", "RSS MiB",
                                                        "srv cpu", "TCP probe", "admin"), file=out)

    def fmt(x):
        return "%.2f" % x if x is not None else "-"

    for p in report["phases"]:
        pr = p["probes"]
        print("%-14s %9.0f %6s %7s %5s %13s %8s %11s %11s" % (
            p["phase"], p["qps"], fmt(p.get("ratio")), fmt(p.get("ratio_to_quiet_before")),
            "yes" if p["alive"] else "NO", "%s->%s" % (p["rss_before_mib"], p["rss_after_mib"]),
            p.get("server_cores", "-"), "%d/%d ok" % (pr["tcp_ok"], pr["tcp_ok"] + pr["tcp_failed"]),
            "%d/%d ok" % (pr["admin_ok"], pr["admin_ok"] + pr["admin_failed"])), file=out)
    for p in report["phases"]:
        if p["kind"] != "quiet":
            recovery = p.get("recovery_s")
            print("  %s: %s; prompt answers again %s" % (
                p["phase"], attack_summary(p), "after %.1f s" % recovery if recovery is not None else "NOT within the limit"),
                file=out)
            drift = p.get("quiet_after_to_before")
            if drift is not None and abs(drift - 1) > 0.2:
                print("    the quiet phase after it ran at %.2f x the one before: lingering damage or a noisy machine" % drift,
                      file=out)
            if p["probes"]["tcp_failures"]:
                print("    TCP probe failures: %s" % fmt_counts(p["probes"]["tcp_failures"]), file=out)
    noise = [p.get("other_cores") for p in report["phases"] if p.get("other_cores") is not None]
    if noise:
        print("other processes on the machine: %.2f-%.2f cores during the phases (steal up to %.2f)" % (
            min(noise), max(noise), max(p.get("steal_cores", 0) for p in report["phases"])), file=out)
    print("server: %s (pid %s, descriptors %s)" % ("alive" if report["server_alive"] else "DIED", report["server"]["pid"],
                                                   report["server"]["nofile"]), file=out)
    out.flush()


def parse_args(argv):
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
    ap.add_argument("--smoke", action="store_true",
                    help="tiny counts and 1 s phases (a few seconds in all): does the instrument work?")
    args = ap.parse_args(argv)
    if args.smoke:
        args.duration, args.ramp, args.names = 1, 0.3, 200
        args.slow_clients, args.drip_interval, args.connect_rate = 20, 0.2, 200
        args.sweep_rate, args.bomb_udp_rate, args.bomb_tcp_rate = 200, 4, 2
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
    raise KeyboardInterrupt()


def main(argv):
    if argv and argv[0] == "_udp-generator":
        return udp_generator_main(argv[1:])
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
            "dnsperf -c 8 -q 100" if args.generator_used == "dnsperf" else "built-in Python generator (dnsperf not installed)"))
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
