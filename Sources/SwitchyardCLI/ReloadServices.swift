import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Zones

/// Reloads the zones on SIGHUP.
struct SignalReloader: Service {
    let reload: @Sendable () async -> Void
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            logger.info("SIGHUP: reloading zones")
            await reload()
        }
    }
}

/// `--watch`: reloads when any zone file or included file changes (checked twice a second,
/// so a change is picked up well within two seconds).
struct ZoneFolderWatcher: Service {
    let catalog: ZoneCatalog
    let paths: [String]
    let reload: @Sendable () async -> Void
    let logger: Logger
    var period: Duration = .milliseconds(500)

    func run() async throws {
        var last = await fingerprint()
        while !Task.isCancelledOrShuttingDown {
            try? await Task.sleep(for: period)
            let now = await fingerprint()
            if now != last {
                logger.info("zone files changed: reloading")
                await reload()
                last = await fingerprint()
            }
        }
    }

    /// Modification time and size of every watched file, and the folder listings (so a new
    /// or removed *.zone file counts as a change).
    func fingerprint() async -> [String: String] {
        var result: [String: String] = [:]
        let fm = FileManager.default
        var files = await catalog.watchedFiles
        for path in paths {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".zone") }.sorted()
                result["dir:" + path] = names.joined(separator: "|")
                files += names.map { path + "/" + $0 }
            }
        }
        for file in Set(files) {
            let attributes = try? fm.attributesOfItem(atPath: file)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            result[file] = "\(modified)/\(size)"
        }
        return result
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

/// Keeps the health monitor probing while the server runs, and stops it on shutdown.
struct HealthMonitorService: Service {
    let start: @Sendable () async -> Void
    let stop: @Sendable () async -> Void

    func run() async throws {
        await start()
        try? await gracefulShutdown()
        await stop()
    }
}
