import Foundation
import PipelineFuzzing
import PipelineFuzzingGoogle
import Testing

/// The short (CI) form of the fuzz suite: every decoder of outside input gets 10,000 seeded mutations of its
/// seed corpus. A crash fails the whole run; every other input must be accepted (with its round trip) or
/// rejected with a typed error that describes itself. `tributary fuzz` runs the long form.
@Suite("Fuzz suite")
struct FuzzSuiteTests {
    /// `FUZZ_EXECUTIONS=1000000 swift test --filter FuzzSuiteTests` for a longer hunt, `FUZZ_SEED` to vary it.
    static let executions = ProcessInfo.processInfo.environment["FUZZ_EXECUTIONS"].flatMap(Int.init) ?? 10_000
    static let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 1

    static let targetNames = AllFuzzTargets.list.map(\.name)

    @Test(arguments: targetNames)
    func target(_ name: String) throws {
        let target = try #require(AllFuzzTargets.named(name))
        let report = FuzzEngine.run(target, executions: Self.executions, seed: Self.seed)
        #expect(report.executions == Self.executions)
        #expect(report.failures == 0, "\(name): \(report.failureSamples)")
        // Every seed decodes, so mutations start from inputs that reach the deepest checks.
        #expect(report.rejectedSeeds.isEmpty, "\(name): \(report.rejectedSeeds)")
        // Both outcomes occur well beyond the seeds, or the mutations are not exploring the decoder.
        #expect(report.accepted > target.seeds.count + Self.executions / 200, "\(name): \(report.accepted) accepted")
        #expect(report.rejected > Self.executions / 20, "\(name): \(report.rejected) rejected")
    }

    @Test func targetsHaveDistinctNamesAndSeeds() {
        #expect(Set(Self.targetNames).count == Self.targetNames.count)
        for target in AllFuzzTargets.list {
            #expect(!target.seeds.isEmpty, "\(target.name)")
            #expect(target.seeds.allSatisfy { $0.count <= target.maximumInputBytes }, "\(target.name)")
        }
        // One target per decoder family the reliability issue names.
        for prefix in ["protobuf.", "clickstream.", "salesforce.", "cdc.", "http.", "alerting.", "bigtable.", "aggregate.", "google."] {
            #expect(Self.targetNames.contains { $0.hasPrefix(prefix) }, "no \(prefix) target")
        }
    }

    @Test func sameSeedSameRun() throws {
        let target = try #require(AllFuzzTargets.named("salesforce.json"))
        let first = FuzzEngine.run(target, executions: 2_000, seed: 42)
        let second = FuzzEngine.run(target, executions: 2_000, seed: 42)
        let third = FuzzEngine.run(target, executions: 2_000, seed: 43)
        #expect((first.accepted, first.errorKinds) == (second.accepted, second.errorKinds))
        #expect((first.accepted, first.errorKinds) != (third.accepted, third.errorKinds))
    }

    @Test func aBrokenContractIsReportedNotHidden() {
        let target = FuzzTarget(name: "test.picky", summary: "fails on bytes starting with 0xFF", seeds: [[0x01], [0x00, 0x01], [0xFF]]) {
            bytes in
            switch bytes.first {
            case 0xFF: .failed("0xFF first")
            case 0x00: .rejection(kind: "silent", message: " ")
            case nil: .rejection(kind: "empty", message: "no bytes")
            default: .accepted
            }
        }
        let report = FuzzEngine.run(target, executions: 5_000, seed: 7)
        #expect(report.failures > 0)
        #expect(report.failureSamples.contains { $0.message == "0xFF first" && $0.inputHex.hasPrefix("ff") })
        // A rejection without a description is a failure, not a rejection.
        #expect(report.failureSamples.contains { $0.message.contains("without a description") })
        #expect(report.errorKinds["silent"] == nil)
        #expect(report.accepted + report.rejected + report.failures == report.executions)
    }
}
