import DNSWire

/// A signed zone: its key and its budget of fresh signatures per second.
public final class ZoneSigner: Sendable {
    public let key: ZoneSigningKey
    public let rateCap: SignatureRateCap

    public init(key: ZoneSigningKey, signaturesPerSecond: Int) {
        self.key = key
        self.rateCap = SignatureRateCap(perSecond: signaturesPerSecond)
    }
}

/// The zones this server signs (`--dnssec-keys`), by apex: fixed when the server starts.
public struct ZoneKeys: Sendable {
    /// The default budget of fresh signatures per second per zone.
    public static let defaultSignaturesPerSecond = 5_000

    let signers: [DomainName: ZoneSigner]

    public init(_ keys: [ZoneSigningKey], signaturesPerSecond: Int = Self.defaultSignaturesPerSecond) {
        var signers: [DomainName: ZoneSigner] = [:]
        for key in keys { signers[key.zone] = ZoneSigner(key: key, signaturesPerSecond: signaturesPerSecond) }
        self.signers = signers
    }

    public var isEmpty: Bool { signers.isEmpty }
    /// The signed zones' apexes, sorted.
    public var zones: [DomainName] { signers.keys.sorted() }

    /// The signer of the zone whose apex is `origin`.
    @inline(__always)
    public func signer(forApex origin: DomainName) -> ZoneSigner? { signers[origin] }
}
