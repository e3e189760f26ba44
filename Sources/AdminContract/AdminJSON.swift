import Foundation

/// The JSON shapes of the admin API (SPEC §4, §6), shared by the server and the CLI so
/// both sides read and write one contract, kept apart from the domain types so the wire
/// format changes only on purpose.
///
/// Every optional field is written as an explicit `null` when unset (SPEC §4: every field
/// present), and read back from either `null` or an absent key, so an older or newer peer
/// still decodes. Dates are ISO 8601 in whole seconds, as the server has always written them.
public enum AdminJSON {
    /// The encoder both sides use: ISO 8601 dates.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The decoder both sides use: ISO 8601 dates.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
