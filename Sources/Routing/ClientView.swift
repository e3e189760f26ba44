import DNSWire

/// The client as one query's routing decisions see it: the context, the locator, and the
/// CIDR collections, with the lookups done at most once per query and the ECS scope the
/// decisions depended on accumulated as they are made.
public struct ClientView {
    public let context: ClientContext
    public let locator: any ClientLocator
    public let collections: [String: PrefixTable<String>]
    /// The largest prefix length any decision so far depended on (0: none did).
    public private(set) var scope: UInt8 = 0
    var cachedLocation: (location: ClientLocation?, scope: UInt8)?

    public init(context: ClientContext, locator: any ClientLocator = NoLocator(), collections: [String: PrefixTable<String>] = [:]) {
        self.context = context
        self.locator = locator
        self.collections = collections
    }

    /// Marks that the answer depends on the first `bits` bits of the client's address.
    public mutating func depend(on bits: UInt8) {
        scope = max(scope, bits)
    }

    /// The client's location (looked up once per query).
    public mutating func location() -> ClientLocation? {
        let result = located()
        depend(on: result.scope)
        return result.location
    }

    @discardableResult
    mutating func located() -> (location: ClientLocation?, scope: UInt8) {
        if cachedLocation == nil { cachedLocation = locator.locate(context.prefix) }
        return cachedLocation!
    }

    public mutating func latencies(to regions: LatencyRegions) -> [Double?] {
        let result = locator.latencies(context.prefix, location: located(), regions: regions)
        depend(on: result.scope)
        return result.milliseconds
    }

    /// Values in the order of `latencies(to:)`, written into `ranks` (see
    /// `ClientLocator.rankLatencies`): what a decision compares, without allocating.
    public mutating func rankLatencies(to regions: LatencyRegions, into ranks: UnsafeMutableBufferPointer<Double?>) {
        depend(on: locator.rankLatencies(context.prefix, location: located(), regions: regions, into: ranks))
    }

    /// The location of the client in a CIDR collection (nil: no block contains it).
    public mutating func cidrLocation(in collection: String) -> String? {
        guard let table = collections[collection] else { return nil }
        let result = table.lookup(context.prefix)
        depend(on: result.scope)
        return result.value
    }
}
