import Authority
import DNSServer
import DNSSEC
import DNSWire
import Foundation
import NIOCore
import Routing
import Testing
import Zones

/// Namespace of the DNSSEC tests (SPEC §10).
enum DNSSECTests {}

/// One signed zone answered in memory through the real query path (`QueryResponder`),
/// without sockets: queries in as wire bytes, replies out as wire bytes.
struct SignedZoneFixture {
    static let text = """
        $ORIGIN signed.test.
        $TTL 300
        @       IN SOA ns hostmaster 1 3600 900 1209600 60
        @       IN NS  ns
        ns      IN A   127.0.0.1
        plain   IN A   192.0.2.1
        plain   IN A   192.0.2.2
        plain   IN TXT "here"
        alias   IN CNAME plain
        *.wild  IN A   192.0.2.9
        deep.ent IN A  192.0.2.7
        www [weighted id=blue weight=90]  60 IN A 192.0.2.10
        www [weighted id=green weight=10] 60 IN A 192.0.2.20
        mv  [multivalue id=m1] 60 IN A 192.0.2.31
        mv  [multivalue id=m2] 60 IN A 192.0.2.32
        mv  [multivalue id=m3] 60 IN A 192.0.2.33
        big     IN TXT "\(String(repeating: "a", count: 200))" "\(String(repeating: "b", count: 200))"
        sub     IN NS  ns.sub
        ns.sub  IN A   192.0.2.53
        """
    static let apex: DomainName = "signed.test."

    let key: ZoneSigningKey
    let responder: QueryResponder

    /// With `presign`, the listable answers are signed ahead, as the server does after a load.
    init(key: ZoneSigningKey = .generate(zone: apex), signaturesPerSecond: Int = 0, cacheCapacity: Int = 20_000, presign: Bool = false) {
        self.key = key
        let zones = ZoneFixtures.zoneSet(Self.text, origin: "signed.test.")
        let keys = ZoneKeys([key], signaturesPerSecond: signaturesPerSecond)
        let engine = QueryEngine(authority: Authority(), zones: ZoneStore(zones), zoneKeys: keys, signatureCacheSize: cacheCapacity)
        if presign { engine.presigned?.refresh(zones: zones, keys: keys, now: UInt32(Date().timeIntervalSince1970)) }
        responder = QueryResponder(engine: engine, random: SplitMix64(seed: 1))
    }

    /// The wire query for `name` `type`, with DO (and CO) as asked.
    static func query(_ name: DomainName, _ type: RecordType, dnssecOK: Bool = true, compactOK: Bool = false, edns: Bool = true,
                      payload: UInt16 = 1232) -> [UInt8] {
        var opt = EDNS(udpPayloadSize: payload, dnssecOK: dnssecOK)
        opt.compactOK = compactOK
        let message = Message.query(id: 0x4242, name: name, type: type, edns: edns ? opt : nil)
        return Array(buffer: message.encode())
    }

    /// The reply bytes to `query` over TCP (no size limit), without the length prefix.
    func reply(_ query: [UInt8], transport: Transport = .tcp) -> [UInt8] {
        guard responder.respond(to: ByteBuffer(bytes: query), from: IPAddress("192.0.2.1")!, transport: transport) else { return [] }
        let bytes = Array(buffer: responder.reply)
        return transport == .tcp ? Array(bytes.dropFirst(2)) : bytes
    }

    func ask(_ name: DomainName, _ type: RecordType, dnssecOK: Bool = true, compactOK: Bool = false) throws -> Message {
        try Message(decoding: ByteBuffer(bytes: reply(Self.query(name, type, dnssecOK: dnssecOK, compactOK: compactOK))))
    }
}

/// dnspython's own DNSSEC code, as an outside check of what is signed.
enum DNSSECPython {
    /// dnspython 2.8+ asks for a newer `cryptography` than some distributions ship, though
    /// the P-256 code it uses is the same; the scripts lift that version gate.
    static let prelude = "import dns._features\ndns._features.force(\"dnssec\", True)\n"

    static let isAvailable: Bool = (try? Dnspython.python(["-c", prelude + "import dns.dnssec, cryptography.hazmat.primitives.asymmetric.ec"]))?.status == 0

    /// Validates every RRSIG of the answer and authority sections of each reply with
    /// `dns.dnssec.validate` against `dnskey` (presentation); prints one line per RRSIG:
    /// `N ok OWNER TYPE` or `N bad OWNER TYPE why` for the N-th reply, and which RRsets had none.
    /// One interpreter for all replies: each start of python holds a test thread for most of a second.
    static let validateScript = """
        import sys, time, dns.message, dns.dnssec, dns.rrset, dns.name, dns.rdatatype, dns.rdataclass
        zone = dns.name.from_text(sys.argv[1])
        keys = {zone: dns.rrset.from_text(zone, 3600, "IN", "DNSKEY", sys.argv[2])}
        for index, text in enumerate(sys.argv[3:]):
            reply = dns.message.from_wire(bytes.fromhex(text))
            for section in (reply.answer, reply.authority):
                sigs = [r for r in section if r.rdtype == dns.rdatatype.RRSIG]
                for rrset in section:
                    if rrset.rdtype == dns.rdatatype.RRSIG:
                        continue
                    sig = [s for s in sigs if s.name == rrset.name and s.covers == rrset.rdtype]
                    tag = str(index) + " " + rrset.name.to_text() + " " + dns.rdatatype.to_text(rrset.rdtype)
                    if not sig:
                        print("unsigned " + tag)
                        continue
                    try:
                        dns.dnssec.validate(rrset, sig[0], keys, now=time.time())
                        print("ok " + tag)
                    except Exception as e:
                        print("bad " + tag + " " + str(e))
        """

    /// The lines for each of `replies`, in order, without the index.
    static func validate(_ replies: [[UInt8]], key: ZoneSigningKey) throws -> [[String]] {
        let dnskey = key.dnskeyRecord.split(separator: " ").dropFirst(3).joined(separator: " ")
        let lines = try Dnspython.run(prelude + validateScript,
                                      [key.zone.presentation, dnskey] + replies.map { reply in reply.map { String(format: "%02x", $0) }.joined() })
        var byReply = [[String]](repeating: [], count: replies.count)
        for line in lines {
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard words.count == 3, let index = Int(words[1]), byReply.indices.contains(index) else {
                Issue.record("unexpected line from python: \(line)")
                continue
            }
            byReply[index].append(words[0] + " " + words[2])
        }
        return byReply
    }
}
