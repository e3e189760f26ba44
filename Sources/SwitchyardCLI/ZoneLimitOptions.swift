import ArgumentParser
import ZoneFile

/// The zone-size bounds `serve` and `check` share (SPEC §5); defaults are `ZoneLimits.standard`.
struct ZoneLimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Most $INCLUDEs for one zone, every inclusion counted.", valueName: "n"))
    var maxIncludes: Int = ZoneLimits.standard.maximumIncludes

    @Option(name: .long, help: ArgumentHelp("Most record lines in one zone, includes counted.", valueName: "n"))
    var maxZoneRecords: Int = ZoneLimits.standard.maximumRecords

    @Option(name: .long, help: ArgumentHelp("Most bytes of zone-file text read for one zone, includes counted.", valueName: "bytes"))
    var maxZoneBytes: Int = ZoneLimits.standard.maximumBytes

    func validate() throws {
        guard maxIncludes >= 0 else { throw ValidationError("--max-includes must be 0 or more") }
        guard maxZoneRecords >= 1 else { throw ValidationError("--max-zone-records must be at least 1") }
        guard maxZoneBytes >= 1 else { throw ValidationError("--max-zone-bytes must be at least 1") }
    }

    var limits: ZoneLimits {
        ZoneLimits(maximumIncludes: maxIncludes, maximumRecords: maxZoneRecords, maximumBytes: maxZoneBytes)
    }
}
