import DNSWire
import Foundation
import NIOCore
import Testing

/// Messages built of compression-pointer chains (SPEC §5: "name decompression work per
/// message is bounded"): a query is answered or refused after work linear in its size,
/// and a full message decode gives up once its budget is spent.
@Suite struct CompressionBombTests {
    /// A message of `records` records in section `section` (0 answer, 2 additional), each
    /// owned by a name that follows its own pointer and then `hops` more down a chain kept
    /// in the first record's RDATA; the question is `a.` IN A at offset 12.
    static func bomb(records: Int, hops: Int, section: Int, opt: Bool = false, limit: Int = 65_535) -> [UInt8] {
        var bytes: [UInt8] = [0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
        bytes += [0x01, 0x61, 0x00, 0x00, 0x01, 0x00, 0x01] // a. IN A, name at offset 12
        // The chain record: owner root, type 0xFF00, RDATA = pointers each to the one before.
        bytes += [0x00, 0xFF, 0x00, 0x00, 0x01, 0, 0, 0, 0]
        let chainLength = hops * 2
        bytes += [UInt8(chainLength >> 8), UInt8(chainLength & 0xFF)]
        let chainStart = bytes.count
        for k in 0..<hops {
            let target = k == 0 ? 12 : chainStart + 2 * (k - 1)
            bytes += [0xC0 | UInt8(target >> 8), UInt8(target & 0xFF)]
        }
        let last = chainStart + 2 * (hops - 1)
        var count = 1
        let reserve = opt ? 11 : 0
        while count < records && bytes.count + 12 + reserve <= limit {
            bytes += [0xC0 | UInt8(last >> 8), UInt8(last & 0xFF), 0xFF, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
            count += 1
        }
        if opt {
            bytes += [0x00, 0x00, 0x29, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
            count += 1
        }
        let countOffset = 6 + 2 * section
        bytes[countOffset] = UInt8(count >> 8)
        bytes[countOffset + 1] = UInt8(count & 0xFF)
        return bytes
    }

    @Test func aNameFollowsAtMost127Pointers() {
        let reader = { (hops: Int) -> Result<Message, DNSWireError> in
            Result { () throws(DNSWireError) -> Message in
                try Message(decoding: ByteBuffer(bytes: CompressionBombTests.bomb(records: 2, hops: hops, section: 2)))
            }
        }
        #expect(throws: Never.self) { try reader(WireReader.maximumPointersPerName - 1).get() }
        #expect(throws: DNSWireError.compressionLoop) { try reader(WireReader.maximumPointersPerName).get() }
    }

    @Test func aWholeMessageOfPointerChainsRunsOutOfBudget() {
        // 5,000 names of 120 pointers each would be 600,000 steps; the budget stops it.
        let bytes = CompressionBombTests.bomb(records: 5_000, hops: 120, section: 2)
        #expect(bytes.count > 60_000)
        #expect(throws: DNSWireError.decompressionBudgetExceeded) {
            try Message(decoding: ByteBuffer(bytes: bytes))
        }
        // The same names, few enough to fit the budget, decode.
        let small = CompressionBombTests.bomb(records: 100, hops: 120, section: 2)
        #expect(throws: Never.self) { try Message(decoding: ByteBuffer(bytes: small)) }
    }

    @Test func aQueryWithBombsInTheAdditionalSectionNeverFollowsThem() throws {
        let bytes = CompressionBombTests.bomb(records: 5_000, hops: 120, section: 2, opt: true)
        #expect(bytes.count > 60_000)
        // Following every chain is more work than a message may take (it cost 75 ms per
        // query before): the full decoder gives up, the query decoder never starts it.
        #expect(throws: DNSWireError.decompressionBudgetExceeded) { try Message(decoding: ByteBuffer(bytes: bytes)) }
        let query = try Query(decoding: ByteBuffer(bytes: bytes))
        #expect(query.question.name == "a.")
        #expect(query.edns?.udpPayloadSize == 1232)
    }

    @Test func aQueryWithRecordsInTheAnswerSectionIsFormErrAtOnce() {
        let bytes = CompressionBombTests.bomb(records: 5_000, hops: 120, section: 0)
        #expect(throws: Query.Rejection.reply(id: 0x1234, flags: 0, rcode: .formErr)) {
            try Query(decoding: ByteBuffer(bytes: bytes))
        }
    }
}
