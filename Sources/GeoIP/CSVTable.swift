import DNSWire

/// An error in a `--geo-networks` or `--latency-table` file, located the way `check`
/// locates zone-file errors: `FILE:LINE:COLUMN: error: MESSAGE`.
///
/// Lines and columns count from 1; a column counts bytes, which for these ASCII files
/// is characters. A file that cannot be read at all has line and column 0.
public struct TableFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// One field of a CSV row, trimmed of surrounding blanks, with the column it starts at.
struct CSVField {
    var text: String
    var column: Int
}

/// One data row (header excluded), with its 1-based line number.
struct CSVRow {
    var line: Int
    var fields: [CSVField]

    func error(_ field: Int, _ message: String, file: String) -> TableFileError {
        TableFileError(file: file, line: line, column: fields[field].column, message: message)
    }
}

/// The plain CSV both table files use: a fixed header line, then rows of exactly as
/// many comma-separated fields. No quoting (no field needs a comma), blank lines are
/// skipped, CRLF line ends and a UTF-8 byte-order mark are tolerated.
enum CSVTable {
    static func rows(_ bytes: [UInt8], file: String, header: String) throws(TableFileError) -> [CSVRow] {
        let expectedCount = header.split(separator: ",").count
        var rows: [CSVRow] = []
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count || lineNumber == 0 {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            var contentStart = lineStart
            if lineNumber == 1 && bytes[lineStart..<contentEnd].starts(with: [0xEF, 0xBB, 0xBF]) {
                contentStart += 3
            }
            let line = bytes[contentStart..<contentEnd]
            if lineNumber == 1 {
                guard line.elementsEqual(header.utf8) else {
                    let found = String(decoding: line.prefix(80), as: UTF8.self)
                    throw TableFileError(file: file, line: 1, column: 1,
                                         message: "expected the header line '\(header)', found '\(found)'")
                }
            } else if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                let row = try fields(line, lineNumber: lineNumber, lineStart: lineStart, file: file)
                guard row.fields.count == expectedCount else {
                    let column = row.fields.count > expectedCount
                        ? row.fields[expectedCount].column : contentEnd - lineStart + 1
                    throw TableFileError(file: file, line: lineNumber, column: column,
                                         message: "expected \(expectedCount) fields (\(header)), found \(row.fields.count)")
                }
                rows.append(row)
            }
            lineStart = lineEnd + 1
        }
        return rows
    }

    private static func fields(
        _ line: ArraySlice<UInt8>, lineNumber: Int, lineStart: Int, file: String
    ) throws(TableFileError) -> CSVRow {
        var fields: [CSVField] = []
        var start = line.startIndex
        while true {
            var end = start
            while end < line.endIndex && line[end] != UInt8(ascii: ",") { end += 1 }
            var first = start
            var last = end
            while first < last && (line[first] == UInt8(ascii: " ") || line[first] == UInt8(ascii: "\t")) { first += 1 }
            while last > first && (line[last - 1] == UInt8(ascii: " ") || line[last - 1] == UInt8(ascii: "\t")) { last -= 1 }
            let column = first - lineStart + 1
            if let quote = line[first..<last].firstIndex(of: UInt8(ascii: "\"")) {
                throw TableFileError(file: file, line: lineNumber, column: quote - lineStart + 1,
                                     message: "quoted fields are not supported")
            }
            guard let text = String(validating: line[first..<last], as: UTF8.self) else {
                throw TableFileError(file: file, line: lineNumber, column: column, message: "field is not valid UTF-8")
            }
            fields.append(CSVField(text: text, column: column))
            if end == line.endIndex { break }
            start = end + 1
        }
        return CSVRow(line: lineNumber, fields: fields)
    }

    /// Reads a file for a table, turning a read failure into a `TableFileError`.
    static func read(_ path: String) throws(TableFileError) -> [UInt8] {
        do {
            return try FileBytes.read(path)
        } catch {
            throw TableFileError(file: path, line: 0, column: 0, message: "cannot read: \(error.reason)")
        }
    }

    /// Parses a prefix field; host bits beyond the length are an error because they
    /// usually mean a typo in the length.
    static func prefix(_ row: CSVRow, _ index: Int, file: String) throws(TableFileError) -> IPPrefix {
        let text = row.fields[index].text
        guard let prefix = IPPrefix(text) else {
            throw row.error(index, "bad prefix '\(text)': expected ADDRESS/LENGTH such as 192.0.2.0/24 or 2001:db8::/32", file: file)
        }
        guard IPPrefix(text, strict: true) != nil else {
            throw row.error(index, "bad prefix '\(text)': address bits set beyond /\(prefix.length) (did you mean \(prefix)?)", file: file)
        }
        return prefix
    }

    /// Parses a plain decimal number (`-12`, `37.77`, `.5`): no exponents, no `nan` or
    /// `inf`, which `Double(_:)` would accept.
    static func decimal(_ text: String) -> Double? {
        var digits = 0
        var dots = 0
        for (i, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"): if i != 0 { return nil }
            default: return nil
            }
        }
        guard digits > 0 && dots <= 1 else { return nil }
        return Double(text)
    }
}
