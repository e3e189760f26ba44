import DNSWire
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
