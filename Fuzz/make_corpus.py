#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/Corpus/ (run from anywhere; standard library only).

The files are committed; rerunning this rewrites them byte for byte. Query seeds are DNS
messages as they arrive (no TCP length prefix); the low bit of the ID's second octet picks
UDP (0) or TCP (1) in the query target. Admin seeds start with one selector character
(content type, whether an empty body is allowed, and the decoder: see AdminRequestFuzzing.swift).
"""
import os
import shutil
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Corpus")
REPO = os.path.dirname(ROOT)


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- DNS queries -------------------------------------------------------------------

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28,
         "SRV": 33, "OPT": 41, "SPF": 99, "AXFR": 252, "ANY": 255, "CAA": 257, "TYPE65280": 65280}


def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(qid, flags=0x0000, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def question(qname, qtype, qclass=1):
    return name(qname) + struct.pack("!HH", TYPES.get(qtype, qtype) if isinstance(qtype, str) else qtype, qclass)


def opt(size=1232, version=0, do=False, options=b"", rcode_high=0):
    ttl = (rcode_high << 24) | (version << 16) | (0x8000 if do else 0)
    return b"\0" + struct.pack("!HHIH", 41, size, ttl, len(options)) + options


def ecs(family, source, address):
    body = struct.pack("!HBB", family, source, 0) + address
    return struct.pack("!HH", 8, len(body)) + body


def query(qid, qname, qtype, flags=0x0000, edns=None, qclass=1):
    return header(qid, flags, ar=1 if edns is not None else 0) + question(qname, qtype, qclass) + (edns or b"")


def queries():
    t = "QueryFuzzer"
    n = 0

    def put(label, data):
        nonlocal n
        n += 1
        write(t, "%02d-%s.bin" % (n, label), data)

    plain = [("www.drill.test", "A"), ("drill.test", "SOA"), ("drill.test", "NS"), ("drill.test", "MX"),
             ("drill.test", "A"), ("drill.test", "CAA"), ("drill.test", "SPF"), ("status.drill.test", "TXT"),
             ("app.drill.test", "AAAA"), ("api.drill.test", "A"), ("geo.drill.test", "A"), ("mv.drill.test", "A"),
             ("ip.drill.test", "A"), ("docs.drill.test", "A"), ("chain1.drill.test", "AAAA"), ("loop1.drill.test", "A"),
             ("out.drill.test", "A"), ("_sip._tcp.drill.test", "SRV"), ("ptr.drill.test", "PTR"),
             ("x.preview.drill.test", "TXT"), ("a.b.cn.drill.test", "A"), ("opaque.drill.test", "TYPE65280"),
             ("big.drill.test", "TXT"), ("host.lab.drill.test", "A"), ("ns1.lab.drill.test", "AAAA"),
             ("deep.far.drill.test", "MX"), ("nothing.drill.test", "A"), ("drill.test", "ANY"),
             ("60.2.0.192.in-addr.arpa", "PTR"), ("example.com", "A"), ("WwW.DrIlL.TeSt", "A"), ("drill.test", "AXFR")]
    for i, (qname, qtype) in enumerate(plain):
        # Alternate the transport and the source through the ID's low octet.
        put("%s-%s" % (qname.replace(".", "_").lower()[:30], qtype), query(0x1200 + i, qname, qtype, flags=0x0100))
    put("edns-do", query(0x2200, "big.drill.test", "TXT", edns=opt(4096, do=True)))
    put("edns-512-truncated", query(0x2202, "big.drill.test", "TXT", edns=opt(512)))
    put("edns-version1", query(0x2204, "www.drill.test", "A", edns=opt(1232, version=1)))
    put("ecs-v4", query(0x2206, "geo.drill.test", "A", edns=opt(1232, options=ecs(1, 24, bytes([10, 1, 2])))))
    put("ecs-v6", query(0x2208, "app.drill.test", "AAAA", edns=opt(1232, options=ecs(2, 48, bytes.fromhex("20010db80100")))))
    put("ecs-bad-family", query(0x220a, "ip.drill.test", "A", edns=opt(1232, options=ecs(7, 33, b"\x01\x02"))))
    cookie = struct.pack("!HH", 10, 8) + bytes(range(8))
    put("edns-cookie-padding", query(0x220c, "www.drill.test", "A", edns=opt(1232, options=cookie + struct.pack("!HH", 12, 16) + bytes(16))))
    put("two-opts", header(0x220e, ar=2) + question("www.drill.test", "A") + opt() + opt())
    # Compression pointers: a name continued through a pointer, a loop, a forward pointer.
    q = header(0x2210, ar=1) + question("www.drill.test", "A")
    put("pointer-in-additional", q + b"\x03foo\xc0\x10" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes(4))
    put("pointer-loop", header(0x2212) + b"\xc0\x0c" + struct.pack("!HH", 1, 1))
    put("pointer-forward", header(0x2214) + b"\x03www\xc0\x14" + struct.pack("!HH", 1, 1) + b"\x05drill\x04test\x00")
    for opcode, label in [(1, "iquery"), (2, "status"), (4, "notify"), (5, "update"), (15, "opcode15")]:
        put("opcode-" + label, query(0x2300 + opcode * 2, "drill.test", "SOA", flags=opcode << 11))
    put("response-bit", query(0x2320, "www.drill.test", "A", flags=0x8000))
    put("no-question", header(0x2322, qd=0))
    put("two-questions", header(0x2324, qd=2) + question("www.drill.test", "A") + question("drill.test", "MX"))
    put("answer-record", header(0x2326, an=1) + question("www.drill.test", "A") + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes(4))
    put("class-chaos", query(0x2328, "version.bind", "TXT", qclass=3))
    put("class-any", query(0x232a, "www.drill.test", "A", qclass=255))
    put("qtype-opt", query(0x232c, "www.drill.test", "OPT"))
    put("qtype-zero", query(0x232e, "www.drill.test", 0))
    put("runt", b"\x12\x34\x01")
    put("max-name", query(0x2330, ".".join(["a" * 63] * 3 + ["b" * 61]), "A"))
    # A TCP-sized query: a long run of additional records, each a pointer to the question.
    count = 600
    records = (b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 0, 10) + b"\x09xxxxxxxxx") * count
    put("tcp-many-records", header(0x2333, ar=count) + question("www.drill.test", "A") + records)
    put("tcp-edns", query(0x2335, "big.drill.test", "TXT", edns=opt(65535, do=True)))


# --- zone files --------------------------------------------------------------------

ZONES = {
    "minimal": """$ORIGIN fuzz.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
  IN NS ns1
