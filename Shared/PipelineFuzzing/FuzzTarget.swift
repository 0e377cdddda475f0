/// One decoder or parser of outside input, packaged for the fuzz engine.
public struct FuzzTarget: Sendable {
    /// Stable name for `--target` and reports, `area.format` (e.g. `protobuf.CleanEvent`).
    public let name: String
    /// What the target feeds the bytes to.
    public let summary: String
    /// Valid inputs (each must be accepted), the starting corpus for mutation.
    public let seeds: [[UInt8]]
    /// Format tokens worth inserting (keywords, delimiters) besides the engine's generic ones.
    public let tokens: [[UInt8]]
    /// Longest input the engine builds (bigger inputs only slow the run down).
    public let maximumInputBytes: Int
    /// Makes a fresh runner for one fuzz run; a runner may keep state between inputs (a transformer's
    /// id window) and is used from one thread only.
    public let makeRunner: @Sendable () -> ([UInt8]) -> FuzzOutcome

    public init(
        name: String, summary: String, seeds: [[UInt8]], tokens: [[UInt8]] = [], maximumInputBytes: Int = 4096,
        makeRunner: @escaping @Sendable () -> ([UInt8]) -> FuzzOutcome
    ) {
        self.name = name
        self.summary = summary
        self.seeds = seeds
        self.tokens = tokens
        self.maximumInputBytes = maximumInputBytes
        self.makeRunner = makeRunner
    }

    /// A stateless target: `run` is used as the runner of every run.
    public init(
        name: String, summary: String, seeds: [[UInt8]], tokens: [[UInt8]] = [], maximumInputBytes: Int = 4096,
        run: @escaping @Sendable ([UInt8]) -> FuzzOutcome
    ) {
        self.init(
            name: name, summary: summary, seeds: seeds, tokens: tokens, maximumInputBytes: maximumInputBytes,
            makeRunner: { run })
    }
}

extension FuzzTarget {
    /// Seeds given as text.
    public static func utf8(_ texts: [String]) -> [[UInt8]] { texts.map { Array($0.utf8) } }
}
