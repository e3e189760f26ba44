import DNSWire
import NIOCore

/// What the answer to a benchmark query must look like, so the benchmark only counts
/// answers that are right (a broken lookup that answers fast must not look like a win).
public enum ExpectedAnswer: UInt8, Sendable, CaseIterable {
    /// NOERROR with records in the answer section (hosts, CNAMEs, wildcards, routed names).
    case answer
    /// NOERROR, authoritative, no answer (an existing name without the type).
    case nodata
    /// NOERROR, not authoritative, no answer, name servers in the authority section.
    case referral
    /// NXDOMAIN.
    case nxdomain

    /// Whether `response` (a whole DNS message) is of this kind.
    public func matches(_ response: ByteBuffer) -> Bool {
        guard let flags = response.getInteger(at: response.readerIndex + 2, as: UInt16.self),
              let answers = response.getInteger(at: response.readerIndex + 6, as: UInt16.self),
              let authority = response.getInteger(at: response.readerIndex + 8, as: UInt16.self) else { return false }
        let rcode = flags & 0x000F
        let authoritative = flags & 0x0400 != 0
        switch self {
        case .answer: return rcode == 0 && answers > 0
        case .nodata: return rcode == 0 && answers == 0 && authoritative
        case .referral: return rcode == 0 && answers == 0 && !authoritative && authority > 0
        case .nxdomain: return rcode == 3
        }
    }
}

/// Benchmark queries as wire messages in one buffer (slices of it are handed to the
/// engine, so the timed loop allocates nothing for requests), with what each must get.
public struct QueryList: Sendable {
    public private(set) var messages: ByteBuffer
    var starts: [Int32] = [0]
    public private(set) var expected: [ExpectedAnswer] = []
    /// The questions in presentation form, for messages about a wrong answer.
    var questions: [String] = []

    public init() {
        messages = ByteBufferAllocator().buffer(capacity: 1 << 16)
    }

    public var count: Int { expected.count }

    /// Adds a query for `name` (absolute presentation form) and `type`; RD clear, no EDNS.
    public mutating func append(_ name: String, _ type: RecordType, expecting: ExpectedAnswer) {
        let wire = (try? DomainName(name, origin: .root))?.wire ?? [0]
        messages.writeInteger(UInt16(truncatingIfNeeded: count))
        messages.writeInteger(UInt16(0))
        messages.writeInteger(UInt16(1))
        messages.writeInteger(UInt16(0))
        messages.writeInteger(UInt16(0))
        messages.writeInteger(UInt16(0))
        messages.writeBytes(wire)
        messages.writeInteger(type.rawValue)
        messages.writeInteger(UInt16(1))
        starts.append(Int32(messages.writerIndex))
        expected.append(expecting)
        questions.append("\(name) \(type)")
    }

    /// Query `index` as a slice of the shared buffer.
    @inline(__always)
    public func message(_ index: Int) -> ByteBuffer {
        let start = Int(starts[index])
        return messages.getSlice(at: start, length: Int(starts[index + 1]) - start)!
    }

    public func question(_ index: Int) -> String { questions[index] }

    /// The same queries, each with an OPT record whose flags are `ednsFlags` (DO, CO).
    public func withOPT(ednsFlags: UInt16) -> QueryList {
        var copy = QueryList()
        for index in 0..<count {
            var message = self.message(index)
            message.setInteger(UInt16(1), at: message.readerIndex + 10)
            copy.messages.writeBuffer(&message)
            copy.messages.writeBytes([0, 0, 41, 0x04, 0xD0, 0, 0, UInt8(ednsFlags >> 8), UInt8(ednsFlags & 0xFF), 0, 0])
            copy.starts.append(Int32(copy.messages.writerIndex))
        }
        copy.expected = expected
        copy.questions = questions
        return copy
    }
}

extension BenchZone {
    /// `count` queries in the mix of a busy zone: about 66% A/AAAA of hosts, 2% under the
    /// wildcard, 2% below a delegation, 10% CNAMEs, 10% NXDOMAIN, 5% NODATA, 5% MX/TXT.
    public func queries(count: Int, seed: UInt64 = 1) -> QueryList {
        var list = QueryList()
        var state = seed
        func next() -> UInt64 {
            state &+= 1
            return BenchZone.mix(state)
        }
        let o = BenchZone.origin
        func hostIndex(where wanted: (Host) -> Bool) -> Int? {
            let start = Int(next() % UInt64(names))
            for step in 0..<min(names, 400) {
                let index = (start + step) % names
                if wanted(host(index)) { return index }
            }
            return nil
        }
        for _ in 0..<count {
            let r = next() % 100
            let pick = next()
            if r < 66 {
                let index = Int(pick % UInt64(names))
                let host = host(index)
                let aaaa = host.cnameTarget == nil && host.hasAAAA && (pick >> 32) % 10 < 4
                list.append(host.label + "." + o, aaaa ? .aaaa : .a, expecting: .answer)
            } else if r < 68 {
                list.append("\(BenchZone.prefixes[Int(pick % 26)])\(pick >> 40).wild.\(o)", (pick >> 8) % 10 < 7 ? .a : .aaaa, expecting: .answer)
            } else if r < 70 {
                let child = BenchZone.child(Int(pick % UInt64(delegations)))
                list.append("\(BenchZone.prefixes[Int((pick >> 8) % 26)]).\(child).\(o)", .a, expecting: .referral)
            } else if r < 80 {
                if let index = hostIndex(where: { $0.cnameTarget != nil }) {
                    list.append(host(index).label + "." + o, (pick >> 8) % 4 == 0 ? .aaaa : .a, expecting: .answer)
                } else {
                    list.append("www.child.\(o)", .a, expecting: .referral)
                }
            } else if r < 90 {
                switch pick % 10 {
                case 0..<5:
                    let label = host(Int((pick >> 8) % UInt64(names))).label
                    list.append("\(label.split(separator: ".")[0])-old.\(o)", .a, expecting: .nxdomain)
                case 5..<8:
                    list.append("\(BenchZone.prefixes[Int((pick >> 8) % 26)])-\((pick >> 16) % 10_000_000)x.\(o)", .a, expecting: .nxdomain)
                default:
                    list.append("nx\((pick >> 8) % 1_000_000).\(BenchZone.regions[Int(pick >> 40) % 4]).\(o)", .a, expecting: .nxdomain)
                }
            } else if r < 95 {
                if let index = hostIndex(where: { $0.cnameTarget == nil && !$0.hasAAAA }) {
                    list.append(host(index).label + "." + o, .aaaa, expecting: .nodata)
                } else {
                    list.append("ns1.\(o)", .txt, expecting: .nodata)
                }
            } else {
                if pick % 2 == 0, let index = hostIndex(where: { $0.cnameTarget == nil && $0.hasMX }) {
                    list.append(host(index).label + "." + o, .mx, expecting: .answer)
                } else if let index = hostIndex(where: { $0.cnameTarget == nil && $0.hasTXT }) {
                    list.append(host(index).label + "." + o, .txt, expecting: .answer)
                } else {
                    list.append(o, .mx, expecting: .answer)
                }
            }
        }
        return list
    }
}
