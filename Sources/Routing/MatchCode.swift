/// Place codes (continents, countries, subdivisions) and CIDR location names packed into
/// one integer at load, so that matching a client against a group's sets compares
/// integers instead of hashing strings per query.
///
/// A code packs when its UTF-8 form has at most eight bytes (a subdivision: at most four
/// for its country and four for its code; every Route 53 code fits). A longer one packs
/// to nil, and the plan then matches that set by its name.
enum MatchCode {
    /// `text` as up to eight bytes, the first in the highest used byte; nil when longer
    /// or empty.
    @inline(__always)
    static func place(_ text: String) -> UInt64? {
        pack(text, limit: 8)
    }

    /// A country and a subdivision of it, four bytes each; nil when either is longer.
    @inline(__always)
    static func subdivision(country: String, code: String) -> UInt64? {
        guard let c = pack(country, limit: 4), let s = pack(code, limit: 4) else { return nil }
        return c << 32 | s
    }

    /// A 64-bit FNV-1a hash of `text`: what stands for a name too long to pack (equal
    /// hashes still have their names compared).
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return value
    }

    @inline(__always)
    static func pack(_ text: String, limit: Int) -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        for byte in text.utf8 {
            if count == limit { return nil }
            value = value << 8 | UInt64(byte)
            count += 1
        }
        return count == 0 ? nil : value
    }
}
