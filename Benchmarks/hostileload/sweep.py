"""The query-type sweep: UDP queries over every query type, at a bounded rate."""
import random
import socket
import struct
import time

from .activity import Activity, Pacer
from .wire import name_wire, rcode_of


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
