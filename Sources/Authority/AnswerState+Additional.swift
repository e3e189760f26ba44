import DNSWire
import Zones

extension AnswerState {
    /// RFC 1034 §4.3.2 step 6: addresses of the names that NS, MX and SRV answers point at,
    /// when this server is authoritative for them.
    mutating func addAdditional() {
        guard response.rcode == .noError else { return }
        let count = response.answer.count
        for i in 0..<count where [.ns, .mx, .srv].contains(response.answer[i].type) {
            for record in response.answer[i].records {
                guard let target = record.additionalSectionName else { continue }
                addAddresses(of: target)
            }
        }
    }

    mutating func addAddresses(of target: DomainName) {
        guard let zone = snapshot.zones.zone(for: target), let index = zone.trie.find(target) else { return }
        let node = zone.trie.nodes[Int(index)]
        guard node.cut < 0 else { return }
        for type in [RecordType.a, .aaaa] {
            guard let set = node.rrset(type) else { continue }
            if response.additional.contains(where: { $0.type == type && $0.owner == target }) { continue }
            if response.answer.contains(where: { $0.type == type && $0.owner == target }) { continue }
            response.additional.append(ResponseRRSet(owner: node.name, set))
        }
    }
}
