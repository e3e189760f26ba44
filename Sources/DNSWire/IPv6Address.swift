/// An IPv6 address as two 64-bit halves in host order, so prefix tests are shifts.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From 16 network-order bytes.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 16)
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        high = h
        low = l
    }

    /// Parses RFC 4291 §2.2 text: eight groups, `::` once, an embedded dotted quad at the end.
    public init?(_ text: some StringProtocol) {
        self.init(presentation: Array(text.utf8))
    }

    /// The same from bytes (the zone parser's form), without building a string.
    public init?(presentation text: [UInt8]) {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        head.reserveCapacity(8)
        var sawGap = false
        var group: UInt32 = 0
        var digits = 0
        var groupStart = 0
        var i = 0
        func append(_ value: UInt16) {
            if sawGap { tail.append(value) } else { head.append(value) }
        }
        while i < text.count {
            let b = text[i]
            if b == UInt8(ascii: ".") {
                // An IPv4 address ends the text: it fills the last two groups.
                guard let v4 = IPv4Address(presentation: Array(text[groupStart...])) else { return nil }
                append(UInt16(v4.value >> 16))
                append(UInt16(v4.value & 0xFFFF))
                digits = 0
                i = text.count
                break
            }
            if b == UInt8(ascii: ":") {
                if i + 1 < text.count && text[i + 1] == UInt8(ascii: ":") {
                    guard !sawGap else { return nil }
                    if digits > 0 { head.append(UInt16(group)) } else if i != 0 { return nil }
                    sawGap = true
                    group = 0
                    digits = 0
                    i += 2
                    groupStart = i
                    continue
                }
                guard digits > 0, i + 1 < text.count else { return nil }
                append(UInt16(group))
                group = 0
                digits = 0
                i += 1
                groupStart = i
                continue
            }
            guard let v = IPv6Address.hexValue(b), digits < 4 else { return nil }
            group = group << 4 | v
            digits += 1
            i += 1
        }
        if digits > 0 { append(UInt16(group)) }
        let groups: [UInt16]
        if sawGap {
            guard head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard head.count == 8 else { return nil }
            groups = head
        }
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (k, g) in groups.enumerated() {
            if k < 4 { h = h << 16 | UInt64(g) } else { l = l << 16 | UInt64(g) }
        }
        self.init(high: h, low: l)
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return out
    }

    var groups: [UInt16] {
        (0..<8).map { i in
            let half = i < 4 ? high : low
            return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (i % 4)))
        }
    }

    /// RFC 5952 text: lower-case hex, longest run (≥2) of zero groups as `::`, and the
    /// IPv4-mapped form `::ffff:a.b.c.d` as inet_ntop prints it.
    public var description: String {
        let g = groups
        if high == 0 && low >> 32 == 0xFFFF {
            return "::ffff:" + IPv4Address(UInt32(truncatingIfNeeded: low)).description
        }
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            range.map { String(g[$0], radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
