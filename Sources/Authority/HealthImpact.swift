import DNSWire
import Routing
import Zones

/// What a health change would do to the routed names: used to refuse an override or an
/// evacuation that leaves a name with no healthy record set (SPEC §5), naming the names.
public enum HealthImpact {
    /// Routed names (with their type) that have at least one healthy set under `before`
    /// but none under `after`. ALIAS sets with evaluate-target-health follow their targets.
    public static func namesLosingEveryHealthySet(zones: ZoneSet, before: any HealthView, after: any HealthView) -> [String] {
        var names: [String] = []
        let beforeSnapshot = Authority.Snapshot(zones: zones, health: before)
        let afterSnapshot = Authority.Snapshot(zones: zones, health: after)
        for (zoneIndex, zone) in zones.zones.enumerated() {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups where group.policy != .simple {
                    let type = group.type ?? .a
                    var was = GroupHealth(group: group, type: type, snapshot: beforeSnapshot, zoneIndex: zoneIndex)
                    var will = GroupHealth(group: group, type: type, snapshot: afterSnapshot, zoneIndex: zoneIndex)
                    let hadHealthy = group.sets.indices.contains { was.isHealthy($0) }
                    let hasHealthy = group.sets.indices.contains { will.isHealthy($0) }
                    if hadHealthy && !hasHealthy {
                        names.append("\(node.name) \(group.type?.mnemonic ?? "ALIAS")")
                    }
                }
            }
        }
        return names.sorted()
    }

    /// Routed names (with their type, ALIAS groups as "ALIAS") with at least one set whose
    /// health differs between `before` and `after`, its own check's or its evaluated
    /// ALIAS target's: the names a health change can move for some client.
    public static func namesWithChangedSets(zones: ZoneSet, before: any HealthView, after: any HealthView) -> [String] {
        groupsWithChangedSets(before: Authority.Snapshot(zones: zones, health: before), after: Authority.Snapshot(zones: zones, health: after))
            .map { "\($0.owner) \($0.type?.mnemonic ?? "ALIAS")" }.sorted()
    }

    /// The routed groups of `before.zones` with a set whose health differs between the two
    /// snapshots (which must hold the same zones).
    public static func groupsWithChangedSets(before: Authority.Snapshot, after: Authority.Snapshot) -> [RoutedGroup] {
        var groups: [RoutedGroup] = []
        for (zoneIndex, zone) in before.zones.zones.enumerated() {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups where !group.alwaysHealthy {
                    let type = group.type ?? .a
                    var was = GroupHealth(group: group, type: type, snapshot: before, zoneIndex: zoneIndex)
                    var will = GroupHealth(group: group, type: type, snapshot: after, zoneIndex: zoneIndex)
                    if group.sets.indices.contains(where: { was.isHealthy($0) != will.isHealthy($0) }) { groups.append(group) }
                }
            }
        }
        return groups
    }
}
