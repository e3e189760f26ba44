import DNSWire
import ZoneFile
import Zones

/// The zone-file fuzz target: the input is a zone file for `fuzz.test.`, read by the
/// parser, built by the loader and checked by the set validator, as `check` and a reload
/// would. `$INCLUDE` is served from memory so that no input can reach the file system.
public enum ZoneFileFuzzing {
    public static let origin = try! DomainName("fuzz.test.", origin: .root)

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        _ = load(bytes)
    }

    /// The zone the input makes, if it loads, and every diagnostic of the parser, the
    /// loader and the set validator.
    public static func load(_ bytes: UnsafeRawBufferPointer) -> (zone: Zone?, diagnostics: [Diagnostic]) {
        let input = Array(bytes)
        let parser = ZoneFileParser(source: InMemoryIncludes(input: input))
        let parsed = parser.parse(file: "fuzz.test.zone", bytes: input, fileOrigin: origin)
        let (zone, diagnostics) = ZoneLoader().load(parsed)
        precondition(zone == nil || !diagnostics.contains { $0.severity == .error }, "a zone with errors was loaded")
        guard let zone else { return (nil, diagnostics) }
        return (zone, diagnostics + ZoneSetValidator.validate([zone]).map(\.diagnostic))
    }
}

/// Included files from a fixed table: two small files (one nesting the other under its own
/// origin), the input itself (an include cycle), and every other name refused.
struct InMemoryIncludes: ZoneFileSource {
    let input: [UInt8]

    static let files: [String: String] = [
        "hosts.inc": """
            host1 300 IN A 192.0.2.1
            host1 IN AAAA 2001:db8::1
            mail IN MX 10 host1
            """,
        "sub.inc": """
            $ORIGIN sub
            $TTL 60
            @ IN TXT "nested" "include"
            $INCLUDE hosts.inc
            """,
    ]

    func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
        if path == "self.zone" {
            return IncludedFile(displayName: path, identity: "fuzz.test.zone", bytes: input)
        }
        guard let text = Self.files[path] else { throw IncludeError("no included file \(path)") }
        return IncludedFile(displayName: path, identity: path, bytes: Array(text.utf8))
    }
}
