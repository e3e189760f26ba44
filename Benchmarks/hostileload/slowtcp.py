"""The slow TCP attack: many connections that each drip a query one byte at a time."""
import heapq
import random
import selectors
import socket
import struct
import time

from .activity import Activity, Pacer
from .wire import TYPE_CODES, build_query


def attacker_sources(n):
    """127.0.0.1 alone, or n loopback addresses 127.1.x.y (no other activity uses them)."""
    if n <= 1:
        return ["127.0.0.1"]
    return ["127.1.%d.%d" % (k // 250, k % 250 + 1) for k in range(n)]


class SlowTCPClients(Activity):
    """`count` TCP connections, each dripping one byte of a length-prefixed query every
    `interval` seconds (starts spread over the interval), reconnecting when closed; all on
    one selector. Client i connects from sources[i % len(sources)]. Connects are capped at
    `connect_rate` per second."""

    def __init__(self, port, queries, count, interval, connect_rate, sources, hard_seconds):
        super().__init__(hard_seconds)
        self.port, self.count, self.interval, self.connect_rate = port, count, interval, connect_rate
        self.sources = sources
        self.payloads = []
        for i in range(count):
            qname, qtype = queries[i % len(queries)]
            query = build_query(qname, TYPE_CODES[qtype], (i % 65535) + 1)
            self.payloads.append(struct.pack(">H", len(query)) + query)
        self.stats = {"clients": count, "sources": min(count, len(sources)), "connects_attempted": 0, "connected": 0,
                      "refused": 0, "connect_timeouts": 0, "closed_by_server": 0, "closed_within_1s": 0,
                      "reset_by_server": 0, "bytes_dripped": 0,
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
                        try:
                            s.bind((self.sources[i % len(self.sources)], 0))
                            err = s.connect_ex(("127.0.0.1", self.port))
                        except OSError as e:   # no ephemeral port left for this source, ...
                            err = e.errno or -1
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
