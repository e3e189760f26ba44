import DNSWire
import Testing

/// A presentation name, the origin it is read against, and its expected text and wire form.
struct NameFixture: Sendable, CustomTestStringConvertible {
    var text: String
    var origin: String?
    var printed: String
    var wire: String

    init(_ text: String, origin: String? = nil, _ printed: String, _ wire: String) {
        self.text = text
        self.origin = origin
        self.printed = printed
        self.wire = wire
    }

    var testDescription: String { origin.map { "\(text) (origin \($0))" } ?? text }
}

extension DNSWireTests {
    @Suite struct DomainNameTests {
        static let parsed: [NameFixture] = [
            NameFixture(".", ".", "00"),
            NameFixture("example.com.", "example.com.", "07 6578616d706c65 03 636f6d 00"),
            NameFixture("Mixed.CASE.", "Mixed.CASE.", "05 4d69786564 04 43415345 00"),
            NameFixture("www", origin: "example.com.", "www.example.com.", "03 777777 07 6578616d706c65 03 636f6d 00"),
            NameFixture("a.b", origin: "c.", "a.b.c.", "01 61 01 62 01 63 00"),
            NameFixture("x", origin: ".", "x.", "01 78 00"),
            NameFixture("@", origin: "example.com.", "example.com.", "07 6578616d706c65 03 636f6d 00"),
            NameFixture("abs.", origin: "example.com.", "abs.", "03 616273 00"),
            // Escapes (RFC 1035 §5.1): `\X` takes X literally, `\DDD` is a decimal octet.
            NameFixture("a\\.b.example.", "a\\.b.example.", "03 612e62 07 6578616d706c65 00"),
            NameFixture("a\\032b.", "a\\032b.", "03 612062 00"),
            NameFixture("a\\ b.", "a\\032b.", "03 612062 00"),
            NameFixture("\\065BC.", "ABC.", "03 414243 00"),
            NameFixture("\\Abc.", "Abc.", "03 416263 00"),
            NameFixture("a\\\\b.", "a\\\\b.", "03 615c62 00"),
            NameFixture("\\(x\\);\\\"q\\\".", "\\(x\\)\\;\\\"q\\\".", "07 2878293b227122 00"),
            NameFixture("\\@\\$.", "\\@\\$.", "02 4024 00"),
            NameFixture("caf\\195\\169.", "caf\\195\\169.", "05 636166c3a9 00"),
            NameFixture("\\000\\255.", "\\000\\255.", "02 00ff 00"),
            NameFixture("a\\127.", "a\\127.", "02 617f 00"),
            NameFixture("*.example.", "*.example.", "01 2a 07 6578616d706c65 00"),
            NameFixture("_sip._tcp.", "_sip._tcp.", "04 5f736970 04 5f746370 00"),
            NameFixture("a.\\..", "a.\\..", "01 61 01 2e 00"),
            NameFixture("a.\\.", origin: "z.", "a.\\..z.", "01 61 01 2e 01 7a 00"),
        ]

        @Test(arguments: parsed)
        func parseAndPrint(_ f: NameFixture) throws {
            let origin = try f.origin.map { try DomainName($0) }
            let name = try DomainName(f.text, origin: origin)
            #expect(name.presentation == f.printed)
            #expect(name.description == f.printed)
            #expect(Hex.string(name.wire) == Hex.normalized(f.wire))
            // Printing then parsing is the identity, case included.
            let again = try DomainName(f.printed)
            #expect(again.wire == name.wire)
            #expect(try DomainName(wire: name.wire).wire == name.wire)
        }

        @Test(arguments: [
            ("", "empty name"),
            ("a..b.", "empty label in name"),
            (".a.", "empty label in name"),
            ("..", "empty label in name"),
            ("www", "relative name with no origin"),
            ("@", "'@' used with no origin"),
            ("a\\", "backslash at end of text"),
            ("a\\25", "\\DDD escape needs three digits"),
            ("a\\2a5.", "\\DDD escape needs three digits"),
            ("\\256.", "\\DDD escape above 255"),
            ("\\999.", "\\DDD escape above 255"),
        ])
        func parseErrors(_ text: String, _ message: String) {
            #expect(throws: PresentationError(message)) { try DomainName(text) }
        }

        // MARK: Length limits (RFC 1035 §2.3.4)

        @Test func labelOf63OctetsIsAccepted() throws {
            let label = String(repeating: "a", count: 63)
            let name = try DomainName("\(label).")
            #expect(name.wire.count == 65)
            #expect(name.wire.first == 63)
            #expect(name.labelCount == 1)
        }

        @Test func labelOf63EscapedOctetsIsAccepted() throws {
            let name = try DomainName(String(repeating: "\\097", count: 63) + ".")
            #expect(name.wire == [63] + Array(repeating: UInt8(ascii: "a"), count: 63) + [0])
        }

