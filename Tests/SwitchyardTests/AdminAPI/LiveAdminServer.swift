import AdminAPI
import Foundation
import Hummingbird
import Logging

/// The real admin HTTP server (routes, site policy, connection limits) on 127.0.0.1 port
/// 0 over an `AdminRoutesTests` fixture, for attacks that must go through real sockets.
struct LiveAdminServer {
    let fixture: AdminRoutesTests.Fixture
    let port: UInt16
    let server: RunningService

    static func start(limits: AdminConnectionLimits = AdminConnectionLimits(), token: String? = nil) async throws -> LiveAdminServer {
        let fixture = try await AdminRoutesTests.fixture()
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = AdminServer.application(backend: fixture.backend, host: "127.0.0.1", port: 0, token: token,
                                          logger: Logger(label: "admin"), limits: limits,
                                          onRunning: { continuation.yield($0) })
        let server = RunningService.start(app, label: "admin")
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return LiveAdminServer(fixture: fixture, port: UInt16(port), server: server)
    }

    var host: String { "127.0.0.1:\(port)" }

    func stop() async throws {
        await server.stop()
        try await fixture.close()
    }
}
