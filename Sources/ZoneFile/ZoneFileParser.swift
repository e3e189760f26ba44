import DNSWire

/// Reads a master file (RFC 1035 §5) with Switchyard's extensions into records and
/// directives, collecting every error with its file, line and column rather than stopping
/// at the first. It checks syntax only; what the records mean is the zone loader's job.
public struct ZoneFileParser {
    /// `$INCLUDE` nesting deeper than this is taken for a mistake.
    public static let maximumIncludeDepth = 8

    let source: any ZoneFileSource
    let limits: ZoneLimits
    /// Whether plain record lines are read straight from the bytes (`PlainRecordLine`);
    /// off only in tests that compare it with the general path.
    var readsPlainLines = true

    public init(source: any ZoneFileSource = NoIncludes(), limits: ZoneLimits = .standard) {
        self.source = source
        self.limits = limits
    }

    /// A file being read: its identity (to find cycles) and the name shown in messages.
    struct IncludeFrame {
        var identity: String
        var name: String
    }

    /// The state that carries from line to line and into included files.
    struct Context {
        var origin: DomainName
        var defaultTTL: UInt32?
        var lastExplicitTTL: UInt32?
        var lastOwner: DomainName?
        var sawRecord = false
    }

    /// What one zone has used of its `ZoneLimits` so far, over all its files.
    struct Usage {
        var includes = 0
        var records = 0
        var bytes = 0
        /// Set when a limit was crossed: nothing more is read for this zone.
        var stopped = false
        /// Set once any file of the zone has produced a record: the origin is final then.
        var emitted = false
    }

    /// Parses a zone file. `fileOrigin` is the origin its name implies; a leading `$ORIGIN`
    /// overrides it. The records are collected in `records`, in file order.
    public func parse(file: String, identity: String? = nil, bytes: [UInt8], fileOrigin: DomainName) -> ParsedZoneFile {
        var records: [ZoneFileRecord] = []
        var result = parse(file: file, identity: identity, bytes: bytes, fileOrigin: fileOrigin) { record, _ in
            records.append(record)
        }
        result.records = records
        return result
    }

