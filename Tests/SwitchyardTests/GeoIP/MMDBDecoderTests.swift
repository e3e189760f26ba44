import DNSWire
import GeoIP
import Testing

/// Encodings a small writer never produces: long size forms, every pointer width,
/// short signed integers, inline (unpointed) location fields.
extension GeoIPTests {
    @Suite struct MMDBDecoderTests {
        @Test func everyPointerWidthAndSizeFormDecodes() throws {
            var data = MMDBBytes.string("zero")                                 // 0
            let small = data.count
            data += MMDBBytes.header(type: 4, size: 3000) + [UInt8](repeating: 7, count: 3000)  // size form 30
            let a = data.count                                                  // 3008: 19-bit pointers
            data += MMDBBytes.string("A")
            let big = data.count
            data += MMDBBytes.header(type: 4, size: 600_000) + [UInt8](repeating: 9, count: 600_000)  // size form 31
            let b = data.count                                                  // past 526,336: 27-bit pointers
            data += MMDBBytes.string("B")
            #expect(a >= 2048 && a < 526_336 && b >= 526_336)
            // A 32-bit pointer ignores the three value bits of its control byte: set them all.
            let wide: [UInt8] = [0x3F, UInt8(a >> 24), UInt8((a >> 16) & 0xFF), UInt8((a >> 8) & 0xFF), UInt8(a & 0xFF)]
            let record = data.count
            data += MMDBBytes.map([
                ("zero", MMDBBytes.pointer(0)),
                ("a", MMDBBytes.pointer(a)),
                ("b", MMDBBytes.pointer(b)),
                ("wide", wide),
                ("small", MMDBBytes.pointer(small)),
                ("big", MMDBBytes.pointer(big)),
                ("empty", MMDBBytes.array([])),
                ("negative", [0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFE]),
                ("short", [0x02, 0x01, 0xFF, 0xFE]),
                ("u128", [0x09, 0x03, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]),
                ("zeroLength", [0xC0]),
            ])
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: data, leftOffset: record))
            let found = try #require(try db.lookup(MMDBBytes.covered))
            #expect(found.prefixLength == 1)
            #expect(found.record == .map([
                "zero": .string("zero"),
                "a": .string("A"),
                "b": .string("B"),
                "wide": .string("A"),
                "small": .bytes([UInt8](repeating: 7, count: 3000)),
                "big": .bytes([UInt8](repeating: 9, count: 600_000)),
                "empty": .array([]),
                "negative": .int32(-2),
                // Fewer than four bytes are zero-extended: not a negative number.
                "short": .int32(65534),
                "u128": .uint128(high: 1, low: 0x0001_0203_0405_0607),
                "zeroLength": .uint32(0),
            ]))
        }

        @Test func inlineLocationFieldsAreExtracted() throws {
            let record = MMDBBytes.map([
                ("city", MMDBBytes.map([("names", MMDBBytes.map([("en", MMDBBytes.string("Lyon"))]))])),
                ("continent", MMDBBytes.map([("code", MMDBBytes.string("EU"))])),
                ("country", MMDBBytes.map([("iso_code", MMDBBytes.string("FR")), ("names", MMDBBytes.map([]))])),
                ("subdivisions", MMDBBytes.array([MMDBBytes.map([("iso_code", MMDBBytes.string("ARA"))])])),
                // A float latitude, as some writers store coordinates.
                ("location", MMDBBytes.map([
                    ("latitude", [0x04, 0x08] + Array(Float(45.75).bitPattern.bigEndianBytes)),
                    ("longitude", MMDBBytes.double(4.85)),
                ])),
            ])
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: record))
            #expect(db.location(for: MMDBBytes.covered) == GeoLocation(
                continent: "EU", country: "FR", subdivision: "ARA", latitude: 45.75, longitude: 4.85, prefixLength: 1))
        }

        @Test func fieldsOfTheWrongShapeCountAsAbsent() throws {
            let record = MMDBBytes.map([
                ("continent", MMDBBytes.map([("code", MMDBBytes.string("XX"))])),  // not a Route 53 code
                ("country", MMDBBytes.string("FR")),                                 // not a map
                ("subdivisions", MMDBBytes.array([MMDBBytes.map([("names", MMDBBytes.map([]))])])),  // no iso_code
                ("location", MMDBBytes.map([("latitude", MMDBBytes.string("north"))])),
            ])
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: record))
            #expect(db.location(for: MMDBBytes.covered) == GeoLocation(prefixLength: 1))
        }

        @Test func aRecordThatIsNotAMapHasAnEmptyLocation() throws {
            let db = try MaxMindDatabase(bytes: MMDBBytes.database(data: MMDBBytes.string("AS64500")))
            let location = try #require(db.location(for: MMDBBytes.covered))
            #expect(location.isEmpty)
            #expect(try db.lookup(MMDBBytes.covered)?.record == .string("AS64500"))
        }
    }
}

private extension UInt32 {
    var bigEndianBytes: [UInt8] {
        [UInt8(self >> 24), UInt8((self >> 16) & 0xFF), UInt8((self >> 8) & 0xFF), UInt8(self & 0xFF)]
    }
}
