import DNSWire
import Routing
import Testing

/// Record data kept as wire octets: what the query path reads from it without decoding
/// (target names, a multivalue answer's joined sets) must agree with the decoded records.
@Suite struct RecordDataBytesTests {
    static func name(_ text: String) -> DomainName { try! DomainName(text, origin: .root) }

    @Test func joiningSetsKeepsOrderAndEachRecordOnce() {
        let first = RecordDataBytes(records: [.a(IPv4Address(0xC000_0201)), .a(IPv4Address(0xC000_0202))])
        let second = RecordDataBytes(records: [.a(IPv4Address(0xC000_0202)), .a(IPv4Address(0xC000_0203))])
        let merged = first.merging(second, type: .a)
        #expect(merged.count == 3)
        #expect(merged.records(of: .a) == [.a(IPv4Address(0xC000_0201)), .a(IPv4Address(0xC000_0202)), .a(IPv4Address(0xC000_0203))])
        // The sets joined are left as they were.
        #expect(first.count == 2 && second.count == 2)
    }

    /// Joining many sets at once gives what joining them one by one gives: order, each
    /// record once (names compared ignoring case), empty sets and repeats included.
    @Test func joiningManySetsAtOnceEqualsJoiningThemInTurn() {
        var random = SplitMix64(seed: 7)
        var compared = 0
        for _ in 0..<200 {
            let sets = (0..<Int(random.next() % 8 + 1)).map { _ in
                RecordDataBytes(records: (0..<Int(random.next() % 4)).map { _ in
                    .mx(MXData(preference: UInt16(random.next() % 3),
                               exchange: Self.name(random.next() % 2 == 0 ? "mx\(random.next() % 3).example.test." : "MX\(random.next() % 3).Example.TEST.")))
                })
            }
            let inTurn = sets.dropFirst().reduce(sets[0]) { $0.merging($1, type: .mx) }
            let atOnce = sets.withUnsafeBufferPointer { RecordDataBytes.joining($0, type: .mx) }
            #expect(atOnce.count == inTurn.count)
            #expect(Array(atOnce.storage[atOnce.start..<atOnce.end]) == Array(inTurn.storage[inTurn.start..<inTurn.end]))
            compared += atOnce.count
        }
        #expect(compared > 0)
        #expect([RecordDataBytes]().withUnsafeBufferPointer { RecordDataBytes.joining($0, type: .a) }.count == 0)
    }

    @Test func namesMatchIgnoringCaseButTextDoesNot() {
        let mx = RecordDataBytes(records: [.mx(MXData(preference: 10, exchange: Self.name("mail.example.test.")))])
        let shouted = RecordDataBytes(records: [.mx(MXData(preference: 10, exchange: Self.name("MAIL.Example.TEST.")))])
        #expect(mx.merging(shouted, type: .mx).count == 1)
        let lower = RecordDataBytes(records: [.txt(TXTData(strings: [Array("a".utf8)]))])
        let upper = RecordDataBytes(records: [.txt(TXTData(strings: [Array("A".utf8)]))])
        #expect(lower.merging(upper, type: .txt).count == 2)
    }

    @Test func targetNamesAreReadWithoutDecoding() {
        let targets = ["a.example.test.", "b.example.test."].map(Self.name)
        let ns = RecordDataBytes(records: targets.map { .ns($0) })
        var seen: [DomainName] = []
        ns.forEachTargetName(of: .ns) { seen.append($0) }
        #expect(seen == targets)
        let mx = RecordDataBytes(records: [.mx(MXData(preference: 5, exchange: targets[1]))])
        seen = []
        mx.forEachTargetName(of: .mx) { seen.append($0) }
        #expect(seen == [targets[1]])
        let srv = RecordDataBytes(records: [.srv(SRVData(priority: 1, weight: 2, port: 53, target: targets[0]))])
        seen = []
        srv.forEachTargetName(of: .srv) { seen.append($0) }
        #expect(seen == [targets[0]])
        #expect(RecordDataBytes(records: [.cname(targets[0])]).cnameTarget == targets[0])
        // Types without a target name give none.
        seen = []
        RecordDataBytes(records: [.a(IPv4Address(1))]).forEachTargetName(of: .a) { seen.append($0) }
        #expect(seen.isEmpty)
    }
}
