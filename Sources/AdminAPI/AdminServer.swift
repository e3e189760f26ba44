import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The admin HTTP API as a service: Hummingbird on the `--admin` address, refusing a
/// non-loopback address without a token (SPEC §4).
public enum AdminServer {
    public struct ConfigurationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks the address rule before anything is bound.
    public static func validate(host: String, token: String?) throws(ConfigurationError) {
        let loopback = host == "::1" || host == "localhost" || host.hasPrefix("127.")
        if !loopback && token == nil {
            throw ConfigurationError(description: "refusing to serve the admin API on \(host), which is not a loopback address, without --admin-token-file")
        }
    }

    public static func application(backend: AdminBackend, host: String, port: Int, token: String?, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: AdminRoutes.router(backend: backend, token: token),
                    configuration: .init(address: .hostname(host, port: port), serverName: "switchyard"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
    }
}
