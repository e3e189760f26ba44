extension Zone {
    /// A 64-bit FNV-1a digest of the zone's canonical content (`canonicalLines`), as 16
    /// hex digits: the version fleet reports compare, so two instances serving the same
    /// serial with different records show as out of sync. Formatting, comments and record
    /// order in the file do not change it. Not a cryptographic hash: it detects mistakes,
    /// not forgeries.
    public func contentDigest() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        forEachCanonicalLine { line in
            for byte in line.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0x0A
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
