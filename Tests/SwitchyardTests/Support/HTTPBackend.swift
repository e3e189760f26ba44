import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// A real HTTP endpoint on a loopback address for health-check tests: its status, body and
/// whether it hangs can be changed while it runs; `stop` closes its socket.
final class HTTPBackend: Sendable {
    struct Behaviour: Sendable {
        var status = 200
        var body = "OK"
        var hang = false
    }

    let behaviour: NIOLockedValueBox<Behaviour>
    let requests: NIOLockedValueBox<Int>
    let host: String
    let port: Int
    let server: RunningService

    private init(host: String, port: Int, server: RunningService, behaviour: NIOLockedValueBox<Behaviour>, requests: NIOLockedValueBox<Int>) {
        self.host = host
        self.port = port
        self.server = server
        self.behaviour = behaviour
        self.requests = requests
    }

    /// Starts on `host` (any 127.0.0.0/8 address) and returns once it accepts connections.
    static func start(host: String = "127.0.0.1", port: Int = 0, behaviour: Behaviour = Behaviour()) async throws -> HTTPBackend {
        let box = NIOLockedValueBox(behaviour)
        let counter = NIOLockedValueBox(0)
        let router = Router()
        router.get("/health") { _, _ -> Response in
            counter.withLockedValue { $0 += 1 }
            let current = box.withLockedValue { $0 }
            if current.hang { try await Task.sleep(for: .seconds(60)) }
            return Response(status: .init(code: current.status), headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: current.body)))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? port) },
                              logger: .init(label: "backend"))
        let server = RunningService.start(app, label: "backend")
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        return HTTPBackend(host: host, port: bound, server: server, behaviour: box, requests: counter)
    }

    func set(_ change: (inout Behaviour) -> Void) {
        behaviour.withLockedValue { change(&$0) }
    }

    var requestCount: Int { requests.withLockedValue { $0 } }

    var url: String { "http://\(host):\(port)/health" }

    func stop() async { await server.stop() }
}
