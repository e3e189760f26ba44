import DNSWire
import Foundation
import NIOCore
import Testing

/// Runs small scripts against dnspython, an independent DNS implementation, so wire
/// octets can be checked in both directions.
enum Dnspython {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// True when `python3` runs and can import dnspython.
    static let isAvailable: Bool = (try? python(["-c", "import dns.message, dns.edns, dns.rdatatype"]))?.status == 0

    static func python(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs `script` with `arguments` in `sys.argv[1...]` and returns its output lines;
    /// a failing script is reported with its error output.
    static func run(_ script: String, _ arguments: [String] = []) throws -> [String] {
        let output = try python(["-c", script] + arguments)
        guard output.status == 0 else {
            Issue.record("python exited with \(output.status): \(output.stderr)")
            return []
        }
        return output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// Prints every record of sections answer, authority and additional as
    /// `section<TAB>owner<TAB>ttl<TAB>TYPE<TAB>rdata`.
    static let printRecords = """
        def print_records(m):
            for label, section in (("answer", m.answer), ("authority", m.authority), ("additional", m.additional)):
                for rrset in section:
                    for rd in rrset:
                        print("\\t".join([label, rrset.name.to_text(), str(rrset.ttl),
                                         dns.rdatatype.to_text(rrset.rdtype), rd.to_text()]))
        """
}

/// The same tab-separated record lines as `Dnspython.printRecords`, from a decoded message.
private func recordLines(_ message: Message) -> [String] {
    [("answer", message.answers), ("authority", message.authority), ("additional", message.additional)].flatMap { label, records in
        records.map { "\(label)\t\($0.name)\t\($0.ttl)\t\($0.type)\t\($0.rdata.presentation)" }
    }
}

extension DNSWireTests {
    @Suite(.enabled(if: Dnspython.isAvailable, "dnspython (pip install dnspython) is missing"))
    struct DnspythonWireTests {
        @Test(arguments: [
            ("192.0.2.77", UInt8(24), UInt8(0)),
            ("198.51.100.1", 32, 0),
            ("0.0.0.0", 0, 0),
            ("2001:db8:abcd::", 48, 0),
            ("2001:db8::", 56, 0),
        ])
        func queryWithClientSubnetFromDnspython(_ address: String, _ source: UInt8, _ scope: UInt8) throws {
            let script = """
                import sys, dns.message, dns.edns
                q = dns.message.make_query("www.example.com.", "AAAA", use_edns=0, payload=1232, want_dnssec=True,
                                           options=[dns.edns.ECSOption(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))])
                q.id = 0x1234
                print(q.to_wire().hex())
                """
            let lines = try Dnspython.run(script, [address, "\(source)", "\(scope)"])
            let hex = try #require(lines.first)
            let expectedSubnet = ClientSubnet(address: try #require(IPAddress(address)), sourcePrefixLength: source, scopePrefixLength: scope)

            let query = try Query(decoding: ByteBuffer(hex: hex))
            #expect(query.id == 0x1234)
            #expect(query.flags & Header.rdMask != 0)
            #expect(query.question == Question(name: "www.example.com.", type: .aaaa))
            #expect(query.edns?.udpPayloadSize == 1232)
            #expect(query.edns?.dnssecOK == true)
            #expect(query.clientSubnet == expectedSubnet)

            let message = try Message(decoding: ByteBuffer(hex: hex))
            #expect(message.edns?.options == [EDNSOption(clientSubnet: expectedSubnet)])

            // Both implementations lay this query out octet for octet the same.
            let ours = Message.query(id: 0x1234, name: "www.example.com.", type: .aaaa, recursionDesired: true,
                                     edns: EDNS(udpPayloadSize: 1232, dnssecOK: true, options: [EDNSOption(clientSubnet: expectedSubnet)]))
            #expect(ours.encode().hex == hex)
        }

        /// Records in canonical presentation form, grouped so dnspython keeps their order.
        static let responseRecords: [(section: String, text: String)] = [
            ("answer", "example.com. 3600 IN MX 10 mail.example.com."),
            ("answer", "example.com. 3600 IN MX 20 mail2.example.com."),
            ("answer", #"example.com. 3600 IN TXT "hello world" "a\"b\\c" "caf\195\169" """#),
            ("answer", #"example.com. 3600 IN SPF "v=spf1 -all""#),
            ("answer", #"example.com. 3600 IN CAA 0 issue "ca.example.net""#),
            ("answer", #"example.com. 3600 IN CAA 128 iodef "mailto:security@example.com""#),
            ("answer", "example.com. 3600 IN TYPE65280 \\# 3 abcdef"),
            ("answer", "_sip._tcp.example.com. 300 IN SRV 10 60 5060 sip.example.com."),
            ("answer", "www.example.com. 300 IN AAAA 2001:db8::1"),
            ("answer", "www.example.com. 300 IN A 192.0.2.1"),
            ("answer", "alias.example.com. 300 IN CNAME www.example.com."),
            ("answer", "1.2.0.192.in-addr.arpa. 300 IN PTR www.example.com."),
            ("authority", "example.com. 86400 IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300"),
            ("authority", "example.com. 86400 IN NS ns1.example.com."),
            ("additional", "ns1.example.com. 3600 IN A 192.0.2.53"),
        ]

        @Test func responseFromDnspython() throws {
            var text = "id 4660\nopcode QUERY\nrcode NOERROR\nflags QR AA RD\n;QUESTION\nexample.com. IN ANY\n"
            for section in ["answer", "authority", "additional"] {
                text += ";\(section.uppercased())\n"
                for record in Self.responseRecords where record.section == section { text += record.text + "\n" }
            }
            let script = """
                import sys, dns.message, dns.rdatatype
                \(Dnspython.printRecords)
                m = dns.message.from_text(sys.argv[1])
                print(m.to_wire().hex())
                print_records(m)
                """
            let lines = try Dnspython.run(script, [text])
            try #require(lines.count == Self.responseRecords.count + 1)

            let message = try Message(decoding: ByteBuffer(hex: lines[0]))
            #expect(message.header.id == 4660)
            #expect(message.header.isResponse && message.header.isAuthoritative && message.header.recursionDesired)
            #expect(!message.header.recursionAvailable)
            #expect(message.responseCode == .noError)
            #expect(message.questions == [Question(name: "example.com.", type: .any)])
            #expect(message.edns == nil)

            // dnspython shuffles the records of an RRset when it writes them, so compare as
            // sorted lists (each line still names its section).
            let ours = recordLines(message).sorted()
            // Same text as dnspython prints for the octets it wrote...
            #expect(ours == lines.dropFirst().sorted())
            // ...and as the records were written (they are already canonical).
            let expected = Self.responseRecords.map { record in
                let fields = record.text.split(separator: " ", maxSplits: 4).map(String.init)
                return [record.section, fields[0], fields[1], fields[3], fields[4]].joined(separator: "\t")
            }
            #expect(ours == expected.sorted())
        }

        @Test func responseFromSwiftParsedByDnspython() throws {
            func rr(_ name: DomainName, _ ttl: UInt32, _ type: RecordType, _ text: String) throws -> ResourceRecord {
                ResourceRecord(name: name, ttl: ttl, rdata: try RData.parse(type: type, tokens: presentationTokens(text), origin: nil))
            }
            var header = Header(id: 0xBEEF)
            header.isResponse = true
            header.isAuthoritative = true
            header.rcodeLow = 3
            let subnet = ClientSubnet(address: IPAddress("192.0.2.0")!, sourcePrefixLength: 24, scopePrefixLength: 24)
            let message = Message(
                header: header,
                questions: [Question(name: "example.com.", type: .mx)],
                answers: [
                    try rr("example.com.", 3600, .mx, "10 mail.example.com."),
                    try rr("example.com.", 3600, .mx, "20 mail.example.com."),
                    try rr("example.com.", 3600, .txt, #""v=spf1" "a \"quoted\" \\ string" "\255" """#),
                    try rr("example.com.", 3600, .caa, #"0 issuewild ";""#),
                    try rr("_sip._tcp.example.com.", 300, .srv, "0 5 443 sip.example.com."),
                    try rr("www.example.com.", 60, .aaaa, "::ffff:192.0.2.1"),
                    try rr("www.example.com.", 60, .cname, "mail.example.com."),
                ],
                authority: [try rr("example.com.", 300, .soa, "ns1.example.com. hostmaster.example.com. 1 2 3 4 5")],
                additional: [
                    try rr("mail.example.com.", 3600, .a, "192.0.2.25"),
                    try rr("mail.example.com.", 3600, RecordType(65280), "\\# 2 beef"),
                ],
                edns: EDNS(udpPayloadSize: 1232, dnssecOK: true, options: [EDNSOption(clientSubnet: subnet)]))
            let script = """
                import sys, dns.message, dns.rdatatype, dns.flags, dns.rcode
                \(Dnspython.printRecords)
                m = dns.message.from_wire(bytes.fromhex(sys.argv[1]))
                print(m.id)
                print(dns.flags.to_text(m.flags))
                print(dns.rcode.to_text(m.rcode()))
                print(m.question[0].to_text())
                print_records(m)
                print("edns", m.edns, m.payload, "DO" if m.ednsflags & dns.flags.DO else "-")
                for option in m.options:
                    print(option.to_text())
                """
            let lines = try Dnspython.run(script, [message.encode().hex])
            #expect(lines == [
                "48879",
                "QR AA",
                "NXDOMAIN",
                "example.com. IN MX",
                "answer\texample.com.\t3600\tMX\t10 mail.example.com.",
                "answer\texample.com.\t3600\tMX\t20 mail.example.com.",
                "answer\texample.com.\t3600\tTXT\t\"v=spf1\" \"a \\\"quoted\\\" \\\\ string\" \"\\255\" \"\"",
                "answer\texample.com.\t3600\tCAA\t0 issuewild \";\"",
                "answer\t_sip._tcp.example.com.\t300\tSRV\t0 5 443 sip.example.com.",
                "answer\twww.example.com.\t60\tAAAA\t::ffff:192.0.2.1",
                "answer\twww.example.com.\t60\tCNAME\tmail.example.com.",
                "authority\texample.com.\t300\tSOA\tns1.example.com. hostmaster.example.com. 1 2 3 4 5",
                "additional\tmail.example.com.\t3600\tA\t192.0.2.25",
                "additional\tmail.example.com.\t3600\tTYPE65280\t\\# 2 beef",
                "edns 0 1232 DO",
                "ECS 192.0.2.0/24 scope/24",
            ])
        }
    }
}
