"""Background activities of a phase: each a thread with a stop event, bounded in time."""
import threading
import time

from .procfs import proc_rss_mib, proc_socket_fds
from .server import http_healthz, tcp_ask
from .wire import TYPE_CODES


class Activity(threading.Thread):
    """A background thread of a phase: `work` runs until `finish` or a hard deadline, whichever comes
    first; an exception it raises is reported in its stats."""

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


class Probe(Activity):
    """Once a second (a slow attempt delays the next), from an address no attacker uses:
    a fresh TCP query for a real name ("tcp"), or the admin API's /healthz ("admin")."""

    def __init__(self, what, server, queries, source, hard_seconds):
        super().__init__(hard_seconds)
        self.what, self.server, self.queries, self.source = what, server, queries, source
        self.stats = {"ok": 0, "failed": 0, "failures": {}}

    def work(self):
        i = 0
        while self.running():
            started = time.monotonic()
            if self.what == "tcp":
                qname, qtype = self.queries[i % len(self.queries)]
                outcome = tcp_ask(self.server.port, qname, TYPE_CODES[qtype], 2.0, self.source)
                outcome = "ok" if outcome == "NOERROR" else outcome
            else:
                outcome = "ok" if http_healthz(self.server.admin_port, 2.0, self.source) else "no 200 in 2 s"
            i += 1
            if outcome == "ok":
                self.stats["ok"] += 1
            else:
                self.stats["failed"] += 1
                self.stats["failures"][outcome] = self.stats["failures"].get(outcome, 0) + 1
            self.stop_event.wait(max(0.0, 1.0 - (time.monotonic() - started)))


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
