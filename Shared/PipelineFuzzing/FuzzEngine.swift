/// The seeded, deterministic mutation loop every fuzz target runs under (the tests' short runs and
/// `tributary fuzz`'s long ones).
///
/// It first feeds each seed unchanged, then mutated corpus entries. A little feedback steers it without
/// coverage instrumentation: an input that produced an error kind not seen before, and now and then an
/// accepted one, joins the corpus, so mutations build on inputs that got past a check. A crash ends the
/// process (that is the finding); every other outcome is counted.
public enum FuzzEngine {
    /// Largest corpus kept (seeds included).
    static let corpusLimit = 256

    /// Runs `target` for `executions` inputs (seeds included).
    ///
    /// - Parameters:
    ///   - seed: The mutation seed: the same seed gives the same inputs.
    ///   - willRun: Called with each input before it runs, so a caller can keep it for a crash report.
    public static func run(
        _ target: FuzzTarget, executions: Int, seed: UInt64, willRun: (([UInt8]) -> Void)? = nil
    ) -> FuzzReport {
        var report = FuzzReport(target: target.name, seed: seed)
        var rng = FuzzRandom(seed: seed ^ stableHash(target.name))
        let mutator = FuzzMutator(targetTokens: target.tokens, maximumBytes: target.maximumInputBytes)
        let runner = target.makeRunner()
        var corpus = target.seeds.isEmpty ? [[]] : target.seeds
        let clock = ContinuousClock()
        let started = clock.now

        for index in 0..<max(0, executions) {
            let isSeed = index < target.seeds.count
            let input = isSeed ? target.seeds[index] : mutator.mutate(corpus, rng: &rng)
            willRun?(input)
            let before = clock.now
            let outcome = runner(input)
            let micros = microseconds(clock.now - before)
            report.executions += 1
            if micros > report.slowestMicros {
                report.slowestMicros = micros
                report.slowestInput = FuzzReport.sample(input, "\(micros) µs")
            }
            switch outcome {
            case .accepted:
                report.accepted += 1
                if !isSeed, rng.below(64) == 0 { remember(input, in: &corpus, seeds: target.seeds.count, rng: &rng) }
            case .rejected(let kind, let message):
                report.rejected += 1
                let isNew = report.errorKinds[kind] == nil
                report.errorKinds[kind, default: 0] += 1
                if isSeed {
                    report.rejectedSeeds.append(FuzzReport.sample(input, message))
                } else if isNew {
                    remember(input, in: &corpus, seeds: target.seeds.count, rng: &rng)
                }
            case .failed(let message):
                report.failures += 1
                if report.failureSamples.count < 5 { report.failureSamples.append(FuzzReport.sample(input, message)) }
            }
        }
        report.elapsedSeconds = microseconds(clock.now - started) / 1_000_000
        return report
    }

    /// Adds an input to the corpus, replacing a non-seed entry once it is full.
    private static func remember(_ input: [UInt8], in corpus: inout [[UInt8]], seeds: Int, rng: inout FuzzRandom) {
        if corpus.count < corpusLimit {
            corpus.append(input)
        } else if corpus.count > seeds {
            corpus[seeds + rng.below(corpus.count - seeds)] = input
        }
    }

    private static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }

    /// FNV-1a, so each target gets its own input stream from one run seed (`hashValue` is randomised per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
