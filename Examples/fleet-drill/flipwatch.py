#!/usr/bin/env python3
"""Watches several DNS servers for the moment their answer to one name changes.

Used by run-fleet-drill.sh (and, as a module, by the fleet-propagation benchmark) to time
how fast a change made through one Switchyard instance reaches the answers of all of them.
A `dig` per query takes longer to start than the few milliseconds between polls, so the
queries here are sent from one process, over plain UDP sockets: only the Python 3
standard library is needed.

    flipwatch.py --name api.fleet.test --from 127.0.10.1 --to 127.0.20.1 \\
                 --server ns1=127.0.0.1:5401 --server ns2=127.0.0.1:5402 ...

First it checks that every server answers FROM, then prints `watching` (the caller makes
its change after that line), then asks every server that has not changed yet, every
--interval-ms, until each answers TO or --deadline-ms has passed. Per server it prints

    flip NAME EPOCH_MICROSECONDS POLLS      (the first reply that carried TO arrived then)
    none NAME LAST_ANSWER POLLS             (no such reply before the deadline)

and exits 0 when every server changed, 1 when one did not, 2 on bad input or when a
server did not answer FROM to begin with.
"""
import argparse
import random
import socket
import struct
import sys
import time


def encode_query(name: str, ident: int) -> bytes:
    """A DNS query for NAME's A records, without recursion desired and without EDNS."""
    question = b""
    for label in name.rstrip(".").split("."):
        encoded = label.encode("ascii")
        if not 0 < len(encoded) < 64:
            raise ValueError(f"'{name}' is not a domain name")
        question += bytes([len(encoded)]) + encoded
    return struct.pack("!HHHHHH", ident, 0, 1, 0, 0, 0) + question + b"\x00" + struct.pack("!HH", 1, 1)


def skip_name(message: bytes, offset: int) -> int:
    """The offset just after the (possibly compressed) name that starts at OFFSET."""
    for _ in range(128):
        length = message[offset]
        if length >= 0xC0:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length
    raise ValueError("name too long")


def decode_addresses(message: bytes, ident: int):
    """The A records' addresses of a reply to query IDENT, sorted and joined by spaces;
    None when the message is not that reply."""
    if len(message) < 12:
        return None
    reply_id, flags, questions, answers = struct.unpack("!HHHH", message[:8])
    if reply_id != ident or not flags & 0x8000:
        return None
    offset = 12
    for _ in range(questions):
        offset = skip_name(message, offset) + 4
    addresses = []
    for _ in range(answers):
        offset = skip_name(message, offset)
        rtype, _rclass, _ttl, length = struct.unpack("!HHIH", message[offset:offset + 10])
        offset += 10
        if rtype == 1 and length == 4:
            addresses.append(socket.inet_ntoa(message[offset:offset + 4]))
        offset += length
    return " ".join(sorted(addresses))


class Server:
    """One DNS server, asked over a connected UDP socket."""

    def __init__(self, label: str, host: str, port: int):
        self.label = label
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.connect((host, port))

    def ask(self, name: str, timeout: float = 0.5):
        """NAME's A answer ("" for none), or None when no reply came within TIMEOUT."""
        ident = random.randrange(65536)
        self.socket.settimeout(timeout)
        try:
            self.socket.send(encode_query(name, ident))
            deadline = time.monotonic() + timeout
            while True:
                # A late reply to an earlier query is skipped by its id.
                answer = decode_addresses(self.socket.recv(4096), ident)
                if answer is not None:
                    return answer
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.socket.settimeout(remaining)
        except (OSError, ValueError, struct.error, IndexError):
            return None

    def close(self) -> None:
        self.socket.close()


def parse_server(text: str) -> Server:
    label, _, address = text.partition("=")
    host, _, port = address.rpartition(":")
    if not label or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not LABEL=HOST:PORT")
    return Server(label, host.strip("[]"), int(port))


def main() -> int:
    parser = argparse.ArgumentParser(description="Time when each DNS server's answer for a name changes.")
    parser.add_argument("--name", required=True, help="the name to ask (A records)")
    parser.add_argument("--from", dest="before", required=True, help="the answer every server gives now")
    parser.add_argument("--to", dest="after", required=True, help="the answer to wait for")
    parser.add_argument("--server", action="append", type=parse_server, required=True, help="LABEL=HOST:PORT (repeatable)")
    parser.add_argument("--interval-ms", type=float, default=5, help="time between rounds of queries (default 5)")
    parser.add_argument("--deadline-ms", type=float, default=5000, help="give up this long after `watching` (default 5000)")
    args = parser.parse_args()

    servers = args.server
    for server in servers:
        answer = None
        for _ in range(20):  # up to about 2 s for a server that drops a query or two
            answer = server.ask(args.name, timeout=0.1)
            if answer == args.before:
                break
        if answer != args.before:
            print(f"{server.label} answers '{answer}' for {args.name}, not '{args.before}'", file=sys.stderr)
            return 2
    print("watching", flush=True)

    deadline = time.monotonic() + args.deadline_ms / 1000
    pending = {server.label: server for server in servers}
    polls = {server.label: 0 for server in servers}
    last = {server.label: args.before for server in servers}
    flipped = {}
    while pending and time.monotonic() < deadline:
        for label, server in list(pending.items()):
            answer = server.ask(args.name, timeout=0.2)
            polls[label] += 1
            if answer is None:
                continue
            last[label] = answer
            if answer == args.after:
                flipped[label] = time.time_ns() // 1000
                del pending[label]
        if pending:
            time.sleep(args.interval_ms / 1000)
    for server in servers:
        label = server.label
        if label in flipped:
            print(f"flip {label} {flipped[label]} {polls[label]}")
        else:
            print(f"none {label} {last[label].replace(' ', ',') or '-'} {polls[label]}")
        server.close()
    return 0 if not pending else 1


if __name__ == "__main__":
    sys.exit(main())
