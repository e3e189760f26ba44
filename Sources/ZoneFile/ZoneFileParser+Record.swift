import DNSWire

extension ZoneFileParser {
    /// Parses `[OWNER] [[routing]] [TTL] [CLASS] TYPE RDATA…` (TTL and class in either order).
    func record(_ line: LogicalLine, context: inout Context) throws(Diagnostic) -> ZoneFileRecord {
        let tokens = line.tokens
        var index = 0
        let owner: DomainName
        if line.startsWithBlank {
            guard let last = context.lastOwner else {
                throw Diagnostic(at: tokens[0].location, "record has no owner name and no previous owner to carry over")
            }
            owner = last
        } else {
            let token = tokens[0]
            guard token.kind == .word else { throw Diagnostic(at: token.location, "expected an owner name, not \(token)") }
            do { owner = try DomainName(presentation: token.text, origin: context.origin) } catch {
                throw Diagnostic(at: token.location, "bad owner name '\(token.string)': \(error.message)")
            }
            index = 1
        }
        context.lastOwner = owner

        var routing: AttributeBlock? = nil
        if index < tokens.count && tokens[index].kind == .attributes {
            routing = try attributeBlock(tokens[index])
            index += 1
        }

        var ttl: UInt32? = nil
        var recordClass: RecordClass? = nil
        var classLocation: SourceLocation? = nil
        while index < tokens.count && tokens[index].kind == .word {
            let bytes = tokens[index].text
            // Fast paths for the common spellings (plain seconds, IN); the rest go by string.
            if ttl == nil, let value = ZoneFileParser.plainSeconds(bytes) {
                ttl = value
                index += 1
                continue
            }
            if recordClass == nil, bytes.count == 2, bytes[0] | 0x20 == UInt8(ascii: "i"), bytes[1] | 0x20 == UInt8(ascii: "n") {
                recordClass = .in
                classLocation = tokens[index].location
                index += 1
                continue
            }
            let text = tokens[index].string
            if ttl == nil, let first = text.first, first.isNumber, let value = TimeValue.parse(text) {
                ttl = value
            } else if ttl == nil, let first = text.first, first.isNumber {
                throw Diagnostic(at: tokens[index].location, "bad TTL '\(text)': expected seconds or a duration like 1h30m, at most 2147483647")
            } else if recordClass == nil, let parsed = RecordClass(mnemonic: text) {
                recordClass = parsed
                classLocation = tokens[index].location
            } else {
                break
            }
            index += 1
        }
        guard index < tokens.count else {
            throw Diagnostic(at: tokens[tokens.count - 1].location, "record has no type")
        }
        let typeToken = tokens[index]
        if typeToken.kind == .attributes {
            throw Diagnostic(at: typeToken.location, "a routing block must come right after the owner name")
        }
        if let recordClass, recordClass != .in {
            throw Diagnostic(at: classLocation ?? typeToken.location, "class \(recordClass) is not served; only IN")
        }
        let knownType = RecordType(mnemonicBytes: typeToken.text)
        let typeName = knownType?.mnemonic ?? typeToken.string.uppercased()
        let rdataTokens = Array(tokens[(index + 1)...])
        if let misplaced = rdataTokens.first(where: { $0.kind == .attributes }) {
            throw Diagnostic(at: misplaced.location, "a routing block must come right after the owner name")
        }
        let rdataLocation = rdataTokens.first?.location ?? typeToken.location
        let content: RecordContent
        if typeName == "ALIAS" {
            content = try aliasTarget(rdataTokens, typeToken: typeToken, origin: context.origin)
        } else {
            guard let type = knownType ?? RecordType(mnemonic: typeName) else {
                throw Diagnostic(at: typeToken.location, "unknown record type '\(typeToken.string)'")
            }
            do {
                content = .data(try RData.parse(type: type, tokens: rdataTokens.map(\.presentationToken), origin: context.origin))
            } catch {
                let at = error.tokenIndex.flatMap { rdataTokens.indices.contains($0) ? rdataTokens[$0].location : nil } ?? typeToken.location
                throw Diagnostic(at: at, "\(type) record: \(error.message)")
            }
            // Presentation form can say more than a record can carry; caught here, before
            // anything tries to write it with a 16-bit RDLENGTH.
            if case .data(let rdata) = content, rdata.uncompressedLength > RData.maximumLength {
                throw Diagnostic(at: rdataLocation, "\(type) record: RDATA of \(rdata.uncompressedLength) bytes exceeds 65,535")
            }
        }

        let resolvedTTL: UInt32
        if let ttl {
            resolvedTTL = ttl
            context.lastExplicitTTL = ttl
        } else if let defaultTTL = context.defaultTTL {
            resolvedTTL = defaultTTL
        } else if let last = context.lastExplicitTTL {
            resolvedTTL = last
        } else if case .data(.soa(let soa)) = content {
            // BIND's rule for a zone without $TTL: the SOA falls back to its MINIMUM field,
            // which then stands in for $TTL (later records without a TTL take it too, even
            // after an explicit TTL on another line).
            resolvedTTL = soa.minimum
            context.defaultTTL = soa.minimum
        } else {
            throw Diagnostic(at: typeToken.location, "record has no TTL and there is no $TTL before it")
        }
        return ZoneFileRecord(owner: owner, ttl: resolvedTTL, typeName: typeName == "ALIAS" ? "ALIAS" : RecordType(mnemonic: typeName)!.mnemonic,
                              content: content, routing: routing, location: tokens[0].location,
                              typeLocation: typeToken.location, rdataLocation: rdataLocation)
    }

    func aliasTarget(_ tokens: [Token], typeToken: Token, origin: DomainName) throws(Diagnostic) -> RecordContent {
        guard let first = tokens.first else {
            throw Diagnostic(at: typeToken.location, "ALIAS needs a target name")
        }
        guard tokens.count == 1 else {
            throw Diagnostic(at: tokens[1].location, "unexpected '\(tokens[1].string)' after the ALIAS target \(first.string); an ALIAS has one target")
        }
        do {
            return .alias(target: try DomainName(presentation: tokens[0].text, origin: origin))
        } catch {
            throw Diagnostic(at: tokens[0].location, "bad ALIAS target '\(tokens[0].string)': \(error.message)")
        }
    }

    func attributeBlock(_ token: Token) throws(Diagnostic) -> AttributeBlock {
        guard let policy = token.children.first else {
            throw Diagnostic(at: token.location, "empty routing block: expected a policy such as [weighted id=a weight=10]")
        }
        guard !policy.string.contains("=") else {
            throw Diagnostic(at: policy.location, "a routing block starts with its policy name, not '\(policy.string)'")
        }
        return AttributeBlock(policy: policy.string, location: policy.location,
                              attributes: token.children.dropFirst().map(Attribute.init(token:)))
    }
}

extension ZoneFileParser {
    /// A TTL written as plain decimal seconds, read from the bytes (most lines of big
    /// zones); nil for anything else, including units, which the string path handles.
    static func plainSeconds(_ bytes: [UInt8]) -> UInt32? {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var value: UInt64 = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(b - UInt8(ascii: "0"))
        }
        return value <= UInt64(Int32.max) ? UInt32(value) : nil
    }
}

extension Diagnostic: Error {}
