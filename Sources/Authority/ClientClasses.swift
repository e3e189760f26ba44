import Dispatch
import DNSWire
import Routing
import Zones

/// A population of client networks folded into the classes routing can tell apart, so a
/// what-if asks `Authority` once per class instead of once per network.
///
/// The assumption, checked against asking every network in the tests: a routed answer
/// depends on the client only through what `ClientView` asks — the locator's place
/// (continent, country, subdivision), the locator's latencies to regions, and each CIDR
/// collection's value for the prefix. Of the latencies, the latency policy reads only
/// comparisons (`RoutingPlan.closer`: less, equal, unknown; ties go to the zone order),
/// so a network's latencies are kept as their dense ranking (equal values share a rank,
/// unknown is -1), and the locator is assumed to give each region's latency on its own
/// (a region's value does not depend on which other regions were asked about).
/// Coordinates alone matter only through that ranking. The address family is part of the
/// fingerprint too, so the class count says how many distinct clients there are.
///
/// Networks with the same fingerprint form a class. For one question only part of the
/// fingerprint can matter: the answer set is the first routed decision, made by the
/// group at the owner, and a policy reads one part of the client (ALIAS targets' health
/// is settled per health snapshot, not per client). So each kind of policy gets a coarser
/// partition (`partition(_:)`), built once and shared by every name of that kind:
/// geolocation names by place, latency names by the ranking of their own regions, CIDR
/// names by their collection's value, other policies as one class. Asking one
/// representative per class of the finer fingerprint instead would ask a geolocation name
/// once per latency ranking as well: ten times the work for the same answer.
struct ClientClasses {
    /// One class: a network that stands for it and how many networks it holds.
    struct Member {
        var representative: ClientContext
        var weight: Int
        /// The place and the CIDR values, numbered in order of first appearance.
        var place: Int32
        var ranks: [Int8]
        var cidr: [Int32]
    }

    /// What part of the fingerprint a question's answer set may depend on.
    enum Dimension: Hashable {
        case none
        case place
        /// Indices into `regions`, sorted and unique.
        case latency([Int])
        /// Index into `collections`.
        case cidr(Int)
        /// Everything: the whole fingerprint.
        case all
    }

    /// A class of a partition: whom to ask and how many networks it stands for.
    struct Part {
        var representative: ClientContext
        var weight: Int
    }

    let regions: [String]
    let collections: [String]
    let members: [Member]
    let population: Int

