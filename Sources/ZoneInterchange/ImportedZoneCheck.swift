import DNSWire
import ZoneFile
import Zones

/// Loads an imported zone file the way `switchyard check` does, so an importer never
/// writes a file that would not load: each error comes back with the line it is about.
enum ImportedZoneCheck {
    static func errors(in document: ZoneFileDocument) -> [String] {
        let text = document.render()
        let name = document.origin.isRoot ? "root.zone" : "\(document.origin.presentation)zone"
        let file = ZoneSourceFile(path: name, displayName: name, identity: name,
                                  contents: .bytes(Array(text.utf8)), includes: NoIncludes())
        let load = ZoneSetLoader().load(ZoneSnapshot(version: nil, files: [file]))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return load.reports.flatMap(\.errors).map { diagnostic in
            let line = diagnostic.location.line
            let shown = (1...lines.count).contains(line) ? " (line \(line): \(lines[line - 1]))" : ""
            return diagnostic.message + shown
        }
    }
}
