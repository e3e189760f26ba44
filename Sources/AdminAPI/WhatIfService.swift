import Authority
import Foundation
import GeoIP
import Routing

/// What `POST /v1/whatif` needs besides the backend's zones and health: the server's own
/// client population (worked out on first use and kept) and a turn, so that one what-if
/// runs at a time and a few more wait for theirs.
public final class WhatIfService: Sendable {
    /// The networks counted when a request brings none: `--geo-networks` rows, else one
    /// network per country and subdivision of `--geoip`, else one unlocated client.
    let population: LazyPopulation
    let turns: WhatIfTurns

    /// `population` is called once, on the first what-if without a client list.
    public init(population: @escaping @Sendable () -> [ClientNetwork] = { [.anyClient] }, maximumWaiting: Int = 4) {
        self.population = LazyPopulation(population)
        self.turns = WhatIfTurns(maximumWaiting: maximumWaiting)
    }

    /// The client list of a request (CSV as `--geo-networks`), and a locator that places
    /// its networks by their rows first, then as `locator` would.
    static func listed(_ csv: String, locator: any ClientLocator) throws(AdminRequestError) -> (networks: [ClientNetwork], locator: any ClientLocator) {
        let table: GeoNetworksTable
        do {
            table = try GeoNetworksTable(parsing: Array(csv.utf8), file: "clients")
        } catch {
            throw .badRequest("'clients' is not a client list: \(error)", field: "clients")
        }
        let networks = table.entries.map { ClientNetwork(name: "\($0.prefix)", prefix: $0.prefix) }
        guard !networks.isEmpty else { throw .badRequest("'clients' has a header but no networks", field: "clients") }
        let geo = locator as? GeoClientLocator
        return (networks, GeoClientLocator(sources: [table] + (geo?.sources ?? []), latencyTable: geo?.latencyTable))
    }
}

/// A value computed on first use and kept.
final class LazyPopulation: @unchecked Sendable {
    private let lock = NSLock()
    private let compute: @Sendable () -> [ClientNetwork]
    private var value: [ClientNetwork]?

    init(_ compute: @escaping @Sendable () -> [ClientNetwork]) { self.compute = compute }

    var networks: [ClientNetwork] {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let computed = compute()
        value = computed
        return computed
    }
}

/// One what-if at a time; at most `maximumWaiting` more wait (first come, first served),
/// beyond that a request is refused rather than queued without bound.
actor WhatIfTurns {
    let maximumWaiting: Int
    private var running = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(maximumWaiting: Int) { self.maximumWaiting = maximumWaiting }

    /// How many wait for their turn.
    var waitingCount: Int { waiting.count }

    /// False when too many are waiting already.
    func acquire() async -> Bool {
        if !running {
            running = true
            return true
        }
        guard waiting.count < maximumWaiting else { return false }
        await withCheckedContinuation { waiting.append($0) }
        return true
    }

    func release() {
        if waiting.isEmpty { running = false } else { waiting.removeFirst().resume() }
    }
}
