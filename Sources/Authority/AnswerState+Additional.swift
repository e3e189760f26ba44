import DNSWire
import Zones

extension AnswerState {
    /// RFC 1034 §4.3.2 step 6: addresses of the names that NS, MX and SRV answers point at,
    /// when this server has them.
    mutating func addAdditional() {
        guard response.rcode == .noError else { return }
        let count = response.answer.count
        for i in 0..<count {
            let type = response.answer[i].type
            guard type == .ns || type == .mx || type == .srv else { continue }
            response.answer[i].data.forEachTargetName(of: type) { target in
                guard let zone = snapshot.zones.zone(for: target) else { return }
                addAddresses(of: target, in: zone)
            }
        }
    }

    /// Appends the A and AAAA sets of `target` found in `zone`, under the name `target`,
    /// unless the response already has them.
    mutating func addAddresses(of target: DomainName, in zone: Zone) {
        guard let node = AnswerState.addressNode(target, in: zone) else { return }
        for type in [RecordType.a, .aaaa] {
            guard let set = node.rrset(type) else { continue }
            if response.additional.contains(where: { $0.type == type && $0.owner == target }) { continue }
            if response.answer.contains(where: { $0.type == type && $0.owner == target }) { continue }
            response.additional.append(ResponseRRSet(owner: target, set))
        }
    }

    /// The node whose addresses `target` has in `zone`: the name itself — glue below a
    /// zone cut included, since "whatever addresses are available" are useful (step 3b and
    /// 6; Knot and BIND add glue too) — else the wildcard that would synthesise it
    /// (RFC 4592 §3.3.1). Nil when the zone has neither.
    static func addressNode(_ target: DomainName, in zone: Zone) -> NameNode? {
        guard target.isSubdomain(of: zone.origin) else { return nil }
        if let index = zone.trie.find(target) { return zone.trie.nodes[Int(index)] }
        let encloser = zone.trie.nodes[Int(zone.trie.closestMatch(target, apexLabels: zone.originLabels).node)]
        return encloser.wildcard >= 0 ? zone.trie.nodes[Int(encloser.wildcard)] : nil
    }
}
