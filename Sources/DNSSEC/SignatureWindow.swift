/// The inception and expiration written into every RRSIG: the start of the current UTC day
/// less an hour (for clocks running behind) and fourteen days after that day starts. Every
/// server of the set signs the same window all day, so a signature is the same data
/// wherever it is made, and a cached one stays good for two weeks after the day ends.
public struct SignatureWindow: Hashable, Sendable {
    public static let day: UInt32 = 86_400
    public static let validity: UInt32 = 14 * 86_400
    public static let backdating: UInt32 = 3_600

    public let inception: UInt32
    public let expiration: UInt32

    /// The window for the UTC day holding `now` (seconds since 1970).
    public init(now: UInt32) {
        let dayStart = now - now % Self.day
        inception = dayStart - Self.backdating
        expiration = dayStart + Self.validity
    }
}
