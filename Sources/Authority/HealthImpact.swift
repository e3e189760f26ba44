import DNSWire
import Routing
import Zones

/// What a health change would do to the routed names: used to refuse an override or an
/// evacuation that leaves a name with no healthy record set (SPEC §5), naming the names,
/// and to tell which names a drill or a what-if can move.
public enum HealthImpact {
    /// Routed names (with their type) that have at least one healthy set under `before`
    /// but none under `after`. ALIAS sets with evaluate-target-health follow their targets.
    public static func namesLosingEveryHealthySet(zones: ZoneSet, before: any HealthView, after: any HealthView) -> [String] {
        groups(before: Authority.Snapshot(zones: zones, health: before), after: Authority.Snapshot(zones: zones, health: after)) { group, was, will in
            group.policy != .simple && group.sets.indices.contains { group.plan.healthy($0, &was) } && !group.sets.indices.contains { group.plan.healthy($0, &will) }
        }.map(label).sorted()
    }

    /// Routed names (with their type, ALIAS groups as "ALIAS") with at least one set whose
    /// health differs between `before` and `after`, its own check's or its evaluated
    /// ALIAS target's: the names a health change can move for some client.
    public static func namesWithChangedSets(zones: ZoneSet, before: any HealthView, after: any HealthView) -> [String] {
        groupsWithChangedSets(before: Authority.Snapshot(zones: zones, health: before), after: Authority.Snapshot(zones: zones, health: after))
            .map(label).sorted()
    }

    /// The routed groups of `before.zones` with a set whose health differs between the two
    /// snapshots (which must hold the same zones).
    public static func groupsWithChangedSets(before: Authority.Snapshot, after: Authority.Snapshot) -> [RoutedGroup] {
        groups(before: before, after: after) { group, was, will in
            !group.alwaysHealthy && setsChangeHealth(group, &was, &will)
        }
    }

    /// The groups whose answers a drill can move, `before` being the health without it:
    /// those with a set whose health differs, and those with an ALIAS set, whose target's
    /// own choice may move with no set of theirs changing health.
    public static func groupsADrillCanMove(before: Authority.Snapshot, after: Authority.Snapshot) -> [RoutedGroup] {
        groups(before: before, after: after) { group, was, will in
            group.hasAliasSet || (!group.alwaysHealthy && setsChangeHealth(group, &was, &will))
        }
    }

    /// Whether a set of the group is healthy on one side and not on the other.
    static func setsChangeHealth(_ group: RoutedGroup, _ was: inout GroupHealth, _ will: inout GroupHealth) -> Bool {
        group.sets.indices.contains { group.plan.healthy($0, &was) != group.plan.healthy($0, &will) }
    }

    /// "NAME TYPE", "ALIAS" for a group of every type: how the 409 and drills name a group.
    static func label(_ group: RoutedGroup) -> String { "\(group.owner) \(group.type?.mnemonic ?? "ALIAS")" }

    /// The groups of every authoritative name for which `test` holds, given how the walk
    /// sees their sets' health on each side.
    static func groups(before: Authority.Snapshot, after: Authority.Snapshot,
                       where test: (RoutedGroup, inout GroupHealth, inout GroupHealth) -> Bool) -> [RoutedGroup] {
        var found: [RoutedGroup] = []
        for (zoneIndex, zone) in before.zones.zones.enumerated() {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups {
                    let type = group.type ?? .a
                    var was = GroupHealth(type: type, tables: before.setHealth, zoneIndex: zoneIndex)
                    var will = GroupHealth(type: type, tables: after.setHealth, zoneIndex: zoneIndex)
                    if test(group, &was, &will) { found.append(group) }
                }
            }
        }
        return found
    }
}
