import DNSWire
import Foundation
import Testing

/// Differential test: Knot DNS and Switchyard serve the same plain RFC 1035 zone and must
/// give the same answer to every query of the table below — rcode, header flags, and each
/// section as a multiset of records (owner compared without case, type, class, TTL, RDATA).
/// The OPT record is compared by presence only: its options (NSID, padding) are Knot's own.
@Suite("Knot differential")
struct KnotDifferentialTests {
    static let knotd = ExternalTool.find("knotd")
    static let origin: DomainName = "diff.test."

    @Test(.enabled(if: KnotDifferentialTests.knotd != nil, "knotd is not installed (Debian package knot)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func switchyardAnswersLikeKnot() async throws {
        let folder = try TemporaryFolder(prefix: "knot-diff")
        defer { folder.remove() }
        let zones = folder.file("zones")
        try FileManager.default.createDirectory(at: zones, withIntermediateDirectories: true)
        let zoneFile = zones.appendingPathComponent("diff.test.zone")
        try FileManager.default.copyItem(at: RepositoryLayout.fixture("differential/diff.test.zone"), to: zoneFile)

        let zoneLoaded: (Message) -> Bool = { $0.responseCode == .noError && $0.header.isAuthoritative }
        let knot = try await ServerUnderTest.start(name: "knotd", executable: Self.knotd!, folder: folder,
                                       probe: (Self.origin, .soa), ready: zoneLoaded) { port in
            let configuration = folder.file("knot-\(port).conf")
            try Self.knotConfiguration(port: port, folder: folder.url, zoneFile: zoneFile)
                .write(to: configuration, atomically: true, encoding: .utf8)
            return ["-c", configuration.path]
        }
        defer { knot.stop() }
        let switchyard = try await ServerUnderTest.start(name: "switchyard", executable: RepositoryLayout.switchyard!, folder: folder,
                                             probe: (Self.origin, .soa), ready: zoneLoaded) { port in
            ["serve", zones.path, "--listen", "127.0.0.1:\(port)", "--admin", "off", "--threads", "1"]
        }
        defer { switchyard.stop() }

        #expect(Self.table.count >= 50)
        for (index, entry) in Self.table.enumerated() {
            let query = try entry.message(id: UInt16(0x1000 + index), origin: Self.origin)
            let transport: LoopbackDNS.Transport = entry.options.contains(.tcp) ? .tcp : .udp
            let fromKnot: Message
            let fromSwitchyard: Message
            do {
                fromKnot = try LoopbackDNS.exchange(query, port: knot.port, transport: transport).message
                fromSwitchyard = try LoopbackDNS.exchange(query, port: switchyard.port, transport: transport).message
            } catch {
                Issue.record("\(entry): no usable answer over \(transport.rawValue): \(error)")
                continue
            }
            let differences = ComparableResponse(fromKnot).differences(from: ComparableResponse(fromSwitchyard))
            #expect(differences.isEmpty, "\(entry): Knot vs Switchyard\n\(differences.joined(separator: "\n"))")
            for (server, reply) in [("Knot", fromKnot), ("Switchyard", fromSwitchyard)] {
                #expect(reply.header.id == query.header.id, "\(entry): \(server) answered another id")
                let echoes = Self.spellingErrors(reply, query: query.questions[0].name)
                #expect(echoes.isEmpty, "\(entry): \(server) did not echo the query's case: \(echoes)")
            }
        }
    }

    /// The places where `reply` writes the query name with another case than the query:
    /// the question, and the owner of every answer record for that name.
    static func spellingErrors(_ reply: Message, query: DomainName) -> [String] {
        var errors: [String] = []
        for question in reply.questions where question.name.wire != query.wire {
            errors.append("question \(question.name)")
        }
        for record in reply.answers where record.name == query && record.name.wire != query.wire {
            errors.append("answer owner \(record.name)")
        }
        return errors
    }

    /// A minimal knotd configuration: one zone, every file inside the test's folder, the
    /// zone file never written back, one worker of each kind.
    static func knotConfiguration(port: UInt16, folder: URL, zoneFile: URL) -> String {
        """
        server:
            listen: 127.0.0.1@\(port)
            rundir: \(folder.path)
            udp-workers: 1
            tcp-workers: 1
            background-workers: 1
        log:
          - target: stderr
            any: warning
        database:
            storage: \(folder.appendingPathComponent("knot-db").path)
        template:
          - id: default
            storage: \(zoneFile.deletingLastPathComponent().path)
            semantic-checks: off
            zonefile-sync: -1
            journal-content: none
        zone:
          - domain: diff.test
            file: \(zoneFile.path)

        """
    }

    // The query table. Names are relative to diff.test unless they end with a dot.
    static let table: [DifferentialQuery] = [
        // The apex.
        .init("@", .soa, [.edns]),
        .init("@", .ns, [.edns]),
        .init("@", .ns),
        .init("@", .mx, [.edns]),
        .init("@", .txt),
        .init("@", .spf, [.edns]),
        .init("@", .caa, [.edns]),
        .init("@", .a),
        .init("@", .aaaa, [.tcp]),
        .init("@", .ds, [.edns]),
        .init("@", .any, [.edns]),
        .init("@", .any, [.tcp]),
        // Hosts, NODATA, other types, header bits, case.
        .init("www", .a),
        .init("www", .aaaa, [.edns]),
        .init("www", .mx, [.edns]),
        .init("WwW.DiFf.TeSt.", .a, [.edns]),
        .init("WWW.DIFF.TEST.", .aaaa, [.tcp]),
        .init("www", .any, [.edns]),
        .init("host", .a, [.rd]),
        .init("www", .a, [.edns, .cd]),
        .init("www", .a, [.edns, .dnssecOK]),
        .init("ns1", .aaaa),
        .init("mail", .a, [.edns]),
        .init("ptr", .ptr),
        .init("unknown", RecordType(65400), [.edns]),
        .init("unknown", .a, [.edns]),
        .init("_sip._tcp", .srv, [.edns]),
        .init("_SIP._TCP", .srv),
        .init("_sip._tcp", .any, [.edns]),
        // CNAME chains: inside the zone, dangling (RFC 6604), leaving the zone, into a
        // delegation, to the apex, into a wildcard, to an RRset too big for UDP.
        .init("chain1", .a, [.edns]),
        .init("chain1", .aaaa, [.edns]),
        .init("chain1", .mx, [.edns]),
        .init("CHAIN1.Diff.Test.", .txt, [.edns]),
        .init("chain1", .cname, [.edns]),
        .init("chain1", .any, [.edns]),
        .init("chain2", .a, [.tcp]),
        .init("short", .a),
        .init("dangling", .a, [.edns]),
        .init("dangling", .cname, [.edns]),
        .init("external", .a, [.edns]),
        .init("todeleg", .a, [.edns]),
        .init("mxalias", .mx, [.edns]),
        .init("mxalias", .any, [.edns]),
        .init("towild", .a, [.edns]),
        .init("towild", .aaaa, [.edns]),
        .init("tobig", .txt),
        .init("tobig", .txt, [.tcp]),
        // Delegations: referrals with glue, DS at the parent side, sibling glue.
        .init("sub", .ns, [.edns]),
        .init("sub", .a, [.edns]),
        .init("sub", .ds, [.edns]),
        .init("SuB.DiFf.TeSt.", .ds),
        .init("sub", .any, [.edns]),
        .init("host.sub", .a, [.edns]),
        .init("a.b.sub", .aaaa),
        .init("ns1.sub", .a, [.edns]),
        .init("host.sub", .ds, [.edns]),
        .init("sib", .a, [.edns]),
        .init("host.sib", .a),
        // Wildcards (RFC 4592).
        .init("x.wild", .a, [.edns]),
        .init("x.wild", .txt),
        .init("x.wild", .aaaa, [.edns]),
        .init("x.wild", .any, [.edns]),
        .init("a.b.wild", .a, [.edns]),
        .init("X.Wild.Diff.Test.", .a, [.edns]),
        .init("host.wild", .mx, [.edns]),
        .init("host.wild", .a, [.edns]),
        .init("z.host.wild", .a, [.edns]),
        .init("ent.wild", .a, [.edns]),
        .init("y.ent.wild", .a, [.edns]),
        .init("x.ent.wild", .a, [.edns]),
        .init("*.wild", .a, [.edns]),
        .init("*.wild", .mx, [.edns]),
        .init("wild", .a, [.edns]),
        .init("foo.cw", .a, [.edns]),
        .init("Foo.CW.diff.test.", .aaaa, [.edns]),
        .init("*.www", .a, [.edns]),
        // Empty non-terminals and NXDOMAIN.
        .init("b.ent", .a, [.edns]),
        .init("ent", .txt, [.edns]),
        .init("ent", .any, [.edns]),
        .init("a.b.ent", .a),
        .init("nothing", .a, [.edns]),
        .init("nothing", .a),
        .init("deeper.nothing", .mx, [.tcp]),
        // Outside the zone.
        .init("www.example.com.", .a, [.edns]),
        .init("example.com.", .a),
        .init("test.", .soa, [.edns]),
        // Sizes: TC=1 without EDNS, whole with EDNS or over TCP; additional sections and
        // glue that do not fit 512 octets.
        .init("big", .txt),
        .init("big", .txt, [.edns]),
        .init("big", .txt, [.edns512]),
        .init("big", .txt, [.tcp]),
        .init("many", .mx),
        .init("many", .mx, [.edns]),
        .init("wide", .ns),
        .init("host.wide", .a),
        .init("host.wide", .a, [.edns]),
        .init("host.wide", .a, [.tcp]),
        // Additional addresses: glue below a cut, a wildcard.
        .init("gluemx", .mx, [.edns]),
        .init("wildmx", .mx, [.edns]),
        // Excluded: dupmx MX. Knot writes the A record of `mail` twice in the additional
        // section (once per MX naming it); an RRset appears once in a message (RFC 2181
        // §5), and Switchyard writes it once.
    ]
}

/// One query of the differential table.
struct DifferentialQuery: Sendable, CustomStringConvertible {
    struct Options: OptionSet, Sendable {
        let rawValue: Int
        /// EDNS(0) with a 1232-octet UDP payload size.
        static let edns = Options(rawValue: 1)
        /// EDNS(0) advertising only 512 octets.
        static let edns512 = Options(rawValue: 2)
        static let tcp = Options(rawValue: 4)
        static let rd = Options(rawValue: 8)
        static let cd = Options(rawValue: 16)
        /// EDNS(0) with the DO bit.
        static let dnssecOK = Options(rawValue: 32)
    }

