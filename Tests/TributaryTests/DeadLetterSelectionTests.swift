import PipelineMessages
import Testing

@testable import Tributary

/// What `tributary dlq replay` sends, passes over and leaves for later, and how far it may move each group's
/// progress: progress must never pass a letter that was neither sent nor passed over on purpose.
struct DeadLetterSelectionTests {
    static func entry(
        _ offset: Int64, partition: Int32 = 0, reason: String = "out_of_range", stage: String = "transformer",
        timeMs: Int64 = 1_000, replayCount: UInt32 = 0, value: [UInt8]? = [1]
    ) -> DeadLetterLog.Entry {
        DeadLetterLog.Entry(
            partition: partition, offset: offset,
            letter: DeadLetter(
                originalKey: nil, originalValue: value, topic: "events.raw", partition: 0, offset: offset,
                originalTimestampMs: 0, stage: stage, reason: reason, detail: "", timeMs: timeMs,
                replayCount: replayCount))
    }

    static func filter(
        reason: String? = "out_of_range", stage: String? = nil, since: Int64? = nil, until: Int64? = nil,
        maxReplays: UInt32 = 3, limit: Int? = nil
    ) -> DeadLetterSelection.Filter {
        .init(reason: reason, stage: stage, sinceMs: since, untilMs: until, maxReplays: maxReplays, limit: limit)
    }

    @Test func lettersOfOtherReasonsAndStagesAreNotTouched() {
        var selection = DeadLetterSelection(filter: Self.filter(stage: "transformer"))
        for entry in [
            Self.entry(0), Self.entry(1, reason: "invalid_json"), Self.entry(2, stage: "aggregator"), Self.entry(3),
        ] {
            selection.add(entry)
        }
        #expect(selection.toReplay.map(\.offset) == [0, 3])
        let progress = selection.progress(end: [0: 10])
        #expect(progress == [.init(reason: "out_of_range", stage: "transformer", partition: 0): 10])
    }

    @Test func aLetterLeftForLaterHoldsItsGroupsProgressAndEveryLetterAfterIt() {
        var selection = DeadLetterSelection(filter: Self.filter(until: 2_000))
        selection.add(Self.entry(0, timeMs: 1_000))
        selection.add(Self.entry(1, timeMs: 2_500))  // from --until on: waits
        selection.add(Self.entry(2, timeMs: 1_500))  // within range, but after a waiting letter: waits too
        selection.add(Self.entry(3, partition: 1, timeMs: 1_000))
        #expect(selection.toReplay.map(\.offset) == [0, 3])
        let progress = selection.progress(end: [0: 10, 1: 7])
        #expect(progress[.init(reason: "out_of_range", stage: "transformer", partition: 0)] == 1)
        #expect(progress[.init(reason: "out_of_range", stage: "transformer", partition: 1)] == 7)
    }

    @Test func lettersBeforeSinceOrAtMaxReplaysArePassedOverForGoodAndTombstonesAreReplayed() {
        var selection = DeadLetterSelection(filter: Self.filter(since: 1_000, maxReplays: 2))
        selection.add(Self.entry(0, timeMs: 999))
        selection.add(Self.entry(1, replayCount: 2))
        selection.add(Self.entry(2, value: nil))  // a tombstone goes back as a tombstone
        selection.add(Self.entry(3, replayCount: 1))
        #expect(selection.toReplay.map(\.offset) == [2, 3])
        #expect(
            selection.tallies["out_of_range"]?["transformer"]
                == .init(replay: 2, passedOver: ["before_since": 1, "at_max_replays": 1], waiting: 0))
        #expect(selection.progress(end: [0: 4]).values.first == 4)
    }

    @Test func aLetterWrittenTwiceForOneRecordIsReplayedOnce() {
        // A stage killed after its letter was durable but before its input was committed dead-letters it again.
        var selection = DeadLetterSelection(filter: Self.filter())
        selection.add(Self.entry(0))
        selection.add(Self.entry(1, partition: 1))
        var copy = Self.entry(2)
        copy.letter.offset = 0  // the same original record as the first letter
        selection.add(copy)
        #expect(selection.toReplay.map(\.offset) == [0, 1])
        #expect(selection.tallies["out_of_range"]?["transformer"]?.passedOver == ["duplicate_letter": 1])
    }

    @Test func theLimitLeavesTheRestWaiting() {
        var selection = DeadLetterSelection(filter: Self.filter(limit: 2))
        for offset in 0..<5 { selection.add(Self.entry(Int64(offset))) }
        #expect(selection.toReplay.map(\.offset) == [0, 1])
        #expect(selection.progress(end: [0: 5]).values.first == 2)
    }

    @Test func aDryRunReportNamesWhatWouldBeSentPerReasonAndStage() {
        var selection = DeadLetterSelection(filter: Self.filter(reason: nil))
        selection.add(Self.entry(0))
        selection.add(Self.entry(1, reason: "late_event", stage: "aggregator", replayCount: 3))
        let report = DeadLetterReplayReport.json(selection.tallies, dryRun: true)
        #expect(report.contains(#"{"reason":"late_event","would_replay":0,"passed_over":{"at_max_replays":1}"#), "\(report)")
        #expect(report.contains(#"{"reason":"out_of_range","would_replay":1,"passed_over":{},"waiting":0"#), "\(report)")
    }
}