    /// Regions of latency groups and collections of CIDR groups in `zones`.
    init(networks: [ClientNetwork], zones: ZoneSet, locator: any ClientLocator) {
        var regions: Set<String> = [], collections: Set<String> = []
        for zone in zones.zones {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups {
                    for set in group.sets {
                        switch set.routing.rule {
                        case .latency(let region): regions.insert(region)
                        case .cidr(let collection, _): collections.insert(collection)
                        default: break
                        }
                    }
                }
            }
        }
        self.regions = regions.sorted()
        self.collections = collections.sorted()
        population = networks.count
        members = ClientClasses.fold(networks, regions: LatencyRegions(self.regions), collections: self.collections,
                                     tables: self.collections.map { zones.cidrTables[$0] }, locator: locator)
    }

    /// A network's fingerprint as found, before places and CIDR values are numbered.
    struct Fingerprint: Hashable {
        var v4: Bool
        var place: ClientLocation?
        var ranks: [Int8]
        var cidr: [String?]
    }

    /// The fingerprint of every network, networks with equal ones counted together; in
    /// order of first appearance (so results do not depend on hashing or on how the work
    /// was split). Looking networks up is most of the cost: it is spread over the cores
    /// in chunks, each folded on its own, then merged in chunk order.
    private static func fold(_ networks: [ClientNetwork], regions: LatencyRegions, collections: [String],
                             tables: [PrefixTable<String>?], locator: any ClientLocator) -> [Member] {
        let chunkSize = 4096
        let chunks = (networks.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<[(fingerprint: Fingerprint, representative: ClientContext, weight: Int)]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * chunkSize..<min(networks.count, (chunk + 1) * chunkSize)
            var index: [Fingerprint: Int] = [:]
            var found: [(fingerprint: Fingerprint, representative: ClientContext, weight: Int)] = []
            for network in networks[range] {
                let context = network.context
                let print = fingerprint(context.prefix, regions: regions, tables: tables, locator: locator)
                if let i = index[print] { found[i].weight += 1 } else {
                    index[print] = found.count
                    found.append((print, context, 1))
                }
            }
            slots.buffer[chunk] = found
        }
        var places: [ClientLocation?: Int32] = [:]
        var cidrValues: [String?: Int32] = [:]
        var index: [Fingerprint: Int] = [:]
        var members: [Member] = []
        for chunk in slots.buffer {
            for entry in chunk ?? [] {
                if let i = index[entry.fingerprint] {
                    members[i].weight += entry.weight
                    continue
                }
                index[entry.fingerprint] = members.count
                let place = places[entry.fingerprint.place] ?? Int32(places.count)
                places[entry.fingerprint.place] = place
                let cidr = entry.fingerprint.cidr.map { value in
                    let number = cidrValues[value] ?? Int32(cidrValues.count)
                    cidrValues[value] = number
                    return number
                }
                members.append(Member(representative: entry.representative, weight: entry.weight, place: place,
                                      ranks: entry.fingerprint.ranks, cidr: cidr))
            }
        }
        return members
    }

    static func fingerprint(_ prefix: IPPrefix, regions: LatencyRegions, tables: [PrefixTable<String>?],
                            locator: any ClientLocator) -> Fingerprint {
        let located = locator.locate(prefix)
        var place = located.location
        place?.latitude = nil
        place?.longitude = nil
        let ranks = regions.names.isEmpty ? [] : denseRanks(locator.latencies(prefix, location: located, regions: regions).milliseconds)
        let cidr = tables.map { $0?.lookup(prefix).value }
        let v4: Bool
        if case .v4 = prefix.address { v4 = true } else { v4 = false }
        return Fingerprint(v4: v4, place: place, ranks: ranks, cidr: cidr)
    }

    /// Equal latencies share a rank, smaller is better, unknown is -1.
    static func denseRanks(_ values: [Double?]) -> [Int8] {
        let distinct = Array(Set(values.compactMap { $0 })).sorted()
        return values.map { value in
            guard let value else { return -1 }
            var low = 0, high = distinct.count
            while low < high {
                let mid = (low + high) / 2
                if distinct[mid] < value { low = mid + 1 } else { high = mid }
            }
            return Int8(truncatingIfNeeded: low)
        }
    }

    /// What a question's answer set may depend on: the policy of the group that answers it
    /// at its owner (the first routed decision, which `Response.routedSetKey` names). ALIAS
    /// targets' health is settled per snapshot, not per client, so it adds nothing; but
    /// the set an ALIAS target's own policy chooses is part of the answer set, and that
    /// policy may read any part of the fingerprint.
    func dimension(of group: RoutedGroup) -> Dimension {
        if group.hasAliasSet { return .all }
        switch group.policy {
        case .geo: return .place
        case .latency:
            var used: Set<Int> = []
            for set in group.sets {
                if case .latency(let region) = set.routing.rule, let i = regions.firstIndex(of: region) { used.insert(i) }
            }
            return .latency(used.sorted())
        case .cidr:
            for set in group.sets {
                if case .cidr(let collection, _) = set.routing.rule, let i = collections.firstIndex(of: collection) { return .cidr(i) }
            }
            return .none
        case .simple, .weighted, .failover, .multivalue: return .none
        }
    }

    /// The classes as a question of `dimension` sees them, in order of first appearance.
    func partition(_ dimension: Dimension) -> [Part] {
        switch dimension {
        case .none:
            guard let first = members.first else { return [] }
            return [Part(representative: first.representative, weight: population)]
        case .all: return members.map { Part(representative: $0.representative, weight: $0.weight) }
        case .place: return group { $0.place }
        case .cidr(let i): return group { $0.cidr[i] }
        case .latency(let used):
            return group { member in ClientClasses.denseRanks(used.map { member.ranks[$0] < 0 ? nil : Double(member.ranks[$0]) }) }
        }
    }

    private func group<K: Hashable>(by key: (Member) -> K) -> [Part] {
        var index: [K: Int] = [:]
        var parts: [Part] = []
        for member in members {
            let k = key(member)
            if let i = index[k] { parts[i].weight += member.weight } else {
                index[k] = parts.count
                parts.append(Part(representative: member.representative, weight: member.weight))
            }
        }
        return parts
    }
}
