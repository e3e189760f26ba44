/// Key ranges in etcd's terms: a range is [key, rangeEnd), and a prefix is the range up to
/// the prefix with its last byte raised by one.
enum EtcdKeyRange {
    /// The end of the range of keys starting with `prefix`: its last byte below 0xFF plus
    /// one, bytes after it dropped. A prefix of only 0xFF bytes (or none) has no upper
    /// bound, which etcd spells as a single zero byte.
    static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }

    /// The key and range end of a prefix read: the empty prefix means every key, which
    /// etcd spells as key and end both a single zero byte.
    static func prefix(_ prefix: String) -> (key: [UInt8], end: [UInt8]) {
        let bytes = Array(prefix.utf8)
        return (bytes.isEmpty ? [0] : bytes, prefixEnd(bytes))
    }
}
