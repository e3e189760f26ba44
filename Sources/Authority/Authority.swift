import CMemoryHints
import DNSWire
import Routing
import Zones

/// The answer algorithm of RFC 1034 §4.3.2 with Route 53's routed record sets, in fixed
/// stages: guards → zone → answer (CNAME chain, wildcard, referral, routed sets, ALIAS)
/// → negative answer → additional section. It is a pure function of the query, the zone
/// and health snapshots, the client locator and the random source.
public struct Authority: Sendable {
    /// CNAME and ALIAS chains longer than this are cut short. ALIAS loops and longer ALIAS
    /// chains are rejected at load; CNAME chains across zones are checked only here.
    public static let maximumChain = ZoneSetValidator.maximumAliasChain

    public let locator: any ClientLocator

    public init(locator: any ClientLocator = NoLocator()) {
        self.locator = locator
    }

    /// The snapshots one query reads: taken once, used throughout. Made when the zones or
    /// the health change (once per event loop), not per query: it settles the health of
    /// every ALIAS tree then, in time linear in the trees and nothing for zones without
    /// evaluated ALIAS targets. A class: every answer holds it, and holding it then counts
    /// one reference rather than one per table and a copy of the health view.
    public final class Snapshot: Sendable {
        public let zones: ZoneSet
        public let health: any HealthView
        /// What the walk over a routed group's sets reads, under `health`.
        public let setHealth: SetHealthTables

        public init(zones: ZoneSet, health: any HealthView = AllHealthy()) {
            self.zones = zones
            self.health = health
            self.setHealth = SetHealthTables(zones: zones, health: health)
        }
    }

    /// Answers `question` for `client`. Guards that depend only on the packet (FORMERR,
    /// NOTIMP, BADVERS) are the server's; this starts at "which zone".
    public func answer<R: RandomNumberGenerator, T: DecisionTrace>(
        _ question: Question, client: ClientContext, snapshot: Snapshot, random: inout R, trace: inout T
    ) -> Response {
        if question.recordClass != .in && question.recordClass != .any { return .refused() }
        if question.type == .axfr || question.type == .ixfr { return .refused() }
        // The zone and the node in one pass over the name.
        guard let (zoneIndex, match) = snapshot.zones.locate(question.name) else {
            trace.note(.note, nil, "\(question.name) is in no zone served here: REFUSED")
            return .refused()
        }
        let zone = snapshot.zones.zones[zoneIndex]
        var state = AnswerState(
            snapshot: snapshot, response: Response(rcode: .noError, authoritative: true, zone: zone),
            client: ClientView(context: client, locator: locator, collections: snapshot.zones.cidrTables))
        state.run(question: question, zone: zone, zoneIndex: zoneIndex, match: match, random: &random, trace: &trace)
        state.addAdditional()
        state.response.clientSubnetScope = state.client.scope
        // Moved out of the state that ends here, not copied.
        return (consume state).response
    }

    /// `answer` without tracing (the query path).
    public func answer<R: RandomNumberGenerator>(_ question: Question, client: ClientContext, snapshot: Snapshot, random: inout R) -> Response {
        var trace = NoTrace()
        return answer(question, client: client, snapshot: snapshot, random: &random, trace: &trace)
    }
}

/// What resolving one name at one zone ended in.
enum NameOutcome {
    /// The answer section has what the name holds for the type.
    case answered
    /// A CNAME was added; carry on at its target.
    case alias(DomainName)
    case noData
    case nxDomain
    /// The name is at or below the zone cut at this node.
    case referral(Int32)
}

/// The state of answering one query.
struct AnswerState {
    let snapshot: Authority.Snapshot
    var response: Response
    var client: ClientView
    /// The group and set of the first routed choice behind an ALIAS (see `Response.routedAlias`).
    var aliasChoice: (group: RoutedGroup, set: Int)?

    /// Answers `question` from `match`, its node in `zone` (`ZoneSet.locate`), following
    /// CNAMEs within the zones served.
    mutating func run<R: RandomNumberGenerator, T: DecisionTrace>(question: Question, zone: Zone, zoneIndex: Int, match: NameTrie.Match,
                                                                 random: inout R, trace: inout T) {
        var name = question.name
        var zone = zone
        var zoneIndex = zoneIndex
        var match = match
        for step in 0..<Authority.maximumChain {
            let outcome = resolve(name, type: question.type, in: zone, zoneIndex: zoneIndex, match: match, random: &random, trace: &trace)
            switch outcome {
            case .answered:
                return
            case .alias(let target):
                guard let next = snapshot.zones.locate(target) else {
                    trace.note(.note, nil, "CNAME target \(target) is outside the zones served here")
                    return
                }
                if response.answer.contains(where: { $0.owner == target }) || step == Authority.maximumChain - 1 {
                    trace.note(.note, nil, "CNAME chain loops or is too long at \(target)")
                    return
                }
                trace.note(.note, nil, "following CNAME to \(target)")
                name = target
                zone = snapshot.zones.zones[next.zoneIndex]
                zoneIndex = next.zoneIndex
                match = next.match
            case .noData:
                response.authority.append(negativeSOA(zone))
                return
            case .nxDomain:
                response.rcode = .nxDomain
                response.authority.append(negativeSOA(zone))
                return
            case .referral(let cut):
                referral(zone: zone, cut: cut)
                return
            }
        }
    }

