import DNSWire
import Metrics
import Routing
import Zones

/// One handler's query counts since the last flush, keyed by what `/metrics` reports
/// (zone, type, rcode, policy, set, transport). Owned by one event loop, so counting is a
/// dictionary update with no lock; `flush` hands the counts to swift-metrics once a second.
public struct QueryTally {
    struct Key: Hashable {
        var zone: ObjectIdentifier?
        var type: UInt16
        var rcode: UInt16
        var policy: RoutingPolicy?
        var setID: String?
        var transport: Transport
    }

    var counts: [Key: Int] = [:]
    var zoneNames: [ObjectIdentifier: String] = [:]

    public init() {}

    @inline(__always)
    public mutating func count(zone: Zone?, type: UInt16, rcode: ResponseCode, policy: RoutingPolicy?, setID: String?, transport: Transport) {
        let id = zone.map(ObjectIdentifier.init)
        if let zone, let id, zoneNames[id] == nil { zoneNames[id] = zone.origin.description }
        counts[Key(zone: id, type: type, rcode: rcode.rawValue, policy: policy, setID: setID, transport: transport), default: 0] += 1
    }

    /// Adds the counts to the `switchyard_queries_total` counters and starts again.
    public mutating func flush() {
        guard !counts.isEmpty else { return }
        for (key, n) in counts {
            let dimensions = [
                ("zone", key.zone.flatMap { zoneNames[$0] } ?? ""),
                ("type", RecordType(key.type).mnemonic),
                ("rcode", ResponseCode(rawValue: key.rcode).description),
                ("policy", key.policy?.rawValue ?? ""),
                ("set", key.setID ?? ""),
                ("transport", key.transport.rawValue),
            ]
            Counter(label: "switchyard_queries_total", dimensions: dimensions).increment(by: n)
        }
        counts.removeAll(keepingCapacity: true)
        if zoneNames.count > 256 { zoneNames.removeAll() }
    }
}
