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

    /// The admin application: routes behind the site policy (its port set once bound),
    /// served by HTTP/1 with `limits` on connections and request time.
    public static func application(backend: AdminBackend, host: String, port: Int, token: String?, logger: Logger,
                                   limits: AdminConnectionLimits = AdminConnectionLimits(),
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let site = AdminSitePolicy(listenHost: host, port: port)
        return Application(router: AdminRoutes.router(backend: backend, token: token, site: site),
                           server: AdminHTTPChannel.builder(limits),
                           configuration: .init(address: .hostname(host, port: port), serverName: "switchyard"),
                           onServerRunning: { channel in
                               let bound = channel.localAddress?.port ?? port
                               site.setPort(bound)
                               await onRunning(bound)
                           },
                           logger: logger)
    }
}
