import DNSSEC
import DNSWire
import Zones

extension AnswerSigner {
    /// What signing one response needs to know: the answering zone and its signer, the
    /// question, the window and the second the budget counts in.
    struct SigningContext {
        let snapshot: Authority.Snapshot
        let zone: Zone
        let zoneSigner: ZoneSigner
        let question: Question
        let window: SignatureWindow
        let second: UInt32
    }

    /// The signed response; nil when a signature is over budget.
    mutating func run(_ response: Response, compactOK: Bool, _ context: SigningContext) -> Response? {
        var response = response
        let negative = response.authority.contains { $0.type == .soa }
        let referral = !negative && response.authority.contains { $0.type == .ns }
        guard let answer = signed(response.answer, context) else { return nil }
        response.answer = answer
        if referral {
            guard let authority = referralAuthority(response.authority, context) else { return nil }
            response.authority = authority
            return response
        }
        guard var authority = signed(response.authority, context) else { return nil }
        if negative {
            let denied = response.answer.last(where: { $0.type == .cname })?.data.cnameTarget ?? context.question.name
            guard let denial = denial(of: denied, nxDomain: response.rcode == .nxDomain, authority: response.authority, context) else { return nil }
            authority.append(contentsOf: denial)
            // RFC 9824 §3: NXDOMAIN only to a client that reads NXNAME itself.
            if response.rcode == .nxDomain && !compactOK { response.rcode = .noError }
        }
        response.authority = authority
        return response
    }

    /// Each RRset followed by its RRSIG (sets of zones not signed here stay bare).
    mutating func signed(_ sets: [ResponseRRSet], _ context: SigningContext) -> [ResponseRRSet]? {
        guard !sets.isEmpty else { return sets }
        var out: [ResponseRRSet] = []
        out.reserveCapacity(sets.count * 2)
        for set in sets {
            out.append(set)
            guard let by = zoneSigner(for: set.owner, context) else { continue }
            guard let rrsig = rrsig(over: set, by: by, window: context.window, second: context.second) else { return nil }
            out.append(rrsig)
        }
        return out
    }

    /// The signer of the zone `owner` is in: the answering zone's for the query name
    /// (and names in it), else the zone the name belongs to (a CNAME into another zone).
    func zoneSigner(for owner: DomainName, _ context: SigningContext) -> ZoneSigner? {
        // The question name and the apex (the SOA of a negative answer) are the
        // answering zone's without a look-up.
        if owner.sameName(context.question.name) || owner.sameName(context.zone.origin) { return context.zoneSigner }
        guard let index = context.snapshot.zones.zoneIndex(for: owner) else { return nil }
        let other = context.snapshot.zones.zones[index]
        return other === context.zone ? context.zoneSigner : keys.signer(forApex: other.origin)
    }

    /// The compact NSEC (and its RRSIG) that denies `name` or the question's type at it.
    mutating func denial(of name: DomainName, nxDomain: Bool, authority: [ResponseRRSet], _ context: SigningContext) -> [ResponseRRSet]? {
        guard let soa = authority.first(where: { $0.type == .soa }), let by = zoneSigner(for: soa.owner, context) else { return [] }
        let denyingZone = name == context.question.name ? context.zone
            : context.snapshot.zones.zoneIndex(for: name).map { context.snapshot.zones.zones[$0] } ?? context.zone
        var types: [RecordType]
        if nxDomain {
            types = CompactDenial.nonexistentTypes
        } else {
            types = (AnswerSigner.types(at: name, in: denyingZone) ?? []).filter { $0 != context.question.type }
            types += [.rrsig, .nsec]
        }
        let nsec = ResponseRRSet(owner: name, type: .nsec, ttl: soa.ttl,
                                 data: .single(CompactDenial.nsecData(owner: name, types: types)))
        guard let rrsig = rrsig(over: nsec, by: by, window: context.window, second: context.second) else { return nil }
        return [nsec, rrsig]
    }

    /// A referral's authority section: the NS set unsigned (the child's data), then the
    /// signed DS set at the cut, or a signed NSEC proving there is none (RFC 4035 §3.1.4).
    mutating func referralAuthority(_ authority: [ResponseRRSet], _ context: SigningContext) -> [ResponseRRSet]? {
        var out: [ResponseRRSet] = []
        for set in authority {
            out.append(set)
            guard set.type == .ns, let index = context.snapshot.zones.zoneIndex(for: set.owner) else { continue }
            let parent = context.snapshot.zones.zones[index]
            guard let by = keys.signer(forApex: parent.origin) else { continue }
            let match = parent.trie.closestMatch(set.owner, apexLabels: parent.originLabels)
            let node = parent.trie.nodes[Int(match.node)]
            let proof: ResponseRRSet
            if match.exact, let ds = node.rrset(.ds) {
                proof = ResponseRRSet(owner: set.owner, ds)
            } else {
                proof = ResponseRRSet(owner: set.owner, type: .nsec, ttl: parent.negativeSOASet.ttl,
                                      data: .single(CompactDenial.nsecData(owner: set.owner, types: [.ns, .rrsig, .nsec])))
            }
            guard let rrsig = rrsig(over: proof, by: by, window: context.window, second: context.second) else { return nil }
            out.append(proof)
            out.append(rrsig)
        }
        return out
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
