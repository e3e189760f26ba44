import Foundation
import Testing

extension ExternalTool.Result {
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// The built `switchyard` command of this repository.
enum SwitchyardCheck {
    /// Runs `switchyard ARGUMENTS` in `directory`.
    static func run(_ arguments: [String], in directory: String) async throws -> ExternalTool.Result {
        let binary = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
        return try await ExternalTool.run(binary, arguments, in: URL(fileURLWithPath: directory), timeout: .seconds(120))
    }
}

/// `switchyard check` as users and CI run it: exit status, the exact diagnostic lines on
/// standard error, the records on standard output.
struct CheckCommandTests {
    let fixtures = GoldenZoneFileCase.root

    @Test func validFolderExitsZeroAndPrintsOnlyRecords() async throws {
        let result = try await SwitchyardCheck.run(["check", "--print", "01_rfc1035_plain"], in: fixtures)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let expected = try #require(GoldenZoneFileCase(name: "01_rfc1035_plain").expected)
        #expect(result.stdout == expected)
        #expect(result.stdout.contains("example.test.\t3600\tIN\tSOA\tns1.example.test. hostmaster.example.test. 2026010101 7200 900 1209600 300\n"))
    }

    @Test func invalidFolderExitsOneWithEveryErrorLine() async throws {
        let result = try await SwitchyardCheck.run(["check", "17_include_missing"], in: fixtures)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines == [
            "17_include_missing/example.test.zone:7:10: error: cannot open $INCLUDE file 'missing.inc'",
            "17_include_missing/example.test.zone:8:1: error: $INCLUDE needs a file name",
            "17_include_missing/example.test.zone:9:31: error: unexpected 'extra' after the $INCLUDE origin; $INCLUDE takes a file name and an optional origin",
            "17_include_missing/example.test.zone:10:17: error: bad $INCLUDE origin: empty label in name",
        ])
    }

    @Test func errorsInIncludedFilesNameTheIncludedFile() async throws {
        let result = try await SwitchyardCheck.run(["check", "15_include_cycle/"], in: fixtures)
        #expect(result.status == 1)
        #expect(result.stderrLines == [
            "15_include_cycle/b.inc:2:12: error: $INCLUDE of a.inc makes a cycle: "
                + "15_include_cycle/a.inc → 15_include_cycle/b.inc → 15_include_cycle/a.inc",
            "15_include_cycle/example.test.zone:7:10: error: $INCLUDE of example.test.zone makes a cycle: "
                + "15_include_cycle/example.test.zone → 15_include_cycle/example.test.zone",
        ])
    }

    @Test func warningsAloneDoNotFailTheCheck() async throws {
        let result = try await SwitchyardCheck.run(["check", "24_weighted_all_zero"], in: fixtures)
        #expect(result.status == 0)
        #expect(result.stderrLines == [
            "24_weighted_all_zero/example.test.zone:8:1: warning: every weighted set of www.example.test. A has weight 0: traffic is spread evenly",
        ])
        #expect(result.stdout == "")
    }

    @Test func aMissingPathIsAnError() async throws {
        let result = try await SwitchyardCheck.run(["check", "no-such-folder"], in: fixtures)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["no-such-folder: error: no such file or folder"])
    }

    @Test func repositoryZonesCheckCleanly() async throws {
        let result = try await SwitchyardCheck.run(["check", "--print", "zones/"], in: RepositoryLayout.root.path)
        #expect(result.status == 0, "check zones/ failed:\n\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("drill.test.\t") && $0.contains("\tIN\tSOA\t") })
    }

    /// The binary prints exactly what the golden files hold (the golden tests produce
    /// them through the library), and its exit status follows from their error lines.
    @Test(arguments: GoldenZoneFileCase.all)
    func binaryOutputMatchesGoldenFile(_ golden: GoldenZoneFileCase) async throws {
        let expected = try #require(golden.expected, "\(golden.name) has no expected.out")
        let result = try await SwitchyardCheck.run(["check", "--print", golden.name], in: fixtures)
        let prefix = golden.name + "/"
        let lines = (result.stderrLines + result.stdout.split(separator: "\n").map(String.init)).map { line in
            // File names, which also appear inside messages that cite another file.
            (line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line)
                .replacingOccurrences(of: " " + prefix, with: " ")
        }
        #expect(lines == expected.split(separator: "\n").map(String.init))
        #expect(result.status == (GoldenZoneFileCase.hasErrors(expected) ? 1 : 0))
    }
}

/// BIND's zone checker, when installed, as an independent reader of the plain RFC 1035
/// cases: both must list the same records.
enum NamedCheckzone {
    static let path = ExternalTool.find("named-checkzone")

    /// Sorted lines with runs of blank space collapsed and the owner name lowercased.
    static func normalized(_ lines: [Substring]) -> [String] {
        lines.map { line in
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if !fields.isEmpty { fields[0] = fields[0].lowercased() }
            return fields.joined(separator: " ")
        }
        .filter { !$0.isEmpty }
        .sorted()
    }
}

extension CheckCommandTests {
    @Suite(.enabled(if: NamedCheckzone.path != nil, "named-checkzone is missing (Debian package bind9-utils)"))
    struct BINDComparisonTests {
        /// Cases without Switchyard extensions, each with its zone file and origin. Left
        /// out on purpose: 10 (BIND types HINFO and writes hex in capitals) and 46 (BIND
        /// keeps an included file's $TTL).
        static let plainCases: [(String, String, String)] = [
            ("01_rfc1035_plain", "example.test.zone", "example.test."),
            ("02_origin", "example.test.zone", "example.test."),
            ("03_ttl_units", "example.test.zone", "example.test."),
            ("04_ttl_class_order", "example.test.zone", "example.test."),
            ("05_owner_carried_over", "example.test.zone", "example.test."),
            ("06_relative_names", "example.test.zone", "example.test."),
            ("07_parentheses", "example.test.zone", "example.test."),
            ("08_quoted_strings", "example.test.zone", "example.test."),
            ("09_escaped_labels", "example.test.zone", "example.test."),
            ("11_origin_from_file_name", "derived.test.zone", "derived.test."),
            ("12_no_ttl_soa_minimum", "example.test.zone", "example.test."),
            ("14_include", "example.test.zone", "example.test."),
            ("41_delegation", "example.test.zone", "example.test."),
            ("45_ttl_rules", "example.test.zone", "example.test."),
            ("50_no_ttl_rfc1035", "example.test.zone", "example.test."),
        ]

        @Test(arguments: plainCases)
        func switchyardListsTheSameRecordsAsBIND(_ name: String, _ file: String, _ origin: String) async throws {
            let folder = GoldenZoneFileCase.root + "/" + name
            let bind = try await ExternalTool.run(try #require(NamedCheckzone.path), ["-D", "-o", "-", origin, file],
                                            in: URL(fileURLWithPath: folder))
            #expect(bind.status == 0, "named-checkzone refused \(name):\n\(bind.stdout)\(bind.stderr)")
            let switchyard = try await SwitchyardCheck.run(["check", "--print", name], in: GoldenZoneFileCase.root)
            #expect(switchyard.status == 0)
            // BIND's stdout also carries "zone …: loaded serial" and "OK"; records have a class.
            let bindRecords = NamedCheckzone.normalized(bind.stdout.split(separator: "\n"))
                .filter { $0.split(separator: " ").dropFirst(2).first == "IN" }
            let ours = NamedCheckzone.normalized(switchyard.stdout.split(separator: "\n"))
            #expect(!ours.isEmpty)
            #expect(ours == bindRecords)
        }
    }
}
