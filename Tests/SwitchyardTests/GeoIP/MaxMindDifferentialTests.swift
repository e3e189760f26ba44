import DNSWire
import Foundation
import GeoIP
import Testing

/// Runs MaxMind's own Python reader (the PyPI package `maxminddb`) on the committed
/// fixtures and checks that this reader finds the same networks and decodes the same
/// records, value for value.
enum OfficialReader {
    /// Prints one JSON object per address: the prefix length and the record, with every
    /// value tagged so no JSON number formatting can blur a difference (integers as hex,
    /// floats as hex floats, bytes as hex).
    static let script = #"""
    import json, sys
    import maxminddb

    def tag(v):
        if isinstance(v, bool): return {"bool": v}
        if isinstance(v, int): return {"int": hex(v)}
        if isinstance(v, float): return {"float": v.hex()}
        if isinstance(v, str): return {"string": v}
        if isinstance(v, (bytes, bytearray)): return {"bytes": bytes(v).hex()}
        if isinstance(v, list): return {"array": [tag(x) for x in v]}
        if isinstance(v, dict): return {"map": {k: tag(x) for k, x in v.items()}}
        raise TypeError(type(v))

    reader = maxminddb.open_database(sys.argv[1], maxminddb.MODE_MEMORY)
    for address in sys.argv[2:]:
        record, prefix_len = reader.get_with_prefix_len(address)
        print(json.dumps({"address": address, "prefix_len": prefix_len,
                          "record": None if record is None else tag(record)}))
    """#

    static let isAvailable: Bool = run(["-c", "import maxminddb"]) != nil

    /// Runs `python3 ARGS` and returns its standard output, or nil if it failed.
    static func run(_ arguments: [String]) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }

    /// Our value in the script's tagged form, for comparison with its output.
    static func tagged(_ value: MMDBValue) -> Any {
        switch value {
        case .bool(let b): return ["bool": b]
        case .uint16(let v): return ["int": hex(UInt64(v))]
        case .uint32(let v): return ["int": hex(UInt64(v))]
        case .uint64(let v): return ["int": hex(v)]
        case .int32(let v): return ["int": v < 0 ? "-" + hex(v.magnitude.asUInt64) : hex(UInt64(v))]
        case .uint128(let high, let low):
            if high == 0 { return ["int": hex(low)] }
            let lowDigits = String(low, radix: 16)
            return ["int": hex(high) + String(repeating: "0", count: 16 - lowDigits.count) + lowDigits]
        case .double(let d): return ["float": d]
        case .float(let f): return ["float": Double(f)]
        case .string(let s): return ["string": s]
        case .bytes(let b): return ["bytes": b.map { String(format: "%02x", $0) }.joined()]
        case .array(let a): return ["array": a.map(tagged)]
        case .map(let m): return ["map": m.mapValues(tagged)]
        }
    }

    private static func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// Compares our tagged value with the script's, decoding its hex floats exactly.
    static func same(_ ours: Any, _ theirs: Any) -> Bool {
        switch (ours, theirs) {
        case let (o as [String: Any], t as [String: Any]):
            guard o.count == t.count else { return false }
            for (key, value) in o {
                guard let other = t[key] else { return false }
                if key == "float", let d = value as? Double, let text = other as? String {
                    guard Double(text) == d else { return false }
                } else if !same(value, other) {
                    return false
                }
            }
            return true
        case let (o as [Any], t as [Any]):
            return o.count == t.count && zip(o, t).allSatisfy { same($0, $1) }
        case let (o as String, t as String): return o == t
        case let (o as Bool, t as Bool): return o == t
        default: return false
        }
    }
}

private extension UInt32 {
    var asUInt64: UInt64 { UInt64(self) }
}

extension GeoIPTests {
    @Suite struct MaxMindDifferentialTests {
        static let addresses: [String] = {
            var all = expectedIPv4Locations.map(\.address) + expectedIPv4Misses.map(\.address)
            all += ["198.51.100.7", "8.8.8.10", "8.8.9.1", "12.34.56.78", "24.0.0.0", "203.0.113.1", "60.1.2.3",
                    "103.1.1.1", "175.200.1.1", "196.255.255.255", "200.0.0.1", "0.0.0.0", "127.0.0.1"]
            return all
        }()

        static let ipv6Addresses: [String] = expectedIPv6Locations.map(\.address) + expectedIPv6Misses.map(\.address)
            + ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2a00:1450:4001::1", "2c0f:fb50::1", "::", "::1", "2001:db7::1"]

        @Test(
            .enabled(if: OfficialReader.isAvailable,
                     "needs python3 with the PyPI package maxminddb (pip install maxminddb)"),
            arguments: GeoIPFixtures.all)
        func officialReaderAgreesOnEveryAddress(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let addresses = Self.addresses + (db.metadata.ipVersion == 6 ? Self.ipv6Addresses : [])
            let output = try #require(OfficialReader.run(["-c", OfficialReader.script, path] + addresses))
            let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
            try #require(lines.count == addresses.count)
            for line in lines {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let text = try #require(json["address"] as? String)
                let address = try #require(IPAddress(text))
                let prefixLength = try #require(json["prefix_len"] as? Int)
                let search = db.search(address)
                #expect(search.prefixLength == prefixLength, "\(text)")
                let ours = try db.lookup(address)
                if let theirs = json["record"] as? [String: Any] {
                    let record = try #require(ours?.record, "\(text): official reader found a record, we did not")
                    #expect(OfficialReader.same(OfficialReader.tagged(record), theirs), "\(text): records differ")
                } else {
                    #expect(ours == nil, "\(text): we found a record, the official reader did not")
                }
            }
        }
    }
}
