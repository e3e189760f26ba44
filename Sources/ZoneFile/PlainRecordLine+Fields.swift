import DNSWire

/// The fields of a plain record line, read from the file's bytes under the rules of the
/// general path (`DomainName(presentation:origin:)`, `IPv4Address(presentation:)`,
/// `IPv6Address(presentation:)`, `PresentationReader.integer`); nil declines the line.
extension PlainRecordLine {

    /// The owner, from the memo when the line spells it as the previous one did.
    mutating func ownerName(_ span: Span, origin: DomainName) -> DomainName? {
        if let memo, memo.span.count == span.count, sameText(memo.span, span), PlainRecordLine.same(memo.origin, origin.wire) {
            return memo.name
        }
        guard let name = name(span, origin: origin) else { return nil }
        memo = OwnerMemo(span: span, origin: origin.wire, name: name)
        return name
    }

    /// Byte-for-byte equality (case counts: the name keeps the case it was written in).
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
    }

    func sameText(_ a: Span, _ b: Span) -> Bool {
        for k in 0..<a.count where bytes[a.start + k] != bytes[b.start + k] { return false }
        return true
    }

    /// A name without escapes: `@`, or labels of 1–63 octets, absolute with a final dot or
    /// completed with `origin`, at most 255 octets in wire form.
    func name(_ span: Span, origin: DomainName) -> DomainName? {
        let count = span.count
        if count == 1 && bytes[span.start] == UInt8(ascii: "@") { return origin }
        if count == 1 && bytes[span.start] == UInt8(ascii: ".") { return .root }
        let absolute = bytes[span.end - 1] == UInt8(ascii: ".")
        let length = absolute ? count + 1 : count + 1 + origin.wire.count
        guard length <= 255 else { return nil }
        // First check the labels, so the building below cannot fail half-way.
        var labelLength = 0
        for i in span.start..<span.end {
            if bytes[i] == UInt8(ascii: ".") {
                guard labelLength > 0, labelLength <= 63 else { return nil }
                labelLength = 0
            } else {
                labelLength += 1
            }
        }
        guard absolute || (labelLength > 0 && labelLength <= 63) else { return nil }
        var wire = [UInt8](repeating: 0, count: length)
        wire.withUnsafeMutableBufferPointer { out in
            var labelStart = 0
            var o = 1
            for i in span.start..<span.end {
                let c = bytes[i]
                if c == UInt8(ascii: ".") {
                    out[labelStart] = UInt8(o - labelStart - 1)
                    labelStart = o
                } else {
                    out[o] = c
                }
                o += 1
            }
            // Absolute: the final dot left the root label's zero in place.
            if !absolute {
                out[labelStart] = UInt8(o - labelStart - 1)
                for byte in origin.wire {
                    out[o] = byte
                    o += 1
                }
            }
        }
        return DomainName(uncheckedWire: wire)
    }

    /// Decimal seconds only (no units), at most 2^31−1 as RFC 2181 §8 allows.
    func plainSeconds(_ span: Span) -> UInt32? {
        guard span.count <= 10 else { return nil }
        var value: UInt64 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(b - UInt8(ascii: "0"))
        }
        return value <= UInt64(Int32.max) ? UInt32(value) : nil
    }

    /// A 16-bit decimal integer (MX preference), leading zeros allowed as the general path allows them.
    func uint16(_ span: Span) -> UInt16? {
        var value: UInt32 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt32(b - UInt8(ascii: "0"))
            guard value <= UInt32(UInt16.max) else { return nil }
        }
        return UInt16(value)
    }

    /// Dotted-quad with exactly four parts of 0–255 and no leading zeros.
    func ipv4(_ span: Span) -> IPv4Address? {
        IPv4Address(presentation: bytes[span.start..<span.end])
    }

    /// RFC 4291 §2.2 text of hex groups with at most one `::` and no embedded IPv4 (nil
    /// for anything else, which `IPv6Address(presentation:)` then decides), read without
    /// building arrays.
    func ipv6(_ span: Span) -> IPv6Address? {
        guard span.count >= 2, span.count <= 39 else { return nil }
        var head = SIMD8<UInt16>()
        var tail = SIMD8<UInt16>()
        var headCount = 0
        var tailCount = 0
        var sawGap = false
        var group: UInt32 = 0
        var digits = 0
        var i = span.start
        @inline(__always) func append(_ value: UInt16) -> Bool {
            if sawGap {
                guard tailCount < 8 else { return false }
                tail[tailCount] = value
                tailCount += 1
            } else {
                guard headCount < 8 else { return false }
                head[headCount] = value
                headCount += 1
            }
            return true
        }
        while i < span.end {
            let b = bytes[i]
            if b == UInt8(ascii: ":") {
                if i + 1 < span.end && bytes[i + 1] == UInt8(ascii: ":") {
                    guard !sawGap else { return nil }
                    if digits > 0 { guard append(UInt16(group)) else { return nil } } else if i != span.start { return nil }
                    sawGap = true
                    group = 0
                    digits = 0
                    i += 2
                    continue
                }
                guard digits > 0, i + 1 < span.end, append(UInt16(group)) else { return nil }
                group = 0
                digits = 0
                i += 1
                continue
            }
            let v: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digits < 4 else { return nil }
            group = group << 4 | v
            digits += 1
            i += 1
        }
        if digits > 0 { guard append(UInt16(group)) else { return nil } }
        var groups = SIMD8<UInt16>()
        if sawGap {
            guard headCount + tailCount <= 7 else { return nil }
            for k in 0..<headCount { groups[k] = head[k] }
            for k in 0..<tailCount { groups[8 - tailCount + k] = tail[k] }
        } else {
            guard headCount == 8 else { return nil }
            groups = head
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for k in 0..<4 { high = high << 16 | UInt64(groups[k]) }
        for k in 4..<8 { low = low << 16 | UInt64(groups[k]) }
        return IPv6Address(high: high, low: low)
    }

    /// The types this path reads, any case, with their mnemonics.
    func plainType(_ span: Span) -> (RecordType, String)? {
        guard span.count <= 5 else { return nil }
        var packed: UInt64 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            packed = packed << 8 | UInt64(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b)
        }
        switch packed {
        case 0x41: return (.a, "A")
        case 0x4141_4141: return (.aaaa, "AAAA")
        case 0x4E53: return (.ns, "NS")
        case 0x43_4E41_4D45: return (.cname, "CNAME")
        case 0x50_5452: return (.ptr, "PTR")
        case 0x4D58: return (.mx, "MX")
        case 0x54_5854: return (.txt, "TXT")
        default: return nil
        }
    }
}
