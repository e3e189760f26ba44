import DNSSEC
import DNSWire
import Zones

/// Signatures made ahead, off the query path, for every answer of the signed zones that
/// can be listed — each plain RRset, each set of a routed name (whichever set health
/// picks), each record set an ALIAS can answer with, the apex's DNSKEY and negative SOA,
/// each delegation's proof that it has no DS —
/// the way Knot's geoip module signs each variant when the zone loads. What cannot be
/// listed (multivalue subsets, wildcard answers under the query name, denials) is signed
/// online. Built when the zones change or a new signature window begins, published
/// whole, and then only read, so every query thread shares it without a lock.
public final class PresignedAnswers: Sendable {
    public let window: SignatureWindow?
    /// The zone set it was built for (by identity).
    public let zones: ZoneSet?
    let signatures: [CanonicalKey: [UInt8]]
    /// The same signatures by where the signed sets are stored in `zones` and the owner
    /// they answer under: what the answer path looks up first, since it needs no
    /// canonical form. Sets not stored as-is (made per answer) are found by `signatures`.
    let stored: [StoredSetKey: [UInt8]]

    public static let empty = PresignedAnswers(window: nil, zones: nil, signatures: [:], stored: [:])

    init(window: SignatureWindow?, zones: ZoneSet?, signatures: [CanonicalKey: [UInt8]], stored: [StoredSetKey: [UInt8]]) {
        self.window = window
        self.zones = zones
        self.signatures = signatures
        self.stored = stored
    }

    public var count: Int { signatures.count }

    /// The RRSIG RDATA made ahead for the stored set `key` under `window`, after its length.
    @inline(__always)
    func signature(for key: StoredSetKey, window: SignatureWindow) -> [UInt8]? {
        guard window == self.window else { return nil }
        return stored[key]
    }

    /// The RRSIG RDATA made ahead for `canonical` under `window`, after its length.
    @inline(__always)
    func signature(for canonical: [UInt8], window: SignatureWindow) -> [UInt8]? {
        guard window == self.window else { return nil }
        return signatures[CanonicalKey(canonical)]
    }

    /// Signs every listable answer of the zones in `zones` that `keys` has a key for.
    ///
    /// Signatures `previous` made for the same window are taken over rather than made
    /// again: after a reload only the sets that changed cost a signature, so a large zone
    /// is current again in the time it takes to list it, not to sign it.
    public static func build(zones: ZoneSet, keys: ZoneKeys, window: SignatureWindow,
                             previous: PresignedAnswers? = nil) -> PresignedAnswers {
        let reusable = previous?.window == window ? previous?.signatures ?? [:] : [:]
        var signatures: [CanonicalKey: [UInt8]] = [:]
        var stored: [StoredSetKey: [UInt8]] = [:]
        func sign(_ owner: DomainName, _ set: RRSet, by key: ZoneSigningKey) {
            let place = StoredSetKey(owner: owner, type: set.type, ttl: set.ttl, data: set.data)
            guard stored[place] == nil else { return }
            let canonical = CanonicalRRSet.octets(owner: owner, type: set.type, ttl: set.ttl, data: set.data)
            let slot = CanonicalKey(canonical)
            if let made = signatures[slot] ?? reusable[slot].flatMap({ Self.isSigned($0, by: key) ? $0 : nil }) {
                signatures[slot] = made
                stored[place] = made
                return
            }
            let made = RecordDataBytes.single(key.rrsig(type: set.type, owner: owner, ttl: set.ttl, canonical: canonical,
                                                        window: window)).storage
            signatures[slot] = made
            stored[place] = made
        }
        for zone in zones.zones {
            guard let key = keys.signer(forApex: zone.origin)?.key else { continue }
            sign(zone.origin, zone.negativeSOASet, by: key)
            sign(zone.origin, RRSet(type: .dnskey, ttl: ZoneSigningKey.dnskeyTTL, data: .single(key.dnskeyData)), by: key)
            for node in zone.trie.nodes {
                // At or below a cut only the parent-side DS is ours to sign; wildcard
                // answers are signed under each query name.
                if node.cut >= 0 && !node.isDelegation { continue }
                let owner = node.name
                if owner.isWildcard { continue }
                for set in node.rrsets where !node.isDelegation || set.type == .ds {
                    sign(owner, set, by: key)
                }
                if node.isDelegation {
                    if node.rrset(.ds) == nil {
                        sign(owner, RRSet(type: .nsec, ttl: zone.negativeSOASet.ttl,
                                          data: .single(CompactDenial.nsecData(owner: owner, types: [.ns, .rrsig, .nsec]))), by: key)
                    }
                    continue
                }
                for group in node.groups {
                    for member in group.sets {
                        switch member.content {
                        case .records(let set):
                            sign(owner, set, by: key)
                        case .alias(let target):
                            for type in [RecordType.a, .aaaa] {
                                for set in aliasSets(target, type: type, zones: zones, depth: 0) { sign(owner, set, by: key) }
                            }
                        }
                    }
                }
            }
        }
        return PresignedAnswers(window: window, zones: zones, signatures: signatures, stored: stored)
    }

    /// Whether RRSIG RDATA (after its length) is `key`'s: its key tag and signer name. A
    /// set can move to another zone across a reload (a child zone added) and keep its
    /// canonical octets.
    static func isSigned(_ rrsig: [UInt8], by key: ZoneSigningKey) -> Bool {
        // Length 2, then type covered 2, algorithm 1, labels 1, TTL 4, expiration 4, inception 4.
        let tagAt = 2 + 16
        let signer = key.zone.wire
        guard rrsig.count >= tagAt + 2 + signer.count,
              UInt16(rrsig[tagAt]) << 8 | UInt16(rrsig[tagAt + 1]) == key.keyTag else { return false }
        return rrsig[(tagAt + 2)..<(tagAt + 2 + signer.count)].elementsEqual(signer)
    }

    /// Every RRset of `type` an ALIAS to `target` can answer with, whatever health picks.
    static func aliasSets(_ target: DomainName, type: RecordType, zones: ZoneSet, depth: Int) -> [RRSet] {
        guard depth < Authority.maximumChain, let (node, _) = AnswerState.node(target, in: zones) else { return [] }
        if let set = node.rrset(type) { return [set] }
        guard let group = node.group(answering: type), group.type == type || group.type == nil else { return [] }
        var result: [RRSet] = []
        for member in group.sets {
            switch member.content {
            case .records(let set) where set.type == type: result.append(set)
            case .records: break
            case .alias(let next): result += aliasSets(next, type: type, zones: zones, depth: depth + 1)
            }
        }
        return result
    }
}

/// Where the current `PresignedAnswers` is published.
public typealias PresignedAnswersStore = SnapshotStore<PresignedAnswers>

extension PresignedAnswersStore {
    /// Builds and publishes the signatures for `zones` when they are not those of the
    /// current table or its window has passed; returns whether it did.
    @discardableResult
    public func refresh(zones: ZoneSet, keys: ZoneKeys, now: UInt32) -> Bool {
        let window = SignatureWindow(now: now)
        let held = current
        if held.zones === zones && held.window == window { return false }
        replace(PresignedAnswers.build(zones: zones, keys: keys, window: window, previous: held))
        return true
    }
}
