import Foundation
import PipelineFuzzing
import PipelineFuzzingGoogle
import Testing

/// Inputs that once crashed or slowed a decoder, replayed through its fuzz target: each must now end in a
/// clean outcome.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func run(_ name: String, _ input: [UInt8]) throws -> FuzzOutcome {
        let target = try #require(AllFuzzTargets.named(name))
        return target.makeRunner()(input)
    }

    /// An aggregate cell whose stored `lastOffset + 1` is 2⁶³: `Int64(bitPattern:) - 1` trapped (arithmetic
    /// overflow), so one corrupt Bigtable cell would crash the aggregator on every restart.
    @Test func aggregateCellOffsetOfTwoToThe63() throws {
        let input: [UInt8] = [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] + [0, 0, 0, 0, 0, 0, 0]
        guard case .rejected = try Self.run("aggregate.cell", input) else {
            Issue.record("a cell with offset 2⁶³ must be refused")
            return
        }
    }

    /// A cell claiming 2⁶⁴-1 users reserved a million-entry set before failing on the missing bytes.
    @Test func aggregateCellHugeUserCount() throws {
        let input: [UInt8] = [0x01, 0, 0, 0, 0, 0, 0, 0] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        guard case .rejected = try Self.run("aggregate.cell", input) else {
            Issue.record("a cell with more users than bytes must be refused")
            return
        }
    }

    /// The length-corrupting mutation overflowed on a length prefix of 2⁶⁴-1 (a bug in the engine itself).
    @Test func hugeLengthPrefixMutates() throws {
        let target = FuzzTarget(
            name: "test.huge-length", summary: "any bytes", seeds: [[0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]]
        ) { _ in .accepted }
        #expect(FuzzEngine.run(target, executions: 3_000, seed: 1).executions == 3_000)
    }
}

/// Datetimes whose offset carries them past 9999-12-31: they read as milliseconds whose SOQL literal has a
/// five-digit year, so a file row (or watermark) stamped with one would make every later query invalid.
@Suite("Fuzz regressions: Salesforce datetimes")
struct SalesforceDateTimeRegressionTests {
    @Test(arguments: ["9999-12-31T23:50:00.5-05:30", "9999-12-31T20:00:01.5-05:30", "0000-01-01T00:00:00+01:00"])
    func outOfRangeAfterOffset(_ text: String) throws {
        guard case .rejected = try FuzzRegressionTests.run("salesforce.datetime", Array(text.utf8)) else {
            Issue.record("\(text) must be refused")
            return
        }
    }
}