ns1 IN A 192.0.2.1
""",
    "every-type": r"""@ 3600 IN SOA ns1.fuzz.test. hostmaster.fuzz.test. ( 2026120401 ; serial
        1h 15m 2w 1d )
@ NS ns1
ns1 A 192.0.2.1
ns1 AAAA 2001:db8::1
@ MX 10 mail
mail CNAME ns1
txt TXT "one" two "th\"ree" "\065\066" ""
spf SPF "v=spf1 -all"
_sip._udp SRV 0 5 5060 ns1
caa CAA 0 issue "ca.example"
caa CAA 128 tbs "x"
ptr PTR ns1.fuzz.test.
opaque TYPE65280 \# 3 abcdef
generic-a A \# 4 c0000201
empty TYPE65281 \# 0
""",
    "directives": """$ORIGIN fuzz.test.
$TTL 1h
@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
$INCLUDE hosts.inc
$INCLUDE sub.inc
$INCLUDE self.zone
$INCLUDE missing.inc
$ORIGIN other.fuzz.test.
www A 192.0.2.9
$TTL 30
next A 192.0.2.10
""",
    "include-with-origin": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
$INCLUDE hosts.inc inc.fuzz.test.
$INCLUDE sub.inc sub.fuzz.test. ; a comment
""",
    "healthchecks": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