    func negativeSOA(_ zone: Zone) -> ResponseRRSet {
        ResponseRRSet(owner: zone.origin, zone.negativeSOASet)
    }

    /// RFC 1034 §4.3.2 step 3 for one name inside `zone`, whose node or closest encloser
    /// there is `match`.
    mutating func resolve<R: RandomNumberGenerator, T: DecisionTrace>(
        _ name: DomainName, type: RecordType, in zone: Zone, zoneIndex: Int, match: NameTrie.Match, random: inout R, trace: inout T
    ) -> NameOutcome {
        let trie = zone.trie
        let node = trie.nodes[Int(match.node)]
        if node.cut >= 0 {
            // DS lives on the parent side of a cut (RFC 4035 §3.1.4.1).
            if !(match.exact && node.isDelegation && type == .ds) { return .referral(node.cut) }
        }
        if match.exact {
            return answer(at: node, owner: name, type: type, zone: zone, zoneIndex: zoneIndex, random: &random, trace: &trace)
        }
        // RFC 4592 §3.3.1: the wildcard child of the closest encloser synthesises the answer.
        if node.wildcard >= 0 {
            let source = trie.nodes[Int(node.wildcard)]
            trace.note(.note, nil, "\(name) synthesised from \(source.name)")
            return answer(at: source, owner: name, type: type, zone: zone, zoneIndex: zoneIndex, random: &random, trace: &trace)
        }
        return .nxDomain
    }

    /// The data of one existing node (or wildcard) for `type`, under the name `owner`.
    mutating func answer<R: RandomNumberGenerator, T: DecisionTrace>(
        at node: NameNode, owner: DomainName, type: RecordType, zone: Zone, zoneIndex: Int, random: inout R, trace: inout T
    ) -> NameOutcome {
        let flags = node.flags
        if flags.contains(.empty) { return .noData }
        if type == .any { return answerAny(at: node, owner: owner, zoneIndex: zoneIndex, random: &random, trace: &trace) }
        // The group, if one answers, is far in memory: its fetch starts before the plain
        // sets are looked at, so the two waits overlap.
        let routed = flags.contains(.routed) ? node.groupReference(answering: type) : nil
        if let routed { switchyard_prefetch_for_write(routed.toOpaque()) }
        if let rrset = node.rrset(type) {
            rrset.data.prefetch()
            response.answer.append(ResponseRRSet(owner: owner, rrset))
            return .answered
        }
        if let group = routed {
            return group._withUnsafeGuaranteedRef {
                answerRouted($0, zoneIndex: zoneIndex, owner: owner, type: type, random: &random, trace: &trace)
            }
        }
        if let cname = node.rrset(.cname), let target = cname.data.cnameTarget {
            response.answer.append(ResponseRRSet(owner: owner, cname))
            return .alias(target)
        }
        return .noData
    }

    /// ANY: one RRset of the node, not all of them (RFC 8482 §4: a responder may answer
    /// with a single RRset, which keeps ANY from being an amplifier). Like Knot, over UDP
    /// and TCP alike, it is the RRset of the lowest type — plain, or a routed set chosen
    /// by its policy. A CNAME is returned as it is, not followed.
    mutating func answerAny<R: RandomNumberGenerator, T: DecisionTrace>(
        at node: NameNode, owner: DomainName, zoneIndex: Int, random: inout R, trace: inout T
    ) -> NameOutcome {
        let plain = node.rrsets.first
        if let group = node.groups.first(where: { $0.type != nil }), let type = group.type,
           plain.map({ type < $0.type }) ?? true {
            return answerRouted(group, zoneIndex: zoneIndex, owner: owner, type: type, random: &random, trace: &trace)
        }
        guard let plain else { return .noData }
        response.answer.append(ResponseRRSet(owner: owner, plain))
        return .answered
    }

    /// A referral to the delegation at `cut` (RFC 1034 §4.3.2 step 3b): not authoritative
    /// unless an authoritative answer (a CNAME) came before it; NS in authority; then
    /// "whatever addresses are available" from this zone. Glue for servers inside the
    /// delegated zone comes first and is required (RFC 9471: TC=1 if it does not fit);
    /// addresses of the other servers the zone knows — siblings, glue under other cuts —
    /// follow and are dropped silently when there is no room, as Knot and BIND do.
    mutating func referral(zone: Zone, cut: Int32) {
        let node = zone.trie.nodes[Int(cut)]
        guard let ns = node.rrset(.ns) else { return }
        if response.answer.isEmpty { response.authoritative = false }
        let owner = node.name
        response.authority.append(ResponseRRSet(owner: owner, ns))
        var servers: [DomainName] = []
        ns.data.forEachTargetName(of: .ns) { servers.append($0) }
        for target in servers where target.isSubdomain(of: owner) { addAddresses(of: target, in: zone) }
        response.requiredGlue = response.additional.count
        for target in servers where !target.isSubdomain(of: owner) { addAddresses(of: target, in: zone) }
    }
}
