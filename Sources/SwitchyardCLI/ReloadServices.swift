import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import UnixSignals
import Zones
import ZoneSources

/// Reloads the zones on SIGHUP. The signal sequence is made before the DNS sockets are
/// bound, so a SIGHUP that comes as soon as the server answers is queued, never fatal.
struct SignalReloader: Service {
    let signals: UnixSignalsSequence
    let reload: @Sendable () async -> Void
    let logger: Logger

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
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
            result[file] = ZoneFolderWatcher.stamp(file)
        }
        return result
    }
}

/// `--watch` with `--git`: looks at the commit REF names twice a second and reloads when it
/// moves, so a new commit is served well within two seconds. The work tree is never
/// looked at: editing files there changes nothing.
struct GitRefWatcher: Service {
    let source: GitZoneSource
    /// The commit the first load read: a ref that moved since is reloaded at once.
    let loaded: String?
    let reload: @Sendable () async -> Void
    let logger: Logger
    var period: Duration = .milliseconds(500)

    func run() async throws {
        var last = loaded
        var failing = false
        while !Task.isCancelledOrShuttingDown {
            let looked = await commit()
            switch looked {
            case .failure(let error):
                // Said once when it starts failing, not twice a second; the zones keep serving.
                if !failing { logger.warning("--watch: \(error); the zones served stay as they are") }
                failing = true
            case .success(let now):
                failing = false
                if now != last {
                    logger.info("\(source.ref) moved to commit \(now): reloading")
                    last = now
                    await reload()
                    continue
                }
            }
            try? await Task.sleep(for: period)
        }
    }

    /// The commit REF names now, asked on a thread of its own so a slow git holds no
    /// thread of the pool.
    func commit() async -> Result<String, ZoneSourceError> {
        let source = self.source
        return await offPool { () throws(ZoneSourceError) in try source.resolve(nil) }
    }
}

extension ZoneFolderWatcher {
    /// Inode, size and modification time to the nanosecond: an edit in place and a rename
    /// over the file both change it, even twice within a second with the same size.
    static func stamp(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "missing" }
        return "\(info.st_ino)/\(info.st_size)/\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)/\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
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
