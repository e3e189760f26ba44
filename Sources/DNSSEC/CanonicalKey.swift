/// Canonical RRset octets as a dictionary key, hashed as one block of bytes (an array of
/// bytes hashes octet by octet, which showed in profiles of signed answers).
public struct CanonicalKey: Hashable, Sendable {
    public let octets: [UInt8]

    @inline(__always)
    public init(_ octets: [UInt8]) { self.octets = octets }

    public func hash(into hasher: inout Hasher) {
        octets.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