    var name: String
    var type: RecordType
    var options: Options

    init(_ name: String, _ type: RecordType, _ options: Options = []) {
        self.name = name
        self.type = type
        self.options = options
    }

    func message(id: UInt16, origin: DomainName) throws -> Message {
        var edns: EDNS? = nil
        if !options.isDisjoint(with: [.edns, .edns512, .dnssecOK]) {
            edns = EDNS(udpPayloadSize: options.contains(.edns512) ? 512 : 1232, dnssecOK: options.contains(.dnssecOK))
        }
        var message = Message.query(id: id, name: try DomainName(name, origin: origin), type: type,
                                    recursionDesired: options.contains(.rd), edns: edns)
        message.header.checkingDisabled = options.contains(.cd)
        return message
    }

    var description: String {
        let flags = [(Options.edns, "edns"), (.edns512, "edns512"), (.tcp, "tcp"), (.rd, "rd"), (.cd, "cd"), (.dnssecOK, "do")]
            .filter { options.contains($0.0) }.map(\.1)
        return "\(name) \(type)" + (flags.isEmpty ? "" : " +" + flags.joined(separator: " +"))
    }
}

/// The parts of a response the differential test compares.
struct ComparableResponse {
    var rcode: ResponseCode
    /// The flags word without the rcode: QR, opcode, AA, TC, RD, RA, Z, AD, CD.
    var flags: UInt16
    var hasOPT: Bool
    var sections: [(name: String, records: [ResourceRecord: Int])]

