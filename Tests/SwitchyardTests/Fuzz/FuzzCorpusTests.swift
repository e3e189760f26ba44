import Foundation
import FuzzEntries
import GeoIP
import NIOCore
import Testing

/// The fuzz targets' committed inputs, replayed through the same entry points the fuzzers
/// call, in the ordinary build: every seed and every input that once crashed a target
/// (Fuzz/Regressions/TARGET) must run to the end, so a fixed crash stays fixed.
@Suite struct FuzzCorpusTests {
    enum Target: String, CaseIterable, CustomTestStringConvertible {
        case query = "QueryFuzzer"
        case zoneFile = "ZoneFileFuzzer"
        case mmdb = "MMDBFuzzer"
        case adminRequest = "AdminRequestFuzzer"

        var entry: (UnsafeRawBufferPointer) -> Void {
            switch self {
            case .query: return QueryFuzzing.run
            case .zoneFile: return ZoneFileFuzzing.run
            case .mmdb: return MMDBFuzzing.run
            case .adminRequest: return AdminRequestFuzzing.run
            }
        }

        var testDescription: String { rawValue }
        var corpus: [String] { FuzzReplay.inputs(in: [RepositoryLayout.root.appendingPathComponent("Fuzz/Corpus/\(rawValue)").path]) }
        var regressions: [String] { FuzzReplay.inputs(in: [RepositoryLayout.root.appendingPathComponent("Fuzz/Regressions/\(rawValue)").path]) }
    }

    @Test(arguments: Target.allCases)
    func everySeedAndRegressionInputRunsThroughItsTarget(_ target: Target) throws {
        let inputs = target.corpus + target.regressions
        #expect(target.corpus.count >= 10, "the seed corpus of \(target) has only \(target.corpus.count) inputs")
        for file in inputs {
            try FuzzReplay.replay(file, through: target.entry)
        }
    }

    @Test func querySeedsReachBothTransportsThroughTheLowBitOfTheID() throws {
        // The same 512-octet EDNS query for a large TXT set: truncated over UDP (even ID),
        // whole over TCP (odd ID).
        let seed = try #require(Target.query.corpus.first { $0.hasSuffix("-edns-512-truncated.bin") })
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: seed)))
        let overUDP = try #require(bytes.withUnsafeBytes { QueryFuzzing.respond(to: $0) })
        bytes[1] |= 1
        let overTCP = try #require(bytes.withUnsafeBytes { QueryFuzzing.respond(to: $0) })
        let truncated: UInt16 = 0x0200
        #expect(overUDP.getInteger(at: 2, as: UInt16.self)! & truncated != 0)
        #expect(overTCP.getInteger(at: 2, as: UInt16.self)! & truncated == 0)
        #expect(overTCP.getInteger(at: 6, as: UInt16.self)! == 2, "both TXT records over TCP")
        #expect(overTCP.readableBytes > 512)
    }

    @Test func mmdbSeedsAreDatabasesThatOpenAndLocate() throws {
        let seeds = Target.mmdb.corpus.filter { $0.hasSuffix(".mmdb") }
        #expect(seeds.count >= 8)
        for seed in seeds {
            let database = try MaxMindDatabase(contentsOf: seed)
            let locations = try database.locationTable().locations
            if seed.hasSuffix("/no-networks.mmdb") {
                #expect(locations.isEmpty)
            } else {
                #expect(locations.count >= 1, "\(seed) locates nothing")
            }
        }
    }

    @Test func zoneFileSeedForEveryTypeLoadsWithoutErrors() throws {
        for name in ["minimal.zone", "every-type.zone", "routing.zone", "wildcard-delegation.zone", "drill.test.zone"] {
            let seed = try #require(Target.zoneFile.corpus.first { $0.hasSuffix("/" + name) })
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: seed)))
            let diagnostics = bytes.withUnsafeBytes { ZoneFileFuzzing.load($0).diagnostics }
            #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(name): \(diagnostics.map(\.description))")
        }
    }
}
