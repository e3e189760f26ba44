/// One decoded value from a MaxMind DB data section (or its metadata).
///
/// The cases are the format's value types; pointers are followed during decoding and
/// never appear. A 128-bit integer is kept as two halves so the type needs nothing
/// beyond the standard library on every platform.
public enum MMDBValue: Hashable, Sendable {
    case string(String)
    case double(Double)
    case bytes([UInt8])
    case uint16(UInt16)
    case uint32(UInt32)
    case map([String: MMDBValue])
    case int32(Int32)
    case uint64(UInt64)
    case uint128(high: UInt64, low: UInt64)
    case array([MMDBValue])
    case bool(Bool)
    case float(Float)

    /// The value under `key` when this is a map.
    public subscript(key: String) -> MMDBValue? {
        if case .map(let map) = self { return map[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> MMDBValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Any of the float and double cases, widened to `Double`.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .float(let f): return Double(f)
        default: return nil
        }
    }

    /// Any integer case whose value fits in an `Int`.
    public var intValue: Int? {
        switch self {
        case .uint16(let v): return Int(v)
        case .uint32(let v): return Int(exactly: v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .uint128(let high, let low): return high == 0 ? Int(exactly: low) : nil
        default: return nil
        }
    }

    public var mapValue: [String: MMDBValue]? {
        if case .map(let m) = self { return m }
        return nil
    }

    public var arrayValue: [MMDBValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
