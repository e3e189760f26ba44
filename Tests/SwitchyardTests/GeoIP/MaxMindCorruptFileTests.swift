import Routing
import DNSWire
@testable import GeoIP
import Testing

/// Damaged and hostile files end in a typed error naming the problem, never a crash.
extension GeoIPTests {
    @Suite struct MaxMindCorruptFileTests {
        @Test func fileCutBeforeTheMetadataHasNoMarker() throws {
            let bytes = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record24)
            #expect(throws: MMDBError.metadataMarkerMissing) {
                try MaxMindDatabase(bytes: Array(bytes.prefix(bytes.count / 2)))
            }
            #expect(throws: MMDBError.metadataMarkerMissing) { try MaxMindDatabase(bytes: []) }
        }

        @Test func fileCutInsideTheMetadataIsTruncated() throws {
            let bytes = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record24)
            #expect {
                try MaxMindDatabase(bytes: Array(bytes.dropLast(10)))
            } throws: { error in
                guard case .truncatedField = error as? MMDBError else { return false }
                return true
            }
        }

        @Test func fileMissingPartOfItsTreeIsRefused() throws {
            let bytes = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record24)
            let marker = try #require(lastIndex(of: MMDBBytes.marker, in: bytes))
            let damaged = Array(bytes.prefix(600)) + bytes[marker...]
            #expect(throws: MMDBError.searchTreeTooLarge(nodeCount: 377, treeBytes: 377 * 6, available: 600)) {
                try MaxMindDatabase(bytes: damaged)
            }
        }

        @Test func fileMissingPartOfItsDataSectionIsRefused() throws {
            let bytes = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record24)
            let marker = try #require(lastIndex(of: MMDBBytes.marker, in: bytes))
            let damaged = Array(bytes.prefix(377 * 6 + 16 + 40)) + bytes[marker...]
            #expect {
                try MaxMindDatabase(bytes: damaged)
            } throws: { error in
                guard case .treeRecordOutOfRange = error as? MMDBError else { return false }
                return true
            }
        }

        @Test(arguments: [0, 16, 20, 31, 33, 64, 128])
        func unsupportedRecordSizeIsNamed(recordSize: Int) {
            let file = MMDBBytes.database(data: MMDBBytes.string("x"),
                                          metadata: MMDBBytes.metadata(nodeCount: 1, recordSize: UInt16(recordSize)))
            #expect(throws: MMDBError.unsupportedRecordSize(recordSize)) { try MaxMindDatabase(bytes: file) }
        }

        /// Found by MMDBFuzzer (Fuzz/Regressions/MMDBFuzzer/negative-build-epoch.bin): an
        /// int32 -1 as `build_epoch` trapped converting to UInt64.
        @Test func negativeBuildEpochReadsAsUnknown() throws {
            var metadata = MMDBBytes.metadata(nodeCount: 1)
            metadata[MMDBBytes.marker.count] += 1
            metadata += MMDBBytes.string("build_epoch") + [0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]
            let database = try MaxMindDatabase(bytes: MMDBBytes.database(data: MMDBBytes.string("x"), metadata: metadata))
            #expect(database.metadata.buildEpoch == 0)
            #expect(database.metadata.nodeCount == 1)
        }

        @Test func metadataProblemsAreNamed() {
            let noNodeCount = MMDBBytes.database(data: [], metadata: MMDBBytes.metadata(nodeCount: 1, omitting: "node_count"))
            #expect(throws: MMDBError.invalidMetadata("missing key node_count")) { try MaxMindDatabase(bytes: noNodeCount) }
            let badVersion = MMDBBytes.database(data: [], metadata: MMDBBytes.metadata(nodeCount: 1, ipVersion: 5))
            #expect(throws: MMDBError.unsupportedIPVersion(5)) { try MaxMindDatabase(bytes: badVersion) }
            let major3 = MMDBBytes.database(data: [], metadata: MMDBBytes.metadata(nodeCount: 1, major: 3))
            #expect(throws: MMDBError.unsupportedFormatVersion(major: 3)) { try MaxMindDatabase(bytes: major3) }
            let notAMap = MMDBBytes.database(data: [], metadata: MMDBBytes.marker + MMDBBytes.string("hello"))
            #expect(throws: MMDBError.invalidMetadata("the metadata is not a map")) { try MaxMindDatabase(bytes: notAMap) }
            let huge = MMDBBytes.database(data: [], metadata: MMDBBytes.metadata(nodeCount: 4_000_000_000))
            #expect(throws: MMDBError.searchTreeTooLarge(nodeCount: 4_000_000_000, treeBytes: 24_000_000_000, available: 22)) {
                try MaxMindDatabase(bytes: huge)
            }
        }

        @Test func treeRecordPastTheDataSectionIsRefused() {
            let file = MMDBBytes.database(data: MMDBBytes.string("x"), leftOffset: 1000)
            #expect(throws: MMDBError.treeRecordOutOfRange(node: 0, record: 1 + 16 + 1000)) { try MaxMindDatabase(bytes: file) }
        }

        @Test func treeRecordInsideTheSeparatorIsRefused() {
            // Values between node_count and node_count + 16 would point before the data section.
            let file = MMDBBytes.database(data: MMDBBytes.string("x"), leftOffset: -5)
            #expect(throws: MMDBError.treeRecordOutOfRange(node: 0, record: 1 + 16 - 5)) { try MaxMindDatabase(bytes: file) }
        }

        @Test func pointerOutOfRangeIsATypedErrorOnEveryPath() throws {
            let data = MMDBBytes.map([("country", MMDBBytes.pointer(0x7FF))])
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data))
            let expected = MMDBError.pointerOutOfRange(offset: 1 * 6 + 16 + 9, pointer: 0x7FF)
            #expect(throws: expected) { try db.lookup(MMDBBytes.covered) }
            #expect(throws: expected) { try db.locationTable() }
            #expect(db.location(for: MMDBBytes.covered) == nil)
            #expect(db.search(MMDBBytes.covered) == MMDBSearchResult(prefixLength: 1, dataOffset: 0))
            #expect(throws: MMDBError.pointerOutOfRange(offset: 22, pointer: 99)) { try db.record(atDataOffset: 99) }
        }

        @Test func pointerToAPointerIsRefused() throws {
            // offset 0: map {"a": → 5}; offset 5: pointer → 0.
            let data = MMDBBytes.map([("a", MMDBBytes.pointer(5))]) + MMDBBytes.pointer(0)
            #expect(data.count == 7)
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data))
            #expect(throws: MMDBError.pointerToPointer(offset: 22 + 5)) { try db.lookup(MMDBBytes.covered) }
        }

        @Test func pointerLoopStopsAtTheDepthLimit() throws {
            // offset 0: map {"a": → 0}, a map that contains itself.
            let data = MMDBBytes.map([("a", MMDBBytes.pointer(0))])
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data))
            #expect {
                try db.lookup(MMDBBytes.covered)
            } throws: { error in
                guard case .nestingTooDeep = error as? MMDBError else { return false }
                return true
            }
        }

        @Test func pointerFanOutStopsAtTheValueBudget() throws {
            // Array n holds two pointers to array n-1: 2^30 values from a few hundred bytes.
            var data = MMDBBytes.array([MMDBBytes.string("leaf")])
            var previous = 0
            for _ in 0..<30 {
                let start = data.count
                data += MMDBBytes.array([MMDBBytes.pointer(previous), MMDBBytes.pointer(previous)])
                previous = start
            }
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data, leftOffset: previous))
            #expect {
                try db.lookup(MMDBBytes.covered)
            } throws: { error in
                guard case .recordTooLarge = error as? MMDBError else { return false }
                return true
            }
        }

        @Test(arguments: [
            ([0x00, 0x00] as [UInt8], MMDBError.invalidType(offset: 22, type: 7)),
            ([0x00, 0x09], MMDBError.invalidType(offset: 22, type: 16)),
            ([0x44, 0x61, 0xFF, 0xFE, 0x62], MMDBError.invalidString(offset: 22)),
            ([0x64, 0x00, 0x00, 0x00, 0x00], MMDBError.invalidSize(offset: 22, type: "double", size: 4)),
            ([0x03, 0x08, 0, 0, 0, 0, 0, 0, 0, 0], MMDBError.invalidSize(offset: 22, type: "float", size: 3)),
            ([0xA3, 0x01, 0x02, 0x03], MMDBError.invalidSize(offset: 22, type: "uint16", size: 3)),
            ([0x02, 0x07], MMDBError.invalidSize(offset: 22, type: "boolean", size: 2)),
            ([0x00, 0x05], MMDBError.unexpectedType(offset: 22, type: "data cache container")),
            ([0x00, 0x06], MMDBError.unexpectedType(offset: 22, type: "end marker")),
            ([0x5D], MMDBError.truncatedField(offset: 22)),
            ([0x45, 0x61], MMDBError.truncatedField(offset: 22)),
            ([0xE1, 0xA0, 0x41], MMDBError.invalidString(offset: 23)),
            ([0xFF, 0xFF, 0xFF, 0xFF], MMDBError.truncatedField(offset: 22)),
        ])
        func malformedFieldsAreNamed(data: [UInt8], expected: MMDBError) throws {
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data))
            #expect(throws: expected) { try db.lookup(MMDBBytes.covered) }
        }

        @Test func everyTruncationOfAFixtureFailsCleanly() throws {
            let bytes = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record28)
            // Every length through the metadata, and a sample of the rest.
            let lengths = Array(stride(from: 0, to: bytes.count - 400, by: 37)) + Array((bytes.count - 400)..<bytes.count)
            var refused = 0
            for length in lengths {
                do {
                    let db = try MaxMindDatabase(bytes: Array(bytes.prefix(length)))
                    _ = try db.locationTable()
                } catch {
                    refused += 1
                }
            }
            #expect(refused == lengths.count)
        }

        @Test func randomByteDamageNeverCrashes() throws {
            let original = try GeoIPFixtures.bytes(GeoIPFixtures.ipv6Record24)
            var random = SplitMix64(seed: 0x5EED)
            var opened = 0
            var refused = 0
            for _ in 0..<400 {
                var bytes = original
                for _ in 0..<4 {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                do {
                    let db = try MaxMindDatabase(bytes: bytes)
                    opened += 1
                    let table = try? db.locationTable()
                    for text in ["8.8.8.8", "198.51.100.1", "2001:db8:1:2::1", "81.2.69.130"] {
                        let address = IPAddress(text)!
                        _ = try? db.lookup(address)
                        _ = db.location(for: address)
                        _ = table?.locate(address)
                    }
                } catch {
                    refused += 1
                }
            }
            #expect(opened + refused == 400)
            #expect(refused > 0)
            #expect(opened > 0)
        }

        private func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
            var i = haystack.count - needle.count
            while i >= 0 {
                if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
                i -= 1
            }
            return nil
        }
    }
}
