import DNSWire

extension ZoneSigningKey {
    /// The RRSIG RDATA over an RRset given in canonical form (RFC 4034 §3.1): type covered,
    /// algorithm, labels, original TTL, the window, key tag, signer and signature.
    ///
    /// `labels` counts the owner's labels without a leading `*` (§3.1.3). A wildcard answer
    /// is signed under the query name it was synthesised for, as online signers do, so its
    /// label count is the query name's and a validator needs no proof that the name does
    /// not exist.
    public func rrsig(type: RecordType, owner: DomainName, ttl: UInt32, canonical: [UInt8], window: SignatureWindow) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(18 + zone.wire.count + 64)
        CanonicalRRSet.append16(type.rawValue, &header)
        header.append(Self.algorithm)
        header.append(UInt8(owner.labelCount - (owner.isWildcard ? 1 : 0)))
        CanonicalRRSet.append32(ttl, &header)
        CanonicalRRSet.append32(window.expiration, &header)
        CanonicalRRSet.append32(window.inception, &header)
        CanonicalRRSet.append16(keyTag, &header)
        header.append(contentsOf: zone.wire)
        let signature = sign(header + canonical)
        return header + signature
    }

    /// The RRSIG RDATA over records of `type` at `owner` (stored RDATA).
    public func rrsig(owner: DomainName, type: RecordType, ttl: UInt32, data: RecordDataBytes, window: SignatureWindow) -> [UInt8] {
        rrsig(type: type, owner: owner, ttl: ttl,
              canonical: CanonicalRRSet.octets(owner: owner, type: type, ttl: ttl, data: data), window: window)
    }
}
