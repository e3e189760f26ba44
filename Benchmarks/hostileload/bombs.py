"""The compressed-name bombs, over UDP and TCP, at bounded rates."""
import selectors
import socket
import struct
import time

from .activity import Activity, Pacer
from .wire import build_bomb, rcode_of


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
        self.stats = {"udp_rate": udp_rate, "tcp_rate": tcp_rate, "tcp_concurrency": tcp_concurrency,
                      "udp_send_failed": 0, "tcp_skipped_at_cap": 0,
                      "kinds": {}}
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
                        except OSError:   # a full socket buffer, or an ICMP error from an earlier send
                            self.stats["udp_send_failed"] += 1
                        udp_pacer.done += 1
                    for _ in range(tcp_pacer.due()):
                        tcp_pacer.done += 1
                        if len(conns) >= self.tcp_concurrency:
                            self.stats["tcp_skipped_at_cap"] += 1
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
