import DNSSEC
import DNSWire
import Zones

extension AnswerSigner {
    /// Signing one response: which zone signs each RRset, and the denial records a negative
    /// answer or a referral needs.
    struct Signing {
        var signer: AnswerSigner
        let snapshot: Authority.Snapshot
        let zone: Zone
        let zoneSigner: ZoneSigner
        let question: Question
        let window: SignatureWindow
        let second: UInt32

        /// The signed response; nil when a signature is over budget.
        mutating func run(_ response: Response, compactOK: Bool) -> Response? {
            var response = response
            let negative = response.authority.contains { $0.type == .soa }
            let referral = !negative && response.authority.contains { $0.type == .ns }
            guard let answer = signed(response.answer) else { return nil }
            response.answer = answer
            if referral {
                guard let authority = referralAuthority(response.authority) else { return nil }
                response.authority = authority
                return response
            }
            guard var authority = signed(response.authority) else { return nil }
            if negative {
                let denied = response.answer.last(where: { $0.type == .cname })?.data.cnameTarget ?? question.name
                guard let denial = denial(of: denied, nxDomain: response.rcode == .nxDomain, authority: response.authority) else { return nil }
                authority.append(contentsOf: denial)
                // RFC 9824 §3: NXDOMAIN only to a client that reads NXNAME itself.
                if response.rcode == .nxDomain && !compactOK { response.rcode = .noError }
            }
            response.authority = authority
            return response
        }

        /// Each RRset followed by its RRSIG (sets of zones not signed here stay bare).
        mutating func signed(_ sets: [ResponseRRSet]) -> [ResponseRRSet]? {
            guard !sets.isEmpty else { return sets }
            var out: [ResponseRRSet] = []
            out.reserveCapacity(sets.count * 2)
            for set in sets {
                out.append(set)
                guard let by = zoneSigner(for: set.owner) else { continue }
                guard let rrsig = signer.rrsig(over: set, by: by, window: window, second: second) else { return nil }
                out.append(rrsig)
            }
            return out
        }

        /// The signer of the zone `owner` is in: the answering zone's for the query name
        /// (and names in it), else the zone the name belongs to (a CNAME into another zone).
        func zoneSigner(for owner: DomainName) -> ZoneSigner? {
            if owner == question.name { return zoneSigner }
            guard let index = snapshot.zones.zoneIndex(for: owner) else { return nil }
            let other = snapshot.zones.zones[index]
            return other === zone ? zoneSigner : signer.keys.signer(forApex: other.origin)
        }

        /// The compact NSEC (and its RRSIG) that denies `name` or the question's type at it.
        mutating func denial(of name: DomainName, nxDomain: Bool, authority: [ResponseRRSet]) -> [ResponseRRSet]? {
            guard let soa = authority.first(where: { $0.type == .soa }), let by = zoneSigner(for: soa.owner) else { return [] }
            let denyingZone = snapshot.zones.zoneIndex(for: name).map { snapshot.zones.zones[$0] } ?? zone
            var types: [RecordType]
            if nxDomain {
                types = CompactDenial.nonexistentTypes
            } else {
                types = (AnswerSigner.types(at: name, in: denyingZone) ?? []).filter { $0 != question.type }
                types += [.rrsig, .nsec]
            }
            let nsec = ResponseRRSet(owner: name, type: .nsec, ttl: soa.ttl,
                                     data: .single(CompactDenial.nsecData(owner: name, types: types)))
            guard let rrsig = signer.rrsig(over: nsec, by: by, window: window, second: second) else { return nil }
            return [nsec, rrsig]
        }

        /// A referral's authority section: the NS set unsigned (the child's data), then the
        /// signed DS set at the cut, or a signed NSEC proving there is none (RFC 4035 §3.1.4).
        mutating func referralAuthority(_ authority: [ResponseRRSet]) -> [ResponseRRSet]? {
            var out: [ResponseRRSet] = []
            for set in authority {
                out.append(set)
                guard set.type == .ns, let index = snapshot.zones.zoneIndex(for: set.owner) else { continue }
                let parent = snapshot.zones.zones[index]
                guard let by = signer.keys.signer(forApex: parent.origin) else { continue }
                let match = parent.trie.closestMatch(set.owner, apexLabels: parent.originLabels)
                let node = parent.trie.nodes[Int(match.node)]
                let proof: ResponseRRSet
                if match.exact, let ds = node.rrset(.ds) {
                    proof = ResponseRRSet(owner: set.owner, ds)
                } else {
                    proof = ResponseRRSet(owner: set.owner, type: .nsec, ttl: parent.negativeSOASet.ttl,
                                          data: .single(CompactDenial.nsecData(owner: set.owner, types: [.ns, .rrsig, .nsec])))
                }
                guard let rrsig = signer.rrsig(over: proof, by: by, window: window, second: second) else { return nil }
                out.append(proof)
                out.append(rrsig)
            }
            return out
        }
    }

    /// The types `name` holds in `zone` (the wildcard's for a name it synthesises), as
    /// an NSEC bitmap lists them; nil when the name does not exist. An ALIAS answers A and
    /// AAAA; the apex of a signed zone holds DNSKEY.
    static func types(at name: DomainName, in zone: Zone) -> [RecordType]? {
        let trie = zone.trie
        let match = trie.closestMatch(name, apexLabels: zone.originLabels)
        var node = trie.nodes[Int(match.node)]
        if !match.exact {
            guard node.wildcard >= 0 else { return nil }
            node = trie.nodes[Int(node.wildcard)]
        }
        if node.isEmptyNonTerminal { return [] }
        var types = node.rrsets.map(\.type)
        for group in node.groups {
            if let type = group.type { types.append(type) } else { types += [.a, .aaaa] }
        }
        if node.flags.contains(.apex) { types.append(.dnskey) }
        return types
    }
}
