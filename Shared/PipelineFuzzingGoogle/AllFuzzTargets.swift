public import PipelineFuzzing

/// Every fuzz target: the core ones and the Bigtable and Google auth ones. `tributary fuzz` and
/// `PipelineFuzzingTests` both run this list.
public enum AllFuzzTargets {
    public static let list: [FuzzTarget] = FuzzTargets.core + BigtableFuzzTargets.all + GoogleAuthFuzzTargets.all

    /// The target named `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? { list.first { $0.name == name } }
}
