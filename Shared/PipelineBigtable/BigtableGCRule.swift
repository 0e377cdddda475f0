internal import BigtableProto
internal import SwiftProtobuf

/// A column family's garbage-collection rule (what Bigtable may delete, eventually).
///
/// GC runs lazily (up to a week later), so readers must still filter by version or age.
public indirect enum BigtableGCRule: Sendable, Hashable {
    /// Keep at most N versions per column.
    case maxVersions(Int32)
    /// Delete cells older than this (Bigtable rounds to milliseconds).
    case maxAge(Duration)
    /// Delete cells that every rule would delete.
    case intersection([BigtableGCRule])
    /// Delete cells that any rule would delete.
    case union([BigtableGCRule])
    /// Never delete anything.
    case none

    var proto: Google_Bigtable_Admin_V2_GcRule {
        var rule = Google_Bigtable_Admin_V2_GcRule()
        switch self {
        case .maxVersions(let count):
            rule.maxNumVersions = count
        case .maxAge(let age):
            let (seconds, attoseconds) = age.components
            var duration = Google_Protobuf_Duration()
            duration.seconds = seconds
            duration.nanos = Int32(attoseconds / 1_000_000_000)
            rule.maxAge = duration
        case .intersection(let rules):
            var intersection = Google_Bigtable_Admin_V2_GcRule.Intersection()
            intersection.rules = rules.map(\.proto)
            rule.intersection = intersection
        case .union(let rules):
            var union = Google_Bigtable_Admin_V2_GcRule.Union()
            union.rules = rules.map(\.proto)
            rule.union = union
        case .none:
            break
        }
        return rule
    }

    /// Decodes a rule a GetTable/ListTables answer carries (an empty rule is ``none``).
    init(_ proto: Google_Bigtable_Admin_V2_GcRule) {
        switch proto.rule {
        case .maxNumVersions(let count)?: self = .maxVersions(count)
        case .maxAge(let duration)?:
            self = .maxAge(.seconds(duration.seconds) + .nanoseconds(Int64(duration.nanos)))
        case .intersection(let intersection)?: self = .intersection(intersection.rules.map(BigtableGCRule.init))
        case .union(let union)?: self = .union(union.rules.map(BigtableGCRule.init))
        case nil: self = .none
        }
    }
}
