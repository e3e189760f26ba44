import DNSWire
@testable import GeoIP
import Testing

/// Paths of the committed MaxMind DB fixtures (see Tests/Fixtures/mmdb/README.md).
enum GeoIPFixtures {
    /// Tests/Fixtures/mmdb, found from this file's path so tests run from any directory.
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        // …/Tests/SwitchyardTests/GeoIP/GeoIPFixtures.swift → …/Tests
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Fixtures/mmdb"
    }()

    static let ipv6Record24 = directory + "/city-ipv6-24.mmdb"
    static let ipv6Record28 = directory + "/city-ipv6-28.mmdb"
    static let ipv4Record32 = directory + "/city-ipv4-32.mmdb"
    static let all = [ipv6Record24, ipv6Record28, ipv4Record32]

    static func bytes(_ path: String) throws -> [UInt8] {
        try FileBytes.read(path)
    }
}

/// Spells MaxMind DB data fields by hand, so tests can build files a writer would never
/// produce: bad pointers, loops, wrong sizes.
enum MMDBBytes {
    /// A control byte (plus extended-type and size bytes) for `type` and `size`.
    static func header(type: Int, size: Int) -> [UInt8] {
        var sizeBits: Int
        var extra: [UInt8] = []
        switch size {
        case ..<29: sizeBits = size
        case ..<285: sizeBits = 29; extra = [UInt8(size - 29)]
        case ..<65_821:
            sizeBits = 30
            let v = size - 285
            extra = [UInt8(v >> 8), UInt8(v & 0xFF)]
        default:
            sizeBits = 31
            let v = size - 65_821
            extra = [UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        }
        if type <= 7 { return [UInt8(type << 5 | sizeBits)] + extra }
        return [UInt8(sizeBits), UInt8(type - 7)] + extra
    }

    static func string(_ s: String) -> [UInt8] { header(type: 2, size: s.utf8.count) + Array(s.utf8) }

    static func unsigned(type: Int, _ value: UInt64) -> [UInt8] {
        var payload: [UInt8] = []
        var v = value
        while v > 0 { payload.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        return header(type: type, size: payload.count) + payload
    }

    static func uint16(_ v: UInt16) -> [UInt8] { unsigned(type: 5, UInt64(v)) }
    static func uint32(_ v: UInt32) -> [UInt8] { unsigned(type: 6, UInt64(v)) }

    static func double(_ d: Double) -> [UInt8] {
        let bits = d.bitPattern
        return [0x68] + (0..<8).map { UInt8(truncatingIfNeeded: bits >> UInt64(56 - 8 * $0)) }
    }

    static func map(_ pairs: [(String, [UInt8])]) -> [UInt8] {
        header(type: 7, size: pairs.count) + pairs.flatMap { string($0.0) + $0.1 }
    }

    static func array(_ items: [[UInt8]]) -> [UInt8] {
        header(type: 11, size: items.count) + items.flatMap { $0 }
    }

    /// A pointer in its smallest form (the format's SS size bits and biases).
    static func pointer(_ target: Int) -> [UInt8] {
        switch target {
        case ..<2048: return [UInt8(0x20 | (target >> 8)), UInt8(target & 0xFF)]
        case ..<526_336:
            let v = target - 2048
            return [UInt8(0x28 | (v >> 16)), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        case ..<134_744_064:
            let v = target - 526_336
            return [UInt8(0x30 | (v >> 24)), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        default:
            return [0x38, UInt8(target >> 24), UInt8((target >> 16) & 0xFF), UInt8((target >> 8) & 0xFF), UInt8(target & 0xFF)]
        }
    }

    static let marker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)

    static func metadata(
        nodeCount: UInt32, recordSize: UInt16 = 24, ipVersion: UInt16 = 4, major: UInt16 = 2,
        omitting omitted: String? = nil
    ) -> [UInt8] {
        let pairs: [(String, [UInt8])] = [
            ("node_count", uint32(nodeCount)),
            ("record_size", uint16(recordSize)),
            ("ip_version", uint16(ipVersion)),
            ("binary_format_major_version", uint16(major)),
            ("binary_format_minor_version", uint16(0)),
            ("database_type", string("Handmade")),
        ].filter { $0.0 != omitted }
        return marker + map(pairs)
    }

    /// A one-node IPv4 database with 24-bit records: addresses with a leading 0 bit
    /// (0.0.0.0/1) map to the record at data offset `leftOffset`; the rest find nothing.
    static func database(data: [UInt8], leftOffset: Int = 0, metadata: [UInt8]? = nil) -> [UInt8] {
        let nodeCount = 1
        let left = nodeCount + 16 + leftOffset
        let right = nodeCount
        let node: [UInt8] = [
            UInt8(left >> 16), UInt8((left >> 8) & 0xFF), UInt8(left & 0xFF),
            UInt8(right >> 16), UInt8((right >> 8) & 0xFF), UInt8(right & 0xFF),
        ]
        return node + [UInt8](repeating: 0, count: 16) + data + (metadata ?? Self.metadata(nodeCount: 1))
    }

    /// An address the one-node database maps to its record.
    static let covered = IPAddress("10.0.0.1")!
}

/// Groups the GeoIP module's suites, so `swift test --filter GeoIP` selects them all.
@Suite struct GeoIPTests {}