$HEALTHCHECK h1 http://192.0.2.1:8080/health interval=10s timeout=2s threshold=3 region=us-east-1
$HEALTHCHECK h2 https://[2001:db8::1]/status host=example.com match=ok
$HEALTHCHECK h3 tcp://192.0.2.2:443 inverted
$HEALTHCHECK h4 tcp://192.0.2.3:25 disabled
$HEALTHCHECK all calculated children=h1,h2,h3 min-healthy=2
$HEALTHCHECK bad ftp://x
""",
    "routing": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
$HEALTHCHECK h1 http://192.0.2.1/ interval=10s
$HEALTHCHECK h2 http://192.0.2.2/ interval=10s
$CIDR office hq 10.0.0.0/8 2001:db8::/32
$CIDR office branch 172.16.0.0/12
w [weighted id=a weight=3 health=h1] 60 IN A 192.0.2.10
w [weighted id=b weight=0] 60 IN A 192.0.2.11
l [latency id=use1 region=us-east-1 health=h1] 60 A 192.0.2.20
l [latency id=euw1 region=eu-west-1] 60 A 192.0.2.21
g [geo id=eu continent=EU] A 192.0.2.30
g [geo id=us-va country=US subdivision=VA] A 192.0.2.31
g [geo id=def country=*] A 192.0.2.32
f [failover id=p role=primary health=h1] A 192.0.2.40
f [failover id=s role=secondary health=h2] A 192.0.2.41
m [multivalue id=m1 health=h1] A 192.0.2.50
m [multivalue id=m2] A 192.0.2.51
c [cidr id=hq collection=office location=hq] A 192.0.2.60
c [cidr id=rest collection=office location=*] A 192.0.2.61
""",
    "alias": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
$HEALTHCHECK h1 http://192.0.2.1/ interval=10s
@ ALIAS a1
a1 [weighted id=x weight=1 evaluate-target-health=true health=h1] ALIAS a2
a1 [weighted id=y weight=1 evaluate-target-health=true] ALIAS a3
a2 [weighted id=x weight=1 evaluate-target-health=true] ALIAS a3
a3 A 192.0.2.3
loop1 ALIAS loop2
loop2 ALIAS loop1
far ALIAS www.elsewhere.test.
""",
    "errors": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
bad A 300.1.2.3
bad AAAA ::g
cname CNAME a
cname A 192.0.2.1
outside.example. A 192.0.2.2
toolong-ttl 4294967296 A 192.0.2.1
( unclosed
"unterminated
$UNKNOWN directive
w [weighted id=a] A 192.0.2.1
w [weighted id=a weight=1 weight=2] A 192.0.2.1
g [geo id=x continent=XX country=US] A 192.0.2.1
\\# 1 00
""",
    "wildcard-delegation": """@ SOA ns1 hostmaster 1 2 3 4 5
@ NS ns1
ns1 A 192.0.2.1
* A 192.0.2.99
*.sub TXT "wild"
*.sub MX 0 .
child NS ns.child
child NS ns.elsewhere.test.
ns.child A 192.0.2.53
ns.child AAAA 2001:db8::53
below.child A 192.0.2.54
""",
    "escapes-and-classes": r"""$ORIGIN fuzz.test.
@ IN 300 SOA ns1 hostmaster 1 2 3 4 5
@ 300 CH NS ns1
@ IN NS ns1
ns1 IN A 192.0.2.1
a\.b IN A 192.0.2.2
\@ IN TXT "at"
\032space IN TXT "sp\ ace"
x\000y IN TXT "nul"
.. IN A 192.0.2.3
""",
}


def zones():
    t = "ZoneFileFuzzer"
    for label, text in ZONES.items():
        write(t, label + ".zone", text)
    for source in ["zones/drill.test.zone"]:
        with open(os.path.join(REPO, source), "rb") as f:
            write(t, os.path.basename(source), f.read())


# --- MaxMind DB ----------------------------------------------------------------------

def ctrl(kind, size):
    if kind <= 7:
        first, extended = kind << 5, b""
    else:
        first, extended = 0, bytes([kind - 7])
    if size < 29:
        return bytes([first | size]) + extended
    if size < 285:
        return bytes([first | 29]) + extended + bytes([size - 29])
    if size < 65821:
        return bytes([first | 30]) + extended + struct.pack("!H", size - 285)
    return bytes([first | 31]) + extended + struct.pack("!I", size - 65821)[1:]


