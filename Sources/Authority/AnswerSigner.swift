import DNSSEC
import DNSWire
import Zones

/// Adds DNSSEC to the answers of signed zones (SPEC §10): the DNSKEY set at the apex, an
/// RRSIG after every RRset of the answer and authority sections for a client that set DO,
/// and compact denial (RFC 9824) for names and types that do not exist. Routed answers
/// depend on the client and on health, so they are signed as they go out; each signature
/// is kept in a per-thread cache by the canonical RRset, so a routed name costs a
/// signature per set it can answer with, not per query. The additional section is left
/// unsigned (RFC 4035 §3.1.1 allows it; validators look addresses up themselves).
///
/// One per query thread: the cache needs no lock.
public struct AnswerSigner {
    public let keys: ZoneKeys
    public var cache: SignatureCache
    /// Fresh signatures made (cache misses), for tests and the benchmark.
    public private(set) var signaturesMade = 0

    /// Fresh signatures the shared pre-signed table saved (for tests and the benchmark).
    public private(set) var presignedHits = 0
    /// The table of signatures made ahead, and this thread's copy of its current value
    /// (re-read only when its generation moves: one atomic load per signed answer).
    let presignedStore: PresignedAnswersStore?
    var presigned = PresignedAnswers.empty
    var presignedGeneration: UInt64 = .max
    var lastZone: Zone?
    var lastSigner: ZoneSigner?

    public init(keys: ZoneKeys, cacheCapacity: Int = 20_000, presigned: PresignedAnswersStore? = nil) {
        self.keys = keys
        self.cache = SignatureCache(capacity: cacheCapacity)
        self.presignedStore = presigned
    }

    /// Whether the response to `query` may need this signer: the client set DO, or asked
    /// for DNSKEY (served with or without DO). One test on the query path otherwise.
    @inline(__always)
    public static func applies(to query: Query) -> Bool {
        query.question.type == .dnskey || (query.edns?.dnssecOK ?? false)
    }

    /// `response` as it goes to `query` from a signed zone; unchanged for other zones. `now`
    /// is seconds since 1970 (the signature window, and the second the fresh-signature
    /// budget counts in). A response whose signatures are over the zone's budget becomes
    /// SERVFAIL.
    public mutating func sign(_ response: Response, to query: Query, snapshot: Authority.Snapshot, now: UInt32) -> Response {
        guard let zone = response.zone else { return response }
        // The last zone's signer is kept (and the zone with it, so it is never another
        // zone at a reused address): most answers come from one zone, and looking the
        // apex up hashes it octet by octet.
        if zone !== lastZone {
            lastZone = zone
            lastSigner = keys.signer(forApex: zone.origin)
        }
        guard let signer = lastSigner else { return response }
        var response = response
        let question = query.question
        if question.type == .dnskey && question.name == zone.origin && response.answer.isEmpty && response.rcode == .noError {
            response.answer = [ResponseRRSet(owner: question.name, type: .dnskey, ttl: ZoneSigningKey.dnskeyTTL,
                                             data: .single(signer.key.dnskeyData))]
            response.authority = []
            response.additional = []
            response.requiredGlue = 0
        }
        guard let edns = query.edns, edns.dnssecOK else { return response }
        if let presignedStore, presignedStore.generation != presignedGeneration {
            presignedGeneration = presignedStore.generation
            presigned = presignedStore.current
        }
        let context = SigningContext(snapshot: snapshot, zone: zone, zoneSigner: signer, question: question,
                                     window: SignatureWindow(now: now), second: now)
        return run(response, compactOK: edns.compactOK, context) ?? Self.serverFailure(response)
    }

    static func serverFailure(_ response: Response) -> Response {
        var failure = Response(rcode: .servFail, authoritative: false, zone: response.zone)
        failure.clientSubnetScope = response.clientSubnetScope
        return failure
    }

    /// The RRSIG set over `set`, from the cache or made now; nil when the zone's budget of
    /// fresh signatures for this second is spent.
    mutating func rrsig(over set: ResponseRRSet, by zoneSigner: ZoneSigner, window: SignatureWindow, second: UInt32) -> ResponseRRSet? {
        // A set answered as the zone stores it is found by where it is stored, without
        // building its canonical form.
        if let ahead = presigned.signature(for: StoredSetKey(owner: set.owner, type: set.type, ttl: set.ttl, data: set.data),
                                           window: window) {
            presignedHits += 1
            return ResponseRRSet(owner: set.owner, type: .rrsig, ttl: set.ttl,
                                 data: RecordDataBytes(storage: ahead, start: 0, end: ahead.count, count: 1))
        }
        let canonical = CanonicalRRSet.octets(owner: set.owner, type: set.type, ttl: set.ttl, data: set.data)
        // Both tables hold the RDATA after its length, as a response set stores it.
        let stored: [UInt8]
        if let ahead = presigned.signature(for: canonical, window: window) {
            stored = ahead
            presignedHits += 1
        } else if let cached = cache.signature(for: canonical, window: window) {
            stored = cached
        } else {
            guard zoneSigner.rateCap.admit(second: second) else { return nil }
            stored = RecordDataBytes.single(zoneSigner.key.rrsig(type: set.type, owner: set.owner, ttl: set.ttl, canonical: canonical,
                                                                 window: window)).storage
            cache.insert(stored, for: canonical, window: window)
            signaturesMade += 1
        }
        return ResponseRRSet(owner: set.owner, type: .rrsig, ttl: set.ttl,
                             data: RecordDataBytes(storage: stored, start: 0, end: stored.count, count: 1))
    }
}

extension RecordDataBytes {
    /// One record's RDATA in storage of its own.
    static func single(_ rdata: [UInt8]) -> RecordDataBytes {
        var bytes: [UInt8] = [UInt8(rdata.count >> 8), UInt8(truncatingIfNeeded: rdata.count)]
        bytes.append(contentsOf: rdata)
        return RecordDataBytes(storage: bytes, start: 0, end: bytes.count, count: 1)
    }
}

extension ResponseRRSet {
    init(owner: DomainName, type: RecordType, ttl: UInt32, data: RecordDataBytes) {
        self.init(owner: owner, RRSet(type: type, ttl: ttl, data: data))
    }
}
