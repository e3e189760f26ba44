extension MMDBDecoder {
    /// Decodes the whole value at absolute `offset`, following pointers.
    func value(at offset: Int) throws(MMDBError) -> MMDBValue {
        var budget = Self.maxValuesPerRecord
        return try value(at: offset, depth: 0, budget: &budget).value
    }

    /// The value at `offset` and the absolute offset just past it (past the pointer
    /// itself when the value was reached through one).
    private func value(at offset: Int, depth: Int, budget: inout Int) throws(MMDBError) -> (value: MMDBValue, next: Int) {
        guard depth <= Self.maxDepth else { throw .nestingTooDeep(offset: offset) }
        budget -= 1
        guard budget >= 0 else { throw .recordTooLarge(offset: offset) }
        let first = try field(at: offset)
        if first.kind == .pointer {
            let target = try resolvedField(at: offset)
            let decoded = try value(of: target, depth: depth + 1, budget: &budget)
            return (decoded.value, first.payload)
        }
        return try value(of: first, depth: depth, budget: &budget)
    }

    private func value(of field: Field, depth: Int, budget: inout Int) throws(MMDBError) -> (value: MMDBValue, next: Int) {
        switch field.kind {
        case .string:
            return (.string(try string(field)), field.payload + field.size)
        case .double:
            return (.double(try double(field)), field.payload + 8)
        case .float:
            return (.float(try float(field)), field.payload + 4)
        case .bytes:
            let range = try payloadRange(field)
            return (.bytes(Array(bytes[range])), range.upperBound)
        case .uint16:
            return (.uint16(UInt16(try unsigned(field, maxBytes: 2))), field.payload + field.size)
        case .uint32:
            return (.uint32(UInt32(try unsigned(field, maxBytes: 4))), field.payload + field.size)
        case .int32:
            // Fewer than four bytes are zero-extended, so only a full-width value can be negative.
            let bits = UInt32(try unsigned(field, maxBytes: 4))
            return (.int32(Int32(bitPattern: bits)), field.payload + field.size)
        case .uint64:
            return (.uint64(try unsigned(field, maxBytes: 8)), field.payload + field.size)
        case .uint128:
            return (try uint128(field), field.payload + field.size)
        case .boolean:
            guard field.size <= 1 else { throw .invalidSize(offset: field.start, type: "boolean", size: field.size) }
            return (.bool(field.size == 1), field.payload)
        case .map:
            return try map(field, depth: depth, budget: &budget)
        case .array:
            return try array(field, depth: depth, budget: &budget)
        case .pointer:
            throw .pointerToPointer(offset: field.start)
        case .dataCacheContainer, .endMarker:
            throw .unexpectedType(offset: field.start, type: field.kind.name)
        }
    }

    private func uint128(_ field: Field) throws(MMDBError) -> MMDBValue {
        guard field.size <= 16 else { throw .invalidSize(offset: field.start, type: "uint128", size: field.size) }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in try payloadRange(field) {
            high = high << 8 | low >> 56
            low = low << 8 | UInt64(bytes[i])
        }
        return .uint128(high: high, low: low)
    }

    private func map(_ field: Field, depth: Int, budget: inout Int) throws(MMDBError) -> (value: MMDBValue, next: Int) {
        // Each pair takes at least two bytes: refuse a count the section cannot hold
        // before reserving room for it.
        guard field.size <= (sectionEnd - field.payload) / 2 else { throw .truncatedField(offset: field.start) }
        var result: [String: MMDBValue] = [:]
        result.reserveCapacity(field.size)
        var cursor = field.payload
        for _ in 0..<field.size {
            let keyField = try resolvedField(at: cursor)
            let key = try string(keyField)
            cursor = try skip(at: cursor, depth: depth + 1)
            let entry = try value(at: cursor, depth: depth + 1, budget: &budget)
            result[key] = entry.value
            cursor = entry.next
        }
        return (.map(result), cursor)
    }

    private func array(_ field: Field, depth: Int, budget: inout Int) throws(MMDBError) -> (value: MMDBValue, next: Int) {
        guard field.size <= sectionEnd - field.payload else { throw .truncatedField(offset: field.start) }
        var result: [MMDBValue] = []
        result.reserveCapacity(field.size)
        var cursor = field.payload
        for _ in 0..<field.size {
            let element = try value(at: cursor, depth: depth + 1, budget: &budget)
            result.append(element.value)
            cursor = element.next
        }
        return (.array(result), cursor)
    }
}
