import DNSWire
import ZoneFile

/// The plain RRsets of a zone as they are frozen: their entries, where each set's first
/// record was written (for messages, dropped with the build), and the one byte arena of
/// their record data.
struct FrozenSets {
    var sets: [StoredRRSet] = []
    var locations: [SetLocation] = []
    var data: [UInt8] = []
    /// Records kept (duplicates are not).
    var recordCount = 0

    /// Room is reserved (address space, not memory, until written) for the most sets and
    /// data a zone file can bring, so no big array is copied as it grows.
    mutating func reserve(sets count: Int, dataBytes: Int) {
        sets.reserveCapacity(count)
        locations.reserveCapacity(count)
        data.reserveCapacity(dataBytes)
    }

    func firstRecord(of set: StoredRRSet) -> RData? {
        RecordDataBytes(storage: data, start: Int(set.start), end: Int(set.end), count: Int(set.count)).first(of: RecordType(set.type))
    }
}

/// Where a frozen set's first record was written: an index into `ZoneBuildState.files`,
/// line and column.
struct SetLocation {
    var file: UInt16
    var line: UInt32
    var column: UInt32
}

extension ZoneBuildState {
    /// Whether `node`'s run has ended: its plain records are frozen.
    func isFrozen(_ node: Int32) -> Bool {
        Int(node) < nodeSetCounts.count && nodeSetCounts[Int(node)] > 0
    }

    /// Freezes the current run's records into the zone's RRsets.
    mutating func endRun() {
        guard runNode >= 0 else { return }
        freezePending(of: runNode)
        runNode = -1
    }

    /// Freezes `pending` (all records of `node`) and notes where its sets are.
    mutating func freezePending(of node: Int32) {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingData.removeAll(keepingCapacity: true)
        }
        guard !pending.isEmpty else { return }
        runOrder.removeAll(keepingCapacity: true)
        for i in 0..<UInt32(pending.count) { runOrder.append(i) }
        let start = frozen.sets.count
        addPlainSets(of: node)
        while nodeSetCounts.count <= Int(node) {
            nodeSetStarts.append(0)
            nodeSetCounts.append(0)
        }
        guard frozen.sets.count - start <= Int(UInt16.max) else {
            error(location(of: pending[0]), "\(table.name(of: node)) has more than \(UInt16.max) record types")
            return
        }
        nodeSetStarts[Int(node)] = UInt32(start)
        nodeSetCounts[Int(node)] = UInt16(frozen.sets.count - start)
    }

    /// Freezes `node`'s sets again with the records that came after its run ended
    /// (`late[indices]`, in file order): its frozen records, written first, then those.
    /// Its earlier entries are left unused.
    mutating func refreeze(_ node: Int32, late indices: ArraySlice<Int>) {
        pending.removeAll(keepingCapacity: true)
        pendingData.removeAll(keepingCapacity: true)
        let first = Int(nodeSetStarts[Int(node)])
        for k in first..<(first + Int(nodeSetCounts[Int(node)])) {
            let set = frozen.sets[k]
            let at = frozen.locations[k]
            var p = Int(set.start)
            while p < Int(set.end) {
                let length = Int(frozen.data[p]) << 8 | Int(frozen.data[p + 1])
                let start = pendingData.count
                pendingData.append(contentsOf: frozen.data[p..<(p + 2 + length)])
                pending.append(PendingRecord(node: node, type: set.type, file: at.file, ttl: set.ttl, line: at.line, column: at.column,
                                             dataStart: UInt32(start), dataLength: UInt16(length)))
                p += 2 + length
            }
            frozen.recordCount -= Int(set.count)
        }
        for index in indices {
            var record = late[index]
            let start = Int(record.dataStart)
            record.dataStart = UInt32(pendingData.count)
            pendingData.append(contentsOf: lateData[start..<(start + 2 + Int(record.dataLength))])
            pending.append(record)
        }
        nodeSetCounts[Int(node)] = 0
        freezePending(of: node)
    }

    /// The node's plain types and where each set's first record was written.
    func plainTypes(of node: Int) -> [(type: RecordType, location: SourceLocation)] {
        let start = Int(nodeSetStarts[node])
        return (start..<(start + Int(nodeSetCounts[node]))).map { k in
            let at = frozen.locations[k]
            return (RecordType(frozen.sets[k].type), SourceLocation(file: files[Int(at.file)], line: Int(at.line), column: Int(at.column)))
        }
    }

    /// Whether the node has a plain RRset of `type`.
    func hasPlain(_ type: RecordType, at node: Int) -> Bool {
        let start = Int(nodeSetStarts[node])
        return frozen.sets[start..<(start + Int(nodeSetCounts[node]))].contains { $0.type == type.rawValue }
    }

    /// Freezes the plain records of `node` (`pending`, through `runOrder`) into RRsets: one
    /// per type in type order, duplicates dropped, a second SOA or CNAME refused, a
    /// differing TTL warned about (the set keeps the first), and a set that could never
    /// fit a message refused.
    mutating func addPlainSets(of node: Int32) {
        let end = runOrder.count
        guard end > 0 else { return }
        if end > 1 {
            // By type, then file order: insertion sort for the usual handful, a sort beyond.
            if end <= 16 {
                for i in 1..<end {
                    let moving = runOrder[i]
                    let key = pending[Int(moving)].type
                    var j = i
                    while j > 0 && pending[Int(runOrder[j - 1])].type > key {
                        runOrder[j] = runOrder[j - 1]
                        j -= 1
                    }
                    runOrder[j] = moving
                }
            } else {
                let records = pending
                runOrder.sort { (records[Int($0)].type, $0) < (records[Int($1)].type, $1) }
            }
        }
        var runStart = 0
        while runStart < end {
            let type = pending[Int(runOrder[runStart])].type
            var runEnd = runStart + 1
            while runEnd < end && pending[Int(runOrder[runEnd])].type == type { runEnd += 1 }
            addPlainSet(of: node, type: RecordType(type), records: runStart..<runEnd)
            runStart = runEnd
        }
    }

    mutating func addPlainSet(of node: Int32, type: RecordType, records: Range<Int>) {
        let first = pending[Int(runOrder[records.lowerBound])]
        frozen.locations.append(SetLocation(file: first.file, line: first.line, column: first.column))
        let setStart = frozen.data.count
        var kept = 0
        var wireSize = 0
        for k in records {
            let record = pending[Int(runOrder[k])]
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
            error(location(of: first), "\(table.name(of: node)) \(type) set of \(kept) record(s) needs \(size) bytes in a response with its header and question; a DNS message holds at most 65,535")
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
