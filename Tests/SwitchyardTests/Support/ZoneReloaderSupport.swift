import Logging
import ZoneFile
import Zones
import ZoneSources

extension ZoneReloader {
    /// The reloader `serve` builds for a zone folder, publishing into `store`.
    static func folder(_ path: String, store: ZoneStore, limits: ZoneLimits = .standard) -> ZoneReloader {
        ZoneReloader(catalog: ZoneCatalog(store: store), source: FolderZoneSource(paths: [path]), limits: limits,
                     logger: Logger(label: "reload", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
