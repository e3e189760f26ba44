/// The EDNS(0) pseudo-record of a message (RFC 6891 §6): UDP payload size, the upper bits
/// of the response code, version, DO bit and options.
public struct EDNS: Hashable, Sendable {
    public var udpPayloadSize: UInt16
    /// Upper eight bits of the 12-bit response code.
    public var extendedRCode: UInt8
    public var version: UInt8
    public var dnssecOK: Bool
    /// The CO flag (RFC 9824 §4): the client reads compact denial's NXNAME itself and
    /// wants NXDOMAIN back.
    public var compactOK = false
    public var options: [EDNSOption]

    public init(udpPayloadSize: UInt16 = 1232, extendedRCode: UInt8 = 0, version: UInt8 = 0, dnssecOK: Bool = false, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRCode = extendedRCode
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }

    /// The first Client Subnet option, decoded (RFC 7871); throws when it is malformed.
    public func clientSubnet() throws(DNSWireError) -> ClientSubnet? {
        guard let option = options.first(where: { $0.code == ClientSubnet.optionCode }) else { return nil }
        return try ClientSubnet(optionData: option.data)
    }

    /// The OPT record's TTL field: extended RCODE, version, DO and Z flags.
    var ttlField: UInt32 {
        UInt32(extendedRCode) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0) | (compactOK ? 0x4000 : 0)
    }

    init(rrClass: UInt16, ttl: UInt32, options: [EDNSOption]) {
        udpPayloadSize = rrClass
        extendedRCode = UInt8(ttl >> 24)
        version = UInt8((ttl >> 16) & 0xFF)
        dnssecOK = ttl & 0x8000 != 0
        compactOK = ttl & 0x4000 != 0
        self.options = options
    }

    /// Writes the OPT record (root owner, type 41) into a message being built.
    public func encode(to writer: inout WireWriter) {
        writer.writeUInt8(0)
        writer.writeUInt16(RecordType.opt.rawValue)
        writer.writeUInt16(udpPayloadSize)
        writer.writeUInt32(ttlField)
        let length = options.reduce(0) { $0 + 4 + $1.data.count }
        writer.writeUInt16(UInt16(length))
        for option in options {
            writer.writeUInt16(option.code)
            writer.writeUInt16(UInt16(option.data.count))
            writer.writeBytes(option.data)
        }
    }

    /// Reads OPT RDATA: a sequence of (code, length, data) options.
    static func decodeOptions(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> [EDNSOption] {
        let end = reader.offset + length
        guard end <= reader.count else { throw .truncated }
        var options: [EDNSOption] = []
        while reader.offset < end {
            guard end - reader.offset >= 4 else { throw .badRDataLength(type: RecordType.opt.rawValue) }
            let code = try reader.readUInt16()
            let size = Int(try reader.readUInt16())
            guard reader.offset + size <= end else { throw .badRDataLength(type: RecordType.opt.rawValue) }
            options.append(EDNSOption(code: code, data: try reader.readBytes(size)))
        }
        return options
    }
}

/// One EDNS option: its code and raw data (RFC 6891 §6.1.2).
public struct EDNSOption: Hashable, Sendable {
    public var code: UInt16
    public var data: [UInt8]

    public init(code: UInt16, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    public init(clientSubnet: ClientSubnet) {
        self.init(code: ClientSubnet.optionCode, data: clientSubnet.optionData)
    }
}
