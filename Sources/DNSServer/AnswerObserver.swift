import Foundation
import Zones

/// Takes what the query threads counted about routed answers, once a second per thread (never
/// per query): answers per routed set, for the status page, and the first answer per
/// routed name that a drill moved, for the drill's timeline. Implementations must not
/// block: they are called on the query threads (UDP workers, event loops).
public protocol AnswerObserver: Sendable {
    func absorb(_ counts: [RoutedAnswerCount], moves: [DrillMoveNote])
}

/// How many answers one set of a routed group gave since the last hand-over. `set` is
/// the set's position in the group; a multivalue answer counts once for each set it holds.
///
/// The group is referred to without counting a reference: a flush hands over one count
/// per routed key, tens of thousands a second, and counting each would touch every group
/// object again (far in memory, and an atomic write). The group stays alive while the
/// query counts hold it, that is during `absorb`, and for as long as its zones are served;
/// an observer that keeps it longer keeps `group` itself.
public struct RoutedAnswerCount: Sendable {
    let groupReference: Unmanaged<RoutedGroup>
    public var set: Int
    public var count: Int

    public init(group: RoutedGroup, set: Int, count: Int) {
        groupReference = Unmanaged.passUnretained(group)
        self.set = set
        self.count = count
    }

    init(groupReference: Unmanaged<RoutedGroup>, set: Int, count: Int) {
        self.groupReference = groupReference
        self.set = set
        self.count = count
    }

    public var group: RoutedGroup { groupReference.takeUnretainedValue() }
    /// The group's identity, read without touching the group.
    public var groupIdentity: ObjectIdentifier { groupReference._withUnsafeGuaranteedRef { ObjectIdentifier($0) } }
}

/// The first answer, on one query thread, for a routed name that came from another set than
/// the same query would have got without the drill's overrides.
public struct DrillMoveNote: Sendable {
    public var drill: String
    public var group: RoutedGroup
    /// The query type asked.
    public var type: UInt16
    public var at: Date
    /// The set key (`Response.routedSetKey`) without the drill, and with it.
    public var from: String
    public var to: String
    /// The TTL of the answer it would have given without the drill.
    public var ttl: UInt32

    public init(drill: String, group: RoutedGroup, type: UInt16, at: Date, from: String, to: String, ttl: UInt32) {
        self.drill = drill
        self.group = group
        self.type = type
        self.at = at
        self.from = from
        self.to = to
        self.ttl = ttl
    }
}