def enc(value):
    if isinstance(value, dict):
        out = ctrl(7, len(value))
        for k, v in value.items():
            out += enc(k) + enc(v)
        return out
    if isinstance(value, list):
        return ctrl(11, len(value)) + b"".join(enc(v) for v in value)
    if isinstance(value, bool):
        return ctrl(14, 1 if value else 0)
    if isinstance(value, str):
        b = value.encode()
        return ctrl(2, len(b)) + b
    if isinstance(value, bytes):
        return ctrl(4, len(value)) + value
    if isinstance(value, float):
        return ctrl(3, 8) + struct.pack("!d", value)
    if isinstance(value, tuple):  # (kind, int)
        kind, number = value
        if kind == 8:
            raw = struct.pack("!i", number).lstrip(b"\0") if number >= 0 else struct.pack("!i", number)
        else:
            raw = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
        return ctrl(kind, len(raw)) + raw
    raise TypeError(value)


def pointer(offset):
    if offset < 2048:
        return bytes([0x20 | (offset >> 8), offset & 0xFF])
    offset -= 2048
    return bytes([0x28 | (offset >> 16)]) + struct.pack("!H", offset & 0xFFFF)


def mmdb(ip_version, record_size, networks, data_values, extra_meta=None):
    """networks: [(bits string, index into data_values)]; returns the file's bytes."""
    data = b""
    offsets = []
    for value in data_values:
        offsets.append(len(data))
        data += value if isinstance(value, bytes) else enc(value)
    nodes = [[None, None]]
    for bits, index in networks:
        node = 0
        for i, bit in enumerate(bits):
            side = int(bit)
            if i == len(bits) - 1:
                nodes[node][side] = ("data", offsets[index])
            else:
                if not isinstance(nodes[node][side], int):
                    nodes.append([None, None])
                    nodes[node][side] = len(nodes) - 1
                node = nodes[node][side]
    count = len(nodes)

    def record(value):
        if value is None:
            return count
        if isinstance(value, int):
            return value
        return count + 16 + value[1]

    tree = b""
    for left, right in nodes:
        a, b = record(left), record(right)
        if record_size == 24:
            tree += a.to_bytes(3, "big") + b.to_bytes(3, "big")
        elif record_size == 28:
            tree += a.to_bytes(4, "big")[1:] + bytes([((a >> 24) & 0xF) << 4 | ((b >> 24) & 0xF)]) + b.to_bytes(4, "big")[1:]
        else:
            tree += a.to_bytes(4, "big") + b.to_bytes(4, "big")
    meta = {"node_count": (6, count), "record_size": (5, record_size), "ip_version": (5, ip_version),
            "database_type": "Fuzz-City", "languages": ["en"], "binary_format_major_version": (5, 2),
            "binary_format_minor_version": (5, 0), "build_epoch": (9, 1764806400), "description": {"en": "fuzz seed"}}
    meta.update(extra_meta or {})
    return tree + bytes(16) + data + b"\xab\xcd\xefMaxMind.com" + enc(meta)


def bits4(a, b, c, d, length):
    return format((a << 24) | (b << 16) | (c << 8) | d, "032b")[:length]


