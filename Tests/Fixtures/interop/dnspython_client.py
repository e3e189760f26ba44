"""Asks a DNS server on 127.0.0.1 questions with dnspython and prints what came back as
one JSON object, for the Swift interop tests to check.

Usage: python3 dnspython_client.py PORT

Every network operation has a timeout; an operation that fails is reported in the JSON
(as an "error" string) rather than ending the script.
"""

import json
import random
import socket
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

HOST = "127.0.0.1"
TIMEOUT = 2.0

# Plain names of zones/drill.test.zone (no routed names: their answers depend on health).
QUERIES = [
    ("ns1.drill.test.", "A"),
    ("ns2.drill.test.", "AAAA"),
    ("mx1.drill.test.", "A"),
    ("drill.test.", "MX"),
    ("drill.test.", "TXT"),
    ("x.preview.drill.test.", "A"),
    ("x.preview.drill.test.", "TXT"),
    ("host.lab.drill.test.", "A"),
    ("missing.drill.test.", "A"),
    ("www.example.com.", "A"),
]


def lines(section):
    return sorted(
        f"{rrset.name.to_text().lower()} {rrset.ttl} {dns.rdatatype.to_text(rrset.rdtype)} {rdata.to_text()}"
        for rrset in section
        for rdata in rrset
    )


def summary(response):
    return {
        "id": response.id,
        "rcode": dns.rcode.to_text(response.rcode()),
        "aa": bool(response.flags & dns.flags.AA),
        "tc": bool(response.flags & dns.flags.TC),
        "answer": lines(response.answer),
        "authority": lines(response.authority),
        "additional": lines(response.additional),
    }


def ask(name, rdtype, port, tcp):
    query = dns.message.make_query(name, rdtype)
    query.flags &= ~dns.flags.RD
    try:
        if tcp:
            response = dns.query.tcp(query, HOST, port=port, timeout=TIMEOUT)
        else:
            response = dns.query.udp(query, HOST, port=port, timeout=TIMEOUT)
        return summary(response)
    except Exception as error:  # reported, not raised: the Swift side asserts on it
        return {"error": repr(error)}


def pipelined(port):
    """Three queries written back to back on one TCP connection, then three replies."""
    names = [("ns1.drill.test.", "A"), ("drill.test.", "MX"), ("missing.drill.test.", "A")]
    queries = []
    for index, (name, rdtype) in enumerate(names):
        query = dns.message.make_query(name, rdtype)
        query.id = 0x7100 + index
        queries.append(query)
    payload = b"".join(struct.pack("!H", len(wire)) + wire for wire in (q.to_wire() for q in queries))
    replies = []
    try:
        with socket.create_connection((HOST, port), timeout=TIMEOUT) as sock:
            sock.sendall(payload)
            for _ in queries:
                response, _ = dns.query.receive_tcp(sock, expiration=None)
                replies.append(summary(response))
    except Exception as error:
        replies.append({"error": repr(error)})
    return {"sent": [q.id for q in queries], "replies": replies}


def client_subnet(port):
    """A query carrying an ECS option; the reply must echo it with a scope."""
    option = dns.edns.ECSOption("192.0.2.0", 24)
    query = dns.message.make_query("ns1.drill.test.", "A", use_edns=0, payload=1232, options=[option])
    try:
        response = dns.query.udp(query, HOST, port=port, timeout=TIMEOUT)
    except Exception as error:
        return {"error": repr(error)}
    echoed = [o for o in response.options if o.otype == dns.edns.ECS]
    result = {"response": summary(response), "edns": response.edns, "echoed": len(echoed)}
    if echoed:
        result.update(address=echoed[0].address, source=echoed[0].srclen, scope=echoed[0].scopelen)
    return result


def malformed_packets():
    header = struct.pack("!HHHHHH", 0xBEEF, 0, 1, 0, 0, 0)
    rng = random.Random(20261202)
    noise = bytearray(rng.getrandbits(8) for _ in range(48))
    noise[2] &= 0x07  # a query (QR=0) with opcode 0, so FORMERR is the only fitting error
    noise[3] = 0
    return [
        ("truncated header", b"\xbe\xef\x01"),
        ("question missing", header),
        ("label with a reserved type", header + b"\x80abc\x00\x00\x01\x00\x01"),
        ("question cut short", header + b"\x03www\x05drill"),
        ("two questions", struct.pack("!HHHHHH", 0xBEEF, 0, 2, 0, 0, 0) + b"\x00\x00\x01\x00\x01"),
        ("random octets", bytes(noise)),
    ]


def malformed(port):
    results = []
    for label, packet in malformed_packets():
        entry = {"label": label}
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.5)
            sock.sendto(packet, (HOST, port))
            try:
                reply, _ = sock.recvfrom(65535)
                entry["reply"] = True
                entry["rcode"] = reply[3] & 0x0F if len(reply) >= 4 else -1
                entry["qr"] = bool(len(reply) >= 3 and reply[2] & 0x80)
                entry["sameID"] = reply[:2] == packet[:2]
            except socket.timeout:
                entry["reply"] = False
        results.append(entry)
    return results


def main():
    port = int(sys.argv[1])
    result = {
        "udp": {f"{name} {rdtype}": ask(name, rdtype, port, tcp=False) for name, rdtype in QUERIES},
        "tcp": {f"{name} {rdtype}": ask(name, rdtype, port, tcp=True) for name, rdtype in QUERIES},
        "pipelined": pipelined(port),
        "clientSubnet": client_subnet(port),
        "malformed": malformed(port),
    }
    result["afterMalformed"] = ask("ns1.drill.test.", "A", port, tcp=False)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
