import DNSWire
import NIOConcurrencyHelpers

/// Decides whether a new TCP connection may stay open: at most `perClient` connections
/// from one client network (/32, /64) and `total` in all (SPEC §5), so neither one client
/// nor many can take every descriptor. Shared by every event loop; the lock is taken once
/// when a connection opens and once when it closes, never per query.
public final class TCPAdmission: Sendable {
    public let total: Int
    public let perClient: Int

    /// Why a connection was turned away.
    public enum Refusal: String, Sendable {
        case perClient = "per-client"
        case total
    }

    struct State {
        var open = 0
        /// Open connections per client network: the address's /32 or /64.
        var byClient: [IPPrefix: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init(total: Int, perClient: Int) {
        self.total = max(1, total)
        self.perClient = max(1, perClient)
    }

    /// Counts a new connection from `address` in, or says why it must be closed.
    public func admit(_ address: IPAddress) -> Refusal? {
        let network = TCPAdmission.network(of: address)
        return state.withLockedValue { state in
            if state.open >= total { return .total }
            let current = state.byClient[network, default: 0]
            if current >= perClient { return .perClient }
            state.open += 1
            state.byClient[network] = current + 1
            return nil
        }
    }

    /// Counts a closed (admitted) connection out.
    public func release(_ address: IPAddress) {
        let network = TCPAdmission.network(of: address)
        state.withLockedValue { state in
            state.open -= 1
            let left = state.byClient[network, default: 1] - 1
            state.byClient[network] = left > 0 ? left : nil
        }
    }

    /// The network a client counts against: its address (/32) for IPv4, its /64 for IPv6,
    /// where one subscriber usually holds a whole /64.
    static func network(of address: IPAddress) -> IPPrefix {
        IPPrefix(address: address, length: address.bitWidth == 32 ? 32 : 64)
    }

    /// Connections open now.
    public var openConnections: Int { state.withLockedValue { $0.open } }
}