    /// Parses a zone file, handing each record to `eachRecord` as soon as it is read, in
    /// file order (an `$INCLUDE`d file's records at the place of the directive), without
    /// keeping any: the result's `records` is empty. `origin` is the zone's origin as
    /// `ParsedZoneFile.origin` decides it, already final at the first record (a later
    /// `$ORIGIN` only changes how the following names are completed).
    public func parse(file: String, identity: String? = nil, bytes: [UInt8], fileOrigin: DomainName,
                      eachRecord: (_ record: ZoneFileRecord, _ origin: DomainName) -> Void) -> ParsedZoneFile {
        var result = ParsedZoneFile(origin: fileOrigin, file: file)
        var context = Context(origin: fileOrigin)
        var stack = [IncludeFrame(identity: identity ?? file, name: file)]
        var usage = Usage(bytes: bytes.count)
        if bytes.count > limits.maximumBytes {
            result.diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                                                 "zone file of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes) bytes per zone (--max-zone-bytes)"))
            result.stoppedAtLimit = true
            return result
        }
        parseFile(file: file, bytes: bytes, context: &context, result: &result, includeStack: &stack, usage: &usage,
                  isTop: true, eachRecord: eachRecord)
        result.stoppedAtLimit = usage.stopped
        return result
    }

    /// Parses a zone file read a block at a time (`nextBlock` gives the next, nil at the
    /// end), so its bytes are never all in memory: handed over as `parse(file:bytes:…)`
    /// would, each record as soon as it is read. `size` is the file's size when opened,
    /// held to the byte limit before anything is read; a file that grows past the limit
    /// while read is stopped there.
    public func parse(file: String, identity: String? = nil, size: Int, fileOrigin: DomainName, blocks nextBlock: () -> [UInt8]?,
                      eachRecord: (_ record: ZoneFileRecord, _ origin: DomainName) -> Void) -> ParsedZoneFile {
        var result = ParsedZoneFile(origin: fileOrigin, file: file)
        var context = Context(origin: fileOrigin)
        var stack = [IncludeFrame(identity: identity ?? file, name: file)]
        var usage = Usage(bytes: size)
        func refuse(_ bytes: Int) {
            result.diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                                                 "zone file of \(bytes) bytes exceeds the limit of \(limits.maximumBytes) bytes per zone (--max-zone-bytes)"))
            result.stoppedAtLimit = true
        }
        guard size <= limits.maximumBytes else {
            refuse(size)
            return result
        }
        result.files.append(identity ?? file)
        // `pending` holds what is read and not yet parsed: whole lines are parsed as the
        // blocks come; a logical line that may go on in the next block waits for it.
        var pending: [UInt8] = []
        var read = 0
        var line = 1
        var ended = false
        // A logical line that spans many blocks (a '(' never closed, say) is read again
        // only once what waits has doubled, so a broken edit costs linear time, not a
        // pass over everything pending for every block.
        var retryAt = 0
        while !ended && !usage.stopped {
            if let block = nextBlock() {
                read += block.count
                guard read <= limits.maximumBytes else {
                    refuse(read)
                    return result
                }
                pending.append(contentsOf: block)
            } else {
                ended = true
            }
            guard ended || pending.count >= retryAt else { continue }
            let end = ended ? pending.count : (pending.lastIndex(of: Lexer.newline)).map { $0 + 1 } ?? 0
            guard end > 0 else { continue }
            let text = end == pending.count ? pending : Array(pending[..<end])
            let stop = parseLines(file: file, bytes: text, line: line, final: ended, context: &context, result: &result,
                                  includeStack: &stack, usage: &usage, isTop: true, eachRecord: eachRecord)
            retryAt = stop.offset == 0 ? 2 * pending.count : 0
            pending.removeSubrange(..<stop.offset)
            line = stop.line
        }
        result.stoppedAtLimit = usage.stopped
        return result
    }

    func parseFile(file: String, bytes: [UInt8], context: inout Context, result: inout ParsedZoneFile,
                   includeStack: inout [IncludeFrame], usage: inout Usage, isTop: Bool,
                   eachRecord: (ZoneFileRecord, DomainName) -> Void) {
        result.files.append(includeStack.last?.identity ?? file)
        _ = parseLines(file: file, bytes: bytes, line: 1, final: true, context: &context, result: &result,
                       includeStack: &includeStack, usage: &usage, isTop: isTop, eachRecord: eachRecord)
    }

    /// Parses `bytes`, text starting at line `line` of `file`. Unless `final`, the text
    /// ends with a newline and may stop in a logical line that goes on after it: reading
    /// stops before the logical line that reaches the end. Returns where it stopped in
    /// `bytes` and the line number there.
    func parseLines(file: String, bytes: [UInt8], line startLine: Int, final: Bool, context: inout Context,
                    result: inout ParsedZoneFile, includeStack: inout [IncludeFrame], usage: inout Usage, isTop: Bool,
                    eachRecord: (ZoneFileRecord, DomainName) -> Void) -> (offset: Int, line: Int) {
        var lexer = Lexer(bytes: bytes, file: file, line: startLine)
        defer { result.diagnostics.append(contentsOf: lexer.diagnostics) }
        return bytes.withUnsafeBufferPointer { buffer in
            var plain = PlainRecordLine(bytes: buffer, file: file)
            while !usage.stopped {
                // Plain lines are read from the bytes directly; the lexer takes every
                // other line, and the line limit is left to it so its message stays one.
                if readsPlainLines, lexer.index < buffer.count, usage.records < limits.maximumRecords,
                   let outcome = plain.read(at: lexer.index, line: lexer.line, context: &context, zoneOrigin: result.origin,
                                            emit: eachRecord) {
                    switch outcome {
                    case .blank(let next):
                        lexer.moveToLine(startingAt: next)
                    case .record(let next):
                        lexer.moveToLine(startingAt: next)
                        usage.records += 1
                        usage.emitted = true
                        context.sawRecord = true
                    }
                    continue
                }
                let (lineStart, lineNumber, diagnosticCount) = (lexer.index, lexer.line, lexer.diagnostics.count)
                let next = lexer.next()
                if !final && lexer.index >= buffer.count {
                    // The logical line may go on in the next block: it is read again with it.
                    lexer.keepDiagnostics(diagnosticCount)
                    return (lineStart, lineNumber)
                }
                guard let line = next else { break }
                let first = line.tokens[0]
                if !line.startsWithBlank && first.kind == .word && first.text.first == UInt8(ascii: "$") {
                    directive(line, context: &context, result: &result, includeStack: &includeStack, usage: &usage,
                              isTop: isTop, eachRecord: eachRecord)
                } else {
                    usage.records += 1
                    if usage.records > limits.maximumRecords {
                        result.diagnostics.append(Diagnostic(at: line.location, "zone has more than \(limits.maximumRecords) records (--max-zone-records); nothing after this line is read"))
                        usage.stopped = true
                        break
                    }
                    do throws(Diagnostic) {
                        let record = try self.record(line, context: &context)
                        usage.emitted = true
                        context.sawRecord = true
                        eachRecord(record, result.origin)
                    } catch {
                        result.diagnostics.append(error)
                    }
                }
            }
            return (buffer.count, lexer.line)
        }
    }

    // MARK: Directives

    func directive(_ line: LogicalLine, context: inout Context, result: inout ParsedZoneFile,
                   includeStack: inout [IncludeFrame], usage: inout Usage, isTop: Bool,
                   eachRecord: (ZoneFileRecord, DomainName) -> Void) {
        let name = line.tokens[0].string.uppercased()
        let args = Array(line.tokens.dropFirst())
        func fail(_ message: String, _ at: SourceLocation? = nil) {
            result.diagnostics.append(Diagnostic(at: at ?? line.tokens[0].location, message))
        }
        switch name {
        case "$ORIGIN":
            guard args.count <= 1 else { return fail("unexpected '\(args[1].string)' after the $ORIGIN name", args[1].location) }
            guard args.count == 1 else { return fail("$ORIGIN needs a domain name") }
            do {
                let origin = try DomainName(presentation: args[0].text, origin: context.origin)
                if isTop && !context.sawRecord && !usage.emitted { result.origin = origin }
                context.origin = origin
            } catch {
                fail("bad $ORIGIN '\(args[0].string)': \(error.message)", args[0].location)
            }
        case "$TTL":
            guard args.count <= 1 else { return fail("unexpected '\(args[1].string)' after the $TTL value", args[1].location) }
            guard args.count == 1 else { return fail("$TTL needs a value in seconds or a duration like 1h30m") }
            guard let ttl = TimeValue.parse(args[0].string) else {
                return fail("bad $TTL '\(args[0].string)': expected seconds or a duration like 1h30m", args[0].location)
            }
            context.defaultTTL = ttl
        case "$INCLUDE":
            include(args, line: line, context: context, result: &result, includeStack: &includeStack, usage: &usage,
                    eachRecord: eachRecord)
        case "$HEALTHCHECK":
            guard args.count >= 2 else { return fail("$HEALTHCHECK needs an id and a target") }
            result.healthChecks.append(HealthCheckDirective(
                id: args[0].string, target: args[1].string, targetLocation: args[1].location,
                options: args.dropFirst(2).map(Attribute.init(token:)), location: args[0].location))
        case "$CIDR":
            cidr(args, line: line, result: &result)
        default:
            fail("unknown directive \(line.tokens[0].string)")
        }
    }

    func include(_ args: [Token], line: LogicalLine, context: Context, result: inout ParsedZoneFile,
                 includeStack: inout [IncludeFrame], usage: inout Usage, eachRecord: (ZoneFileRecord, DomainName) -> Void) {
        guard args.count <= 2 else {
            result.diagnostics.append(Diagnostic(at: args[2].location, "unexpected '\(args[2].string)' after the $INCLUDE origin; $INCLUDE takes a file name and an optional origin"))
            return
        }
        guard !args.isEmpty else {
            result.diagnostics.append(Diagnostic(at: line.tokens[0].location, "$INCLUDE needs a file name"))
            return
        }
        var inner = context
        if args.count == 2 {
            do { inner.origin = try DomainName(presentation: args[1].text, origin: context.origin) } catch {
                result.diagnostics.append(Diagnostic(at: args[1].location, "bad $INCLUDE origin: \(error.message)"))
                return
            }
        }
        guard includeStack.count <= ZoneFileParser.maximumIncludeDepth else {
            result.diagnostics.append(Diagnostic(at: args[0].location, "$INCLUDE of \(args[0].string) would nest more than \(ZoneFileParser.maximumIncludeDepth) files deep"))
            return
        }
        usage.includes += 1
        guard usage.includes <= limits.maximumIncludes else {
            result.diagnostics.append(Diagnostic(at: args[0].location, "$INCLUDE of \(args[0].string) exceeds the limit of \(limits.maximumIncludes) includes per zone (--max-includes); nothing after it is read"))
            usage.stopped = true
            return
        }
        let file: IncludedFile
        do {
            file = try source.include(args[0].string, from: line.location.file)
        } catch {
            result.diagnostics.append(Diagnostic(at: args[0].location, error.message))
            return
        }
        if let start = includeStack.firstIndex(where: { $0.identity == file.identity }) {
            let chain = (includeStack[start...].map(\.name) + [file.displayName]).joined(separator: " → ")
            result.diagnostics.append(Diagnostic(at: args[0].location, "$INCLUDE of \(args[0].string) makes a cycle: \(chain)"))
            return
        }
        usage.bytes += file.bytes.count
        guard usage.bytes <= limits.maximumBytes else {
            result.diagnostics.append(Diagnostic(at: args[0].location, "$INCLUDE of \(args[0].string) brings the zone to \(usage.bytes) bytes, over the limit of \(limits.maximumBytes) (--max-zone-bytes); nothing after it is read"))
            usage.stopped = true
            return
        }
        includeStack.append(IncludeFrame(identity: file.identity, name: file.displayName))
        parseFile(file: file.displayName, bytes: file.bytes, context: &inner, result: &result, includeStack: &includeStack, usage: &usage,
                  isTop: false, eachRecord: eachRecord)
        includeStack.removeLast()
    }

    func cidr(_ args: [Token], line: LogicalLine, result: inout ParsedZoneFile) {
        guard args.count >= 3 else {
            result.diagnostics.append(Diagnostic(at: line.tokens[0].location, "$CIDR needs a collection, a location and at least one prefix"))
            return
        }
        var prefixes: [IPPrefix] = []
        var locations: [SourceLocation] = []
        for token in args.dropFirst(2) {
            guard let prefix = IPPrefix(token.string, strict: true) else {
                let loose = IPPrefix(token.string)
                let why = loose == nil ? "is not an address prefix" : "has bits set beyond its length (did you mean \(loose!)?)"
                result.diagnostics.append(Diagnostic(at: token.location, "$CIDR prefix '\(token.string)' \(why)"))
                continue
            }
            prefixes.append(prefix)
            locations.append(token.location)
        }
        result.cidrBlocks.append(CIDRDirective(collection: args[0].string, locationName: args[1].string,
                                               prefixes: prefixes, location: args[0].location,
                                               locationNameLocation: args[1].location, prefixLocations: locations))
    }
}
