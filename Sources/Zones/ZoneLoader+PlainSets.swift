import DNSWire
import ZoneFile

/// The plain RRsets of a zone as they are frozen: entries per node and the one byte arena
/// of their record data.
struct FrozenSets {
    var setStarts: [UInt32]
    var sets: [StoredRRSet] = []
    var data: [UInt8] = []
    /// Records kept (duplicates are not).
    var recordCount = 0

    /// Room is reserved (address space, not memory, until written) for a set per record,
    /// so no big array is copied as it grows.
    init(nodeCount: Int, records: Int, dataBytes: Int) {
        setStarts = [0]
        setStarts.reserveCapacity(nodeCount + 1)
        sets.reserveCapacity(records)
        data.reserveCapacity(dataBytes)
    }

    func firstRecord(of set: StoredRRSet) -> RData? {
        RecordDataBytes(storage: data, start: Int(set.start), end: Int(set.end), count: Int(set.count)).first(of: RecordType(set.type))
    }
}

/// The pending records grouped by node, in file order within each node: node `i`'s are
/// `order[starts[i]..<starts[i + 1]]` (indices into `pending`).
struct RecordsByNode {
    var starts: [UInt32]
    var order: [UInt32]
}

extension ZoneBuildState {
    /// A counting sort of the pending records by node: linear, and stable, so each set's
    /// records stay in the order they were written.
    func recordsByNode() -> RecordsByNode {
        var starts = [UInt32](repeating: 0, count: table.count + 1)
        for record in pending { starts[Int(record.node) + 1] += 1 }
        for i in 0..<table.count { starts[i + 1] += starts[i] }
        var fill = starts
        var order = [UInt32](repeating: 0, count: pending.count)
        for (i, record) in pending.enumerated() {
            let node = Int(record.node)
            order[Int(fill[node])] = UInt32(i)
            fill[node] += 1
        }
        return RecordsByNode(starts: starts, order: order)
    }

    /// Freezes the plain records of `node` (`order[start..<end]`) into RRsets: one per type
    /// in type order, duplicates dropped, a second SOA or CNAME refused, a differing TTL
    /// warned about (the set keeps the first), and a set that could never fit a message
    /// refused. `types` gets each type and where its first record was written.
    mutating func addPlainSets(of node: Int32, records order: inout [UInt32], from start: Int, to end: Int,
                               into frozen: inout FrozenSets, types: inout [(type: RecordType, location: SourceLocation)]) {
        defer { frozen.setStarts.append(UInt32(frozen.sets.count)) }
        guard start < end else { return }
        if end - start > 1 {
            // By type, then file order: insertion sort for the usual handful, a sort beyond.
            if end - start <= 16 {
                for i in (start + 1)..<end {
                    let moving = order[i]
                    let key = pending[Int(moving)].type
                    var j = i
                    while j > start && pending[Int(order[j - 1])].type > key {
                        order[j] = order[j - 1]
                        j -= 1
                    }
                    order[j] = moving
                }
            } else {
                order[start..<end].sort { (pending[Int($0)].type, $0) < (pending[Int($1)].type, $1) }
            }
        }
        var runStart = start
        while runStart < end {
            let type = pending[Int(order[runStart])].type
            var runEnd = runStart + 1
            while runEnd < end && pending[Int(order[runEnd])].type == type { runEnd += 1 }
            addPlainSet(of: node, type: RecordType(type), records: order[runStart..<runEnd], into: &frozen, types: &types)
            runStart = runEnd
        }
    }

    mutating func addPlainSet(of node: Int32, type: RecordType, records: ArraySlice<UInt32>, into frozen: inout FrozenSets,
                              types: inout [(type: RecordType, location: SourceLocation)]) {
        let first = pending[Int(records.first!)]
        let firstLocation = location(of: first)
        types.append((type, firstLocation))
        let setStart = frozen.data.count
        var kept = 0
        var wireSize = 0
        for index in records {
            let record = pending[Int(index)]
            let dataStart = Int(record.dataStart)
            let dataEnd = dataStart + 2 + Int(record.dataLength)
            if kept > 0 && isDuplicate(pendingData[(dataStart + 2)..<dataEnd], of: frozen, from: setStart, kept: kept, type: type) { continue }
            if kept > 0 && type == .soa {
                error(location(of: record), "second SOA record at \(table.name(of: node)) (the first is on line \(first.line)); a zone has one SOA")
                continue
            }
            if kept > 0 && type == .cname {
                let target = RecordDataBytes(storage: frozen.data, start: setStart, end: frozen.data.count, count: 1).first(of: .cname)
                error(location(of: record), "second CNAME at \(table.name(of: node)) (to \(target?.presentation ?? "?") on line \(first.line)); a name has at most one CNAME")
                continue
            }
            if record.ttl != first.ttl {
                warning(location(of: record), "TTL \(record.ttl) differs from the \(type) set's TTL \(first.ttl) (line \(first.line)); using \(first.ttl) (RFC 2181 §5.2)")
            }
            frozen.data.append(contentsOf: pendingData[dataStart..<dataEnd])
            wireSize += 2 + 10 + Int(record.dataLength)
            kept += 1
        }
        frozen.recordCount += kept
        // A set is answered whole or not at all (RFC 2181 §5), so it must fit one message
        // of 65,535 octets with the header, the question and a compressed owner per record.
        let nameLength = Int(table.nameStarts[Int(node) + 1] - table.nameStarts[Int(node)])
        let size = 12 + (table.isWildcard(node) ? 255 : nameLength) + 4 + wireSize
        if size > 65535 {
            error(firstLocation, "\(table.name(of: node)) \(type) set of \(kept) record(s) needs \(size) bytes in a response with its header and question; a DNS message holds at most 65,535")
        }
        frozen.sets.append(StoredRRSet(type: type.rawValue, count: UInt16(clamping: kept), ttl: first.ttl,
                                       start: UInt32(setStart), end: UInt32(frozen.data.count)))
    }

    /// Whether the set being built (`frozen.data[setStart...]`, `kept` records) already
    /// holds `rdata` (RFC 2181 §5: a set holds each record once).
    func isDuplicate(_ rdata: ArraySlice<UInt8>, of frozen: FrozenSets, from setStart: Int, kept: Int, type: RecordType) -> Bool {
        let set = RecordDataBytes(storage: frozen.data, start: setStart, end: frozen.data.count, count: kept)
        return rdata.withUnsafeBytes { set.contains($0, type: type) }
    }
}

extension NameTableBuilder {
    /// Whether node `id` is a wildcard (`*` as its first label).
    func isWildcard(_ id: Int32) -> Bool {
        let start = Int(nameStarts[Int(id)])
        return nameStarts[Int(id) + 1] - nameStarts[Int(id)] >= 3 && nameBytes[start] == 1 && nameBytes[start + 1] == UInt8(ascii: "*")
    }
}