def mmdbs():
    t = "MMDBFuzzer"
    for name in sorted(os.listdir(os.path.join(REPO, "Tests/Fixtures/mmdb"))):
        if name.endswith(".mmdb"):
            shutil.copy(os.path.join(REPO, "Tests/Fixtures/mmdb", name), os.path.join(CORPUS, t, name))
    city = {"continent": {"code": "EU"}, "country": {"iso_code": "DE", "names": {"en": "Germany"}},
            "subdivisions": [{"iso_code": "BE"}], "location": {"latitude": 52.5, "longitude": 13.4}}
    us = {"continent": {"code": "NA"}, "country": {"iso_code": "US"}, "subdivisions": [{"iso_code": "VA"}],
          "location": {"latitude": 38.9, "longitude": -77.0, "accuracy_radius": (5, 100)}}
    for size in (24, 28, 32):
        write(t, "small-v4-%d.mmdb" % size, mmdb(4, size, [(bits4(81, 2, 69, 0, 24), 0), (bits4(1, 0, 0, 0, 8), 1)], [city, us]))
    v6 = [("0" * 96 + bits4(81, 2, 69, 0, 24), 0), (format(0x20010db8, "032b"), 1), (format(0x2a02ff80, "032b")[:20], 0)]
    write(t, "small-v6-24.mmdb", mmdb(6, 24, v6, [city, us]))
    # Pointers in data: the second record points at the first one's continent map.
    shared = enc({"code": "AS"})
    rec = b"".join([ctrl(7, 2), enc("continent"), pointer(0), enc("country"), enc({"iso_code": "SG"})])
    write(t, "pointers.mmdb", mmdb(4, 24, [(bits4(128, 0, 0, 0, 1), 1)], [shared, rec]))
    every = {"s": "x" * 300, "d": 1.5, "b": b"\x00\xff", "u16": (5, 65535), "u32": (6, 2**32 - 1), "i32": (8, -5),
             "u64": (9, 2**64 - 1), "u128": (10, 2**128 - 1), "t": True, "f": False, "a": [1.0, "y"], "m": {}}
    write(t, "every-type.mmdb", mmdb(4, 24, [(bits4(0, 0, 0, 0, 1), 0)], [every]))
    write(t, "no-networks.mmdb", mmdb(6, 24, [], [city]))
    write(t, "metadata-only.bin", b"\xab\xcd\xefMaxMind.com" + enc({"node_count": (6, 0), "record_size": (5, 24), "ip_version": (5, 4)}))


# --- admin override bodies -----------------------------------------------------------

ADMIN = [
    ("a", '{"state":"down"}'),
    ("a", '{"state":"up","for":"15m","reason":"drill","requestedBy":"ops@example","force":true}'),
    ("h", '{"state":"DOWN","for":"1h30m"}'),
    ("h", ""),
    ("a", ""),
    ("i", '{"reason":"evacuate eu","for":"90s"}'),
    ("i", '{"requestedBy":"\\u00e9\\ud83d\\ude00","force":false}'),
    ("a", '{"state":"sideways"}'),
    ("a", '{"state":5}'),
    ("a", '{"state":null}'),
    ("a", '{"state":"down","for":"0s"}'),
    ("a", '{"state":"down","for":"-5m"}'),
    ("a", '{"state":"down","for":"99999999999999999999h"}'),
    ("a", '{"state":"down","force":"yes"}'),
    ("a", '{"state":"down","state":"up"}'),
    ("a", '[{"state":"down"}]'),
    ("a", '{"state":"down"'),
    ("a", '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
    ("a", '{"state":"down","extra":{"nested":[1,2.5e308,-0,true,null]}}'),
    ("b", '{"state":"down"}'),
    ("c", '{"state":"down"}'),
    ("d", '{"state":"up"}'),
    ("e", 'state=down'),
    ("g", '{"state":"down"}'),
    ("a", '\ufeff{"state":"down"}'),
    ("a", '"down"'),
    ("a", '{"for":"1h","state":"up","reason":"' + "r" * 400 + '"}'),
    # Deploy bodies ("p": bit 16 set picks the deploy decoder, application/json).
    ("p", '{"commit":"3f2c1e9","requestedBy":"ci"}'),
    ("p", '{"commit":"--upload-pack=touch /tmp/x"}'),
    ("p", '{"commit":""}'),
    ("p", '{"commit":"main\\u0000x"}'),
    ("p", '{"commit":7}'),
    ("p", '{}'),
]


def admin():
    for i, (selector, body) in enumerate(ADMIN):
        write("AdminRequestFuzzer", "%02d.json" % (i + 1), selector + body)


if __name__ == "__main__":
    for target in ["QueryFuzzer", "ZoneFileFuzzer", "MMDBFuzzer", "AdminRequestFuzzer"]:
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, target))
    queries()
    zones()
    mmdbs()
    admin()
