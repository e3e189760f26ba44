import DNSWire

/// Compact denial of existence (RFC 9824): one NSEC at the denied name whose next name is
/// the name's immediate successor (`\000.name`), so it covers nothing else and can be
/// signed on the fly. A name that does not exist gets the NXNAME type in the bitmap and
/// is answered NOERROR, unless the client set the CO flag and so reads NXNAME itself.
public enum CompactDenial {
    /// The NXNAME meta type (RFC 9824 §2).
    public static let nxname = RecordType(128)

    /// The types a name that does not exist is denied with.
    public static let nonexistentTypes: [RecordType] = [.rrsig, .nsec, nxname]

    /// `\000.name`, or the name itself when it is too long to take another label.
    public static func successor(of name: DomainName) -> DomainName {
        (try? name.prepending(label: [0])) ?? name
    }

    /// NSEC RDATA at `owner`: the successor, then the type bitmap of `types`.
    public static func nsecData(owner: DomainName, types: [RecordType]) -> [UInt8] {
        successor(of: owner).wire + typeBitmap(types)
    }

    /// The NSEC type bitmap (RFC 4034 §4.1.2): per 256-type window, its number, its length
    /// and the bits, trailing zero octets left out.
    public static func typeBitmap(_ types: [RecordType]) -> [UInt8] {
        // Runs for every denial signed online: a sorted copy of a handful of values, no set.
        var values = types.map(\.rawValue)
        values.sort()
        var out: [UInt8] = []
        out.reserveCapacity(2 + 32)
        var index = 0
        while index < values.count {
            let window = values[index] >> 8
            let windowStart = out.count
            out.append(UInt8(window))
            out.append(0)
            while index < values.count && values[index] >> 8 == window {
                let low = Int(values[index] & 0xFF)
                let octet = windowStart + 2 + low / 8
                while out.count <= octet { out.append(0) }
                out[octet] |= 0x80 >> UInt8(low % 8)
                index += 1
            }
            out[windowStart + 1] = UInt8(out.count - windowStart - 2)
        }
        return out
    }
}
