/// The location fields of a City-style record, as the database spells them.
struct MMDBLocationFields: Equatable {
    var continent: GeoCode?
    var country: GeoCode?
    var subdivision: GeoCode?
    var latitude: Double?
    var longitude: Double?
}

extension MMDBDecoder {
    // Key spellings of GeoLite2-City and DB-IP City Lite records.
    private static let continentKey = Array("continent".utf8)
    private static let codeKey = Array("code".utf8)
    private static let countryKey = Array("country".utf8)
    private static let isoCodeKey = Array("iso_code".utf8)
    private static let subdivisionsKey = Array("subdivisions".utf8)
    private static let locationKey = Array("location".utf8)
    private static let latitudeKey = Array("latitude".utf8)
    private static let longitudeKey = Array("longitude".utf8)

    /// Extracts `continent.code`, `country.iso_code`, `subdivisions[0].iso_code` and
    /// `location.latitude/longitude` from the record at `offset` without decoding the
    /// rest: names in a dozen languages are skipped, never turned into strings.
    ///
    /// A field of an unexpected shape (say, `location` that is not a map), or a code too
    /// long to be a `GeoCode`, counts as absent; only damage to the encoding itself is
    /// an error. No `String` is built: codes are packed straight from the bytes.
    func locationFields(at offset: Int) throws(MMDBError) -> MMDBLocationFields {
        var fields = MMDBLocationFields()
        let record = try resolvedField(at: offset)
        guard record.kind == .map else { return fields }
        try forEachEntry(of: record) { (key: Range<Int>, value: Int) throws(MMDBError) in
            if matches(key, Self.continentKey) {
                fields.continent = try codeEntry(Self.codeKey, inMapAt: value)
            } else if matches(key, Self.countryKey) {
                fields.country = try codeEntry(Self.isoCodeKey, inMapAt: value)
            } else if matches(key, Self.subdivisionsKey) {
                let list = try resolvedField(at: value)
                if list.kind == .array && list.size > 0 {
                    fields.subdivision = try codeEntry(Self.isoCodeKey, inMapAt: list.payload)
                }
            } else if matches(key, Self.locationKey) {
                let location = try resolvedField(at: value)
                guard location.kind == .map else { return }
                try forEachEntry(of: location) { (key: Range<Int>, value: Int) throws(MMDBError) in
                    if matches(key, Self.latitudeKey) {
                        fields.latitude = try number(at: value)
                    } else if matches(key, Self.longitudeKey) {
                        fields.longitude = try number(at: value)
                    }
                }
            }
        }
        return fields
    }

    /// Calls `body` with each key's byte range and the absolute offset of its value,
    /// skipping each value afterwards whether or not `body` looked at it.
    private func forEachEntry(
        of map: Field, _ body: (_ key: Range<Int>, _ value: Int) throws(MMDBError) -> Void
    ) throws(MMDBError) {
        var cursor = map.payload
        guard map.size <= (sectionEnd - cursor) / 2 else { throw .truncatedField(offset: map.start) }
        for _ in 0..<map.size {
            let keyField = try resolvedField(at: cursor)
            guard keyField.kind == .string else { throw .invalidString(offset: keyField.start) }
            let key = try payloadRange(keyField)
            let valueOffset = try skip(at: cursor)
            try body(key, valueOffset)
            cursor = try skip(at: valueOffset)
        }
    }

    private func matches(_ key: Range<Int>, _ expected: [UInt8]) -> Bool {
        key.count == expected.count && bytes[key].elementsEqual(expected)
    }

    /// The code under `key` in the map at `offset`; nil when either is missing, of
    /// another type, or not a valid code.
    private func codeEntry(_ key: [UInt8], inMapAt offset: Int) throws(MMDBError) -> GeoCode? {
        let map = try resolvedField(at: offset)
        guard map.kind == .map else { return nil }
        var found: GeoCode?
        var seen = false
        try forEachEntry(of: map) { (entryKey: Range<Int>, value: Int) throws(MMDBError) in
            guard !seen, matches(entryKey, key) else { return }
            seen = true
            let field = try resolvedField(at: value)
            if field.kind == .string { found = GeoCode(utf8: bytes[try payloadRange(field)]) }
        }
        return found
    }

    /// A double or float at `offset`, widened; nil for any other type.
    private func number(at offset: Int) throws(MMDBError) -> Double? {
        let field = try resolvedField(at: offset)
        switch field.kind {
        case .double: return try double(field)
        case .float: return Double(try float(field))
        default: return nil
        }
    }
}
