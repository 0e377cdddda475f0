import Foundation
import Logging
import PipelineFuzzing
import PipelineFuzzingGoogle
import PipelineRuntime

/// `tributary fuzz [--executions N] [--seed S] [--target NAME|all] [--json PATH]`: the long form of the fuzz
/// suite (`PipelineFuzzingTests` runs the short one), one target after another in this process.
enum FuzzCommand {
    struct Configuration: Sendable {
        var executions: Int
        var seed: UInt64
        var targets: [String]
        var jsonPath: String
        var crashPath: String
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary fuzz",
        summary: """
            Fuzzes every decoder and parser of outside input (protobuf messages, event JSON, Salesforce responses, \
            CDC events, CSV and JSON-lines files, HTTP headers and requests, Bigtable ReadRows and aggregate cells, \
            token answers) with a seeded, deterministic mutation loop over each one's valid seeds. Each input must \
            be accepted (round trips checked where the format has an encoder) or refused with a typed error that \
            describes itself. Prints a table and writes JSON. A crash ends the process; the input being run is \
            written to --crash-file first. Build with `swift build -c release --product tributary` for the long runs.
            """,
        defaultLogLevel: .warning,
        configuration: { reader in
            let executions = reader.int(
                "executions", default: 1_000_000, help: "Inputs per target (its seeds included).",
                range: 1...1_000_000_000)
            let seed = reader.int("seed", default: 1, help: "Mutation seed: the same seed gives the same inputs.",
                range: 0...Int.max)
            let target = reader.string(
                "target", default: "all", help: "A target name, a comma-separated list, or all.")
            let json = reader.string("json", default: "fuzz-results/fuzz.json", help: "Where the JSON report is written.")
            let crash = reader.string(
                "crash-file", default: "fuzz-results/crash-input.bin", help: "Where a crashing input is written.")
            let known = AllFuzzTargets.list.map(\.name)
            let names = target == "all" ? known : target.split(separator: ",").map(String.init)
            for name in names {
                reader.require(known.contains(name), "unknown target \(name); one of: all, \(known.joined(separator: ", "))")
            }
            return Configuration(
                executions: executions, seed: UInt64(seed), targets: names, jsonPath: json, crashPath: crash)
        },
        body: { configuration, _ in
            try? FileManager.default.createDirectory(
                atPath: (configuration.crashPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            CrashCapture.install(path: configuration.crashPath)
            var reports: [FuzzReport] = []
            for name in configuration.targets {
                guard let target = AllFuzzTargets.named(name) else { continue }
                CrashCapture.setTarget(name)
                let report = FuzzEngine.run(
                    target, executions: configuration.executions, seed: configuration.seed,
                    willRun: CrashCapture.record)
                reports.append(report)
                print(FuzzTable.row(report))
                fflush(nil)  // every stream: progress shows up even when piped
            }
            print("")
            print(FuzzTable.render(reports))
            try FuzzTable.writeJSON(reports, seed: configuration.seed, to: configuration.jsonPath)
            print("JSON written to \(configuration.jsonPath)")
            return reports.allSatisfy { $0.failures == 0 && $0.rejectedSeeds.isEmpty } ? 0 : 1
        })
}
