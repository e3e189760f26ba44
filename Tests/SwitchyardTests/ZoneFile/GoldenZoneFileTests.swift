import Foundation
import Testing
import ZoneFile
import Zones
import ZoneSources

/// One case folder under `Tests/Fixtures/golden/zonefile/`: the zone files `check` loads
/// from it, and `expected.out`, what `switchyard check --print` prints for it (see
/// `Tests/Fixtures/golden/README.md`).
struct GoldenZoneFileCase: Sendable, CustomTestStringConvertible {
    /// `Tests/Fixtures/golden/zonefile`, found from the test sources' own path.
    static let root: String = RepositoryLayout.fixture("golden/zonefile").path

    /// Every case folder, in name order.
    static let all: [GoldenZoneFileCase] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.sorted().compactMap { name in
            var isDirectory: ObjCBool = false
            guard !name.hasPrefix("."), FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory),
                  isDirectory.boolValue else { return nil }
            return GoldenZoneFileCase(name: name)
        }
    }()

    /// When set to 1, the tests write `expected.out` instead of comparing with it.
    static let updating = ProcessInfo.processInfo.environment["SWITCHYARD_UPDATE_GOLDEN"] == "1"

    let name: String

    var folder: String { GoldenZoneFileCase.root + "/" + name }
    var expectedPath: String { folder + "/expected.out" }
    var testDescription: String { name }

    /// `expected.out` as stored, or nil when the case has none yet.
    var expected: String? {
        FileManager.default.contents(atPath: expectedPath).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `check` would exit 1 for this case: some diagnostic is an error.
    static func hasErrors(_ output: String) -> Bool {
        output.split(separator: "\n").contains { $0.contains(": error: ") && !$0.contains("\tIN\t") }
    }

    /// What `switchyard check --print FOLDER` prints (diagnostics, then records), produced
    /// through the same loader and in the same order, with the folder prefix taken out of
    /// file names so the text does not depend on where the repository lives.
    func checkOutput() throws -> String {
        let reports = try ZoneSetLoader().load(from: FolderZoneSource(paths: [folder])).reports
        var lines: [String] = []
        for report in reports {
            lines += report.diagnostics.map(\.description)
        }
        for report in reports.sorted(by: { ($0.origin?.description ?? "") < ($1.origin?.description ?? "") }) {
            guard let zone = report.zone else { continue }
            lines += zone.canonicalLines()
        }
        let text = lines.map { $0 + "\n" }.joined()
        return text.replacingOccurrences(of: folder + "/", with: "")
    }
}

/// Golden-file tests for the zone-file parser and the zone validators, in the manner of
/// Knot's `tests/libzscanner/data`: each case folder's output must match its
/// `expected.out` exactly. `SWITCHYARD_UPDATE_GOLDEN=1` rewrites the expected files for
/// review instead.
struct GoldenZoneFileTests {
    @Test(arguments: GoldenZoneFileCase.all)
    func checkOutputMatchesExpectedFile(_ golden: GoldenZoneFileCase) throws {
        let actual = try golden.checkOutput()
        if GoldenZoneFileCase.updating {
            try Data(actual.utf8).write(to: URL(fileURLWithPath: golden.expectedPath))
        }
        let expected = try #require(golden.expected, "\(golden.name) has no expected.out; run once with SWITCHYARD_UPDATE_GOLDEN=1 and review it")
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(actualLines == expectedLines, "\(golden.name): output differs from expected.out (SWITCHYARD_UPDATE_GOLDEN=1 rewrites it)")
    }

    @Test func everyCaseFolderIsNumberedOnceAndHasZoneFiles() throws {
        let cases = GoldenZoneFileCase.all
        #expect(cases.count >= 35, "found only \(cases.count) cases under \(GoldenZoneFileCase.root)")
        var numbers: Set<Substring> = []
        for golden in cases {
            let parts = golden.name.split(separator: "_", maxSplits: 1)
            #expect(parts.count == 2 && parts[0].count == 2 && parts[0].allSatisfy(\.isNumber),
                    "case folder \(golden.name) is not named NN_topic")
            #expect(numbers.insert(parts[0]).inserted, "case number \(parts[0]) is used twice")
            let files = try FileManager.default.contentsOfDirectory(atPath: golden.folder)
            #expect(files.contains { $0.hasSuffix(".zone") }, "\(golden.name) has no *.zone file")
        }
    }

    /// The corpus shows both outcomes: cases that load cleanly and cases that are refused.
    @Test func casesIncludeCleanLoadsWarningsAndErrors() {
        let outputs = GoldenZoneFileCase.all.compactMap(\.expected)
        #expect(outputs.contains { !GoldenZoneFileCase.hasErrors($0) && !$0.contains(": warning: ") })
        #expect(outputs.contains { !GoldenZoneFileCase.hasErrors($0) && $0.contains(": warning: ") })
        #expect(outputs.filter(GoldenZoneFileCase.hasErrors).count >= 20)
    }
}
