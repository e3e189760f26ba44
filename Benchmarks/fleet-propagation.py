#!/usr/bin/env python3
"""fleet-propagation.py - how long an override takes to reach every instance's answers.

The measuring half of fleet-propagation.sh, which starts the fleet (three etcd members,
three Switchyard instances) and runs this against it; it can also be pointed at any fleet
serving a failover name whose primary has the health check CHECK.

For each of --flips writes, alternately `down` and `up`, it sends
`PUT /v1/health-checks/CHECK/override` to one instance's admin API (one kept-alive HTTP
connection) and then asks NAME of every instance over UDP, a round of queries every
--poll-ms, until each answers the address the write should lead to. Per flip it records
the write's own latency (request sent to response read) and, per instance and for all of
them, the time from sending the write to the first reply that carried the new answer.
Prints p50/p90/p99/max in ms; --csv FILE writes one row per flip.

Standard library only. Exit status: 0 every flip reached every instance, 1 some did not
within --deadline-ms (or a write failed), 2 bad input or the starting answers were wrong.
"""
import argparse
import http.client
import json
import math
import os
import sys
import time
from urllib.parse import urlsplit

sys.dont_write_bytecode = True   # leave no __pycache__ in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Examples", "fleet-drill"))
from flipwatch import parse_server  # noqa: E402


class Admin:
    """One instance's admin API over a kept-alive connection (reopened after an error)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError(f"--admin must be http://HOST:PORT, not '{url}'")
        self.host, self.port = parts.hostname, parts.port
        self.connection = None

    def request(self, method: str, path: str, body=None):
        """(status, decoded JSON or text) of one request."""
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                try:
                    return response.status, json.loads(text)
                except ValueError:
                    return response.status, text
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * fraction - 1e-9))
    return ordered[rank - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description="Time from an override write to every instance's changed answer.")
    parser.add_argument("--admin", required=True, help="admin API the writes go to, e.g. http://127.0.0.1:5411")
    parser.add_argument("--check", default="use1", help="health check to flip (default use1)")
    parser.add_argument("--name", default="api.fleet.test", help="failover name to ask (default api.fleet.test)")
    parser.add_argument("--up-answer", default="127.0.10.1", help="NAME's answer while CHECK is up (default 127.0.10.1)")
    parser.add_argument("--down-answer", default="127.0.20.1", help="NAME's answer while CHECK is down (default 127.0.20.1)")
    parser.add_argument("--server", action="append", type=parse_server, required=True,
                        help="LABEL=HOST:PORT of an instance's DNS (repeatable)")
    parser.add_argument("--flips", type=int, default=100, help="number of writes (default 100)")
    parser.add_argument("--poll-ms", type=float, default=1, help="pause between rounds of queries (default 1)")
    parser.add_argument("--deadline-ms", type=float, default=5000, help="give up on a flip after this long (default 5000)")
    parser.add_argument("--csv", help="write one row per flip to this file")
    args = parser.parse_args()
    if not 1 <= args.flips <= 100000:
        parser.error("--flips must be 1 to 100000")

    admin = Admin(args.admin)
    servers = args.server
    labels = [server.label for server in servers]
    path = f"/v1/health-checks/{args.check}/override"

    # Start from a known state: the override cleared, every instance answering up.
    status, body = admin.request("DELETE", path)
    if status != 200:
        print(f"DELETE {path} answered {status}: {body}", file=sys.stderr)
        return 2
    deadline = time.monotonic() + 5
    while any(server.ask(args.name) != args.up_answer for server in servers):
        if time.monotonic() > deadline:
            print(f"not every instance answers {args.up_answer} for {args.name}", file=sys.stderr)
            return 2
        time.sleep(0.05)

    rows = []
    failures = 0
    print(f"{args.flips} flips of {args.check} through {args.admin}, watching {args.name} on {', '.join(labels)}",
          file=sys.stderr, flush=True)
    for flip in range(args.flips):
        state = "down" if flip % 2 == 0 else "up"
        expected = args.down_answer if state == "down" else args.up_answer
        body = {"state": state, "reason": f"fleet-propagation flip {flip + 1}"}
        sent = time.perf_counter()
        try:
            status, reply = admin.request("PUT", path, body)
        except (OSError, http.client.HTTPException) as error:
            status, reply = 0, str(error)
        written = time.perf_counter()
        if status != 200:
            print(f"flip {flip + 1}: PUT {path} answered {status}: {reply}", file=sys.stderr)
            failures += 1
            break
        revision = reply.get("revision") if isinstance(reply, dict) else None
        seen = {}
        pending = {server.label: server for server in servers}
        give_up = sent + args.deadline_ms / 1000
        while pending and time.perf_counter() < give_up:
            for label, server in list(pending.items()):
                if server.ask(args.name, timeout=0.2) == expected:
                    seen[label] = (time.perf_counter() - sent) * 1000
                    del pending[label]
            if pending:
                time.sleep(args.poll_ms / 1000)
        if pending:
            failures += 1
            print(f"flip {flip + 1} ({state}): {', '.join(sorted(pending))} did not answer {expected} "
                  f"within {args.deadline_ms:.0f} ms", file=sys.stderr)
        rows.append({
            "flip": flip + 1, "state": state, "revision": revision,
            "write_ms": (written - sent) * 1000,
            **{label: seen.get(label) for label in labels},
            "all_ms": max(seen.values()) if not pending else None,
        })
    admin.request("DELETE", path)
    admin.close()

    if args.csv:
        with open(args.csv, "w", encoding="utf-8") as out:
            out.write(",".join(["flip", "state", "revision", "write_ms"] + [f"{label}_ms" for label in labels] + ["all_ms"]) + "\n")
            for row in rows:
                cells = [row["flip"], row["state"], row["revision"], row["write_ms"]] + [row[label] for label in labels] + [row["all_ms"]]
                out.write(",".join("" if cell is None else f"{cell:.3f}" if isinstance(cell, float) else str(cell)
                                   for cell in cells) + "\n")

    complete = [row for row in rows if row["all_ms"] is not None]
    print(f"flips: {len(rows)} written, {len(complete)} seen by every instance"
          f" (queries to each instance in rounds {args.poll_ms:g} ms apart)")
    if not complete:
        return 1
    header = f"{'ms':<34}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}"
    print(header)

    def line(title, values):
        print(f"{title:<34}" + "".join(f"{percentile(values, q):8.1f}" for q in (0.5, 0.9, 0.99)) + f"{max(values):8.1f}")

    line("write (PUT sent -> response)", [row["write_ms"] for row in complete])
    for label in labels:
        line(f"write sent -> {label} answers", [row[label] for row in complete])
    all_ms = [row["all_ms"] for row in complete]
    line("write sent -> every instance", all_ms)
    p99 = percentile(all_ms, 0.99)
    print(f"goal: p99 under 200 ms on loopback -> {p99:.1f} ms, {'met' if p99 < 200 else 'NOT met'}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
