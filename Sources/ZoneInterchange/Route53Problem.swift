/// Why an import or export could not be done, naming the input it is about: the file, the
/// JSON path (`ResourceRecordSets[4]`) or zone-file place, and the record (name, type,
/// SetIdentifier), so the user can find it.
public struct Route53Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence without the place; the importer adds the place.
    struct Reason: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    public var file: String
    /// The JSON path or zone-file line and the record it names.
    public var place: String
    public var message: String

    public init(file: String, place: String, message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    /// `FILE: error: PLACE: MESSAGE`, as the CLI prints it.
    public var description: String { "\(file): error: \(place.isEmpty ? "" : place + ": ")\(message)" }
}

/// Every problem found in one run: an import or export reports them all, not the first.
public struct Route53Problems: Error, Sendable, CustomStringConvertible {
    public var problems: [Route53Problem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