        @Test(arguments: [String(repeating: "a", count: 64) + ".",
                          "x." + String(repeating: "b", count: 64) + ".",
                          String(repeating: "\\098", count: 64)])
        func labelOf64OctetsIsRejected(_ text: String) {
            #expect(throws: PresentationError("label longer than 63 octets")) {
                try DomainName(text, origin: .root)
            }
        }

        /// `count` labels of 63 octets followed by one of `last` octets, absolute.
        static func longName(last: Int) -> String {
            String(repeating: String(repeating: "a", count: 63) + ".", count: 3) + String(repeating: "b", count: last) + "."
        }

        @Test func nameOf255OctetsIsAccepted() throws {
            // 3 × (1 + 63) + (1 + 61) + 1 = 255.
            let name = try DomainName(Self.longName(last: 61))
            #expect(name.wire.count == 255)
            #expect(name.labelCount == 4)
            #expect(try DomainName(wire: name.wire) == name)
        }

        @Test func nameOf256OctetsIsRejected() {
            #expect(throws: PresentationError("name longer than 255 octets")) {
                try DomainName(Self.longName(last: 62))
            }
        }

        @Test func relativeNameTooLongOnceTheOriginIsAdded() throws {
            let origin = try DomainName(String(repeating: String(repeating: "o", count: 63) + ".", count: 3))  // 193 octets
            #expect(try DomainName(String(repeating: "r", count: 61), origin: origin).wire.count == 255)
            #expect(throws: PresentationError("name longer than 255 octets")) {
                try DomainName(String(repeating: "r", count: 62), origin: origin)
            }
        }

        @Test func wireValidation() throws {
            #expect(try DomainName(wire: [0]).isRoot)
            #expect(throws: DNSWireError.truncated) { try DomainName(wire: []) }
            #expect(throws: DNSWireError.truncated) { try DomainName(wire: [3, 0x61, 0x62]) }
            #expect(throws: DNSWireError.truncated) { try DomainName(wire: [1, 0x61, 0, 0]) }
            #expect(throws: DNSWireError.badLabelType) { try DomainName(wire: [0x40] + Array(repeating: 0x61, count: 64) + [0]) }
            #expect(throws: DNSWireError.badLabelType) { try DomainName(wire: [0xC0, 0x0C]) }
            let label: [UInt8] = [63] + Array(repeating: 0x61, count: 63)
            let tooLong: [UInt8] = Array(repeating: label, count: 4).flatMap { $0 } + [0]
            #expect(throws: DNSWireError.nameTooLong) { try DomainName(wire: tooLong) }
        }

        @Test func fromLabels() throws {
            let name = try DomainName(labels: [Array("www".utf8), Array("Example".utf8)])
            #expect(name.presentation == "www.Example.")
            #expect(try DomainName(labels: []).isRoot)
            #expect(throws: DNSWireError.badLabelType) { try DomainName(labels: [[]]) }
            #expect(throws: DNSWireError.labelTooLong) { try DomainName(labels: [Array(repeating: 0x61, count: 64)]) }
            #expect(throws: DNSWireError.nameTooLong) {
                try DomainName(labels: Array(repeating: Array(repeating: 0x61, count: 63), count: 4))
            }
        }

        // MARK: Case (RFC 4343)

        @Test(arguments: [
            ("example.com.", "EXAMPLE.COM.", true),
            ("WwW.ExAmPlE.cOm.", "www.example.com.", true),
            ("example.com.", "example.co.", false),
            ("example.com.", "example.com.x.", false),
            ("a.bc.", "ab.c.", false),
            // Only ASCII letters fold: `[` (0x5B) and `{` (0x7B) differ by 0x20 but are not letters,
            // nor are `@` (0x40) and `` ` `` (0x60), nor Latin-1 0xC0 and 0xE0.
            ("\\[.", "\\{.", false),
            ("\\@.", "`.", false),
            ("\\192.", "\\224.", false),
            ("\\065.", "a.", true),
        ])
        func caseInsensitiveEquality(_ a: String, _ b: String, _ equal: Bool) throws {
            let x = try DomainName(a)
            let y = try DomainName(b)
            #expect((x == y) == equal)
            if equal {
                #expect(x.hashValue == y.hashValue)
                #expect(Set([x, y]).count == 1)
                #expect(!(x < y) && !(y < x))
            } else {
                #expect(Set([x, y]).count == 2)
                #expect((x < y) != (y < x))
            }
        }

        @Test func dictionaryLookupIgnoresCaseAndKeepsSpelling() throws {
            let table: [DomainName: Int] = ["Example.COM.": 1, "www.example.com.": 2]
            #expect(table["example.com."] == 1)
            #expect(table["WWW.EXAMPLE.COM."] == 2)
            #expect(table.keys.contains { $0.presentation == "Example.COM." })
            #expect(DomainName("Example.COM.").lowercased().presentation == "example.com.")
        }

        // MARK: Canonical order (RFC 4034 §6.1)

        /// The example list of RFC 4034 §6.1, in canonical order.
        static let rfc4034Order = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
            "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.",
        ]

        @Test func canonicalOrderMatchesRFC4034() throws {
            let names = try Self.rfc4034Order.map { try DomainName($0) }
            #expect(names.sorted() == names)
            #expect(names.reversed().sorted() == names)
            var shuffled = names
            shuffled.swapAt(0, 8)
            shuffled.swapAt(2, 5)
            shuffled.swapAt(3, 4)
            #expect(shuffled.sorted().map(\.presentation) == Self.rfc4034Order)
            for (earlier, later) in zip(names, names.dropFirst()) {
                #expect(earlier < later, "\(earlier) should sort before \(later)")
                #expect(!(later < earlier))
            }
        }

        @Test func rootSortsFirstAndParentsBeforeChildren() throws {
            let root = DomainName.root
            let com: DomainName = "com."
            let example: DomainName = "example.com."
            #expect(root < com)
            #expect(com < example)
            #expect(!(root < root))
            // Shorter label sorts first when one is a prefix of the other ("absent" < any octet).
            #expect(DomainName("a.example.") < DomainName("\\000.a.example."))
            #expect(DomainName("ab.") < DomainName("ab\\000."))
        }

        // MARK: Hierarchy

        @Test(arguments: [
            ("www.example.com.", "example.com.", true),
            ("example.com.", "example.com.", true),
            ("EXAMPLE.com.", "example.COM.", true),
            ("a.b.c.example.com.", "c.example.com.", true),
            ("anything.", ".", true),
            (".", ".", true),
            ("badexample.com.", "example.com.", false),
            ("example.com.", "www.example.com.", false),
            (".", "com.", false),
            // One label `b.example` with an escaped dot is not below `example.com.`.
            ("b\\.example.com.", "example.com.", false),
            ("x.b\\.example.com.", "b\\.example.com.", true),
        ])
        func isSubdomain(_ name: String, _ ancestor: String, _ expected: Bool) throws {
            #expect(try DomainName(name).isSubdomain(of: DomainName(ancestor)) == expected)
        }

        @Test(arguments: [
            ("*.example.com.", true),
            ("*.", true),
            ("*.*.example.", true),
            ("a.*.example.", false),
            ("**.example.", false),
            ("*a.example.", false),
            ("a*.example.", false),
            ("example.", false),
            (".", false),
        ])
        func wildcardDetection(_ name: String, _ expected: Bool) throws {
            #expect(try DomainName(name).isWildcard == expected)
        }

        @Test func labelNavigation() throws {
            let name: DomainName = "www.Example.com."
            #expect(name.labelCount == 3)
            #expect(name.labels.map { String(decoding: $0, as: UTF8.self) } == ["www", "Example", "com"])
            #expect(name.labelOffsets == [0, 4, 12, 16])
            #expect(name.parent.presentation == "Example.com.")
            #expect(name.dropping(labels: 2).presentation == "com.")
            #expect(name.dropping(labels: 3).isRoot)
            #expect(name.dropping(labels: 9).isRoot)
            #expect(DomainName.root.parent.isRoot)
            #expect(DomainName.root.labelCount == 0)
            #expect(name.wildcardChild?.presentation == "*.www.Example.com.")
            #expect(name.wildcardChild?.isWildcard == true)
            #expect(try name.prepending(label: Array("m".utf8)).presentation == "m.www.Example.com.")
            #expect(throws: DNSWireError.badLabelType) { try name.prepending(label: []) }
            #expect(throws: DNSWireError.labelTooLong) { try name.prepending(label: Array(repeating: 0x61, count: 64)) }
            let full = try DomainName(Self.longName(last: 61))
            #expect(full.wildcardChild == nil)
        }

        @Test func replacingSuffix() throws {
            let name: DomainName = "a.b.example.com."
            #expect(name.replacingSuffix("EXAMPLE.com.", with: "example.net.")?.presentation == "a.b.example.net.")
            #expect(name.replacingSuffix("com.", with: ".")?.presentation == "a.b.example.")
            #expect(name.replacingSuffix("example.org.", with: "example.net.") == nil)
            #expect(name.replacingSuffix("le.com.", with: "example.net.") == nil)
            let long = try DomainName(Self.longName(last: 61))
            #expect(long.replacingSuffix(.root, with: "x.") == nil)
        }
    }
}