    init(_ message: Message) {
        rcode = message.responseCode
        flags = message.header.flags & 0xFFF0
        hasOPT = message.edns != nil
        sections = [("answer", Self.multiset(message.answers)), ("authority", Self.multiset(message.authority)),
                    ("additional", Self.multiset(message.additional))]
    }

    /// Records counted by value; `ResourceRecord` equality ignores the case of names.
    static func multiset(_ records: [ResourceRecord]) -> [ResourceRecord: Int] {
        records.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// What differs, one line each, `self` being the reference.
    func differences(from other: ComparableResponse) -> [String] {
        var lines: [String] = []
        if rcode != other.rcode { lines.append("rcode \(rcode) vs \(other.rcode)") }
        if flags != other.flags { lines.append("flags \(Self.describe(flags)) vs \(Self.describe(other.flags))") }
        if hasOPT != other.hasOPT { lines.append("OPT present \(hasOPT) vs \(other.hasOPT)") }
        for (mine, theirs) in zip(sections, other.sections) where mine.records != theirs.records {
            lines.append("\(mine.name):\n  reference:\n\(Self.describe(mine.records))\n  switchyard:\n\(Self.describe(theirs.records))")
        }
        return lines
    }

    static func describe(_ records: [ResourceRecord: Int]) -> String {
        records.flatMap { Array(repeating: "    \($0.key)", count: $0.value) }.sorted().joined(separator: "\n")
    }

    static func describe(_ flags: UInt16) -> String {
        let names: [(UInt16, String)] = [(Header.qrMask, "qr"), (Header.aaMask, "aa"), (Header.tcMask, "tc"), (Header.rdMask, "rd"),
                                         (Header.raMask, "ra"), (0x0040, "z"), (Header.adMask, "ad"), (Header.cdMask, "cd")]
        let set = names.filter { flags & $0.0 != 0 }.map(\.1)
        return "[opcode \((flags >> 11) & 0xF) \(set.joined(separator: " "))]"
    }
}
