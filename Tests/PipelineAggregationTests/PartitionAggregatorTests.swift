import Foundation
import PipelineAggregation
import PipelineBigtable
import PipelineTables
import Testing

/// The aggregation core without I/O: windows, lateness, redelivery, reload after a partial flush, finalisation.
@Suite struct PartitionAggregatorTests {
    static let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z, a Thursday

    static func play(_ user: String, at time: Int64, song: String = "s1", ms: Int64 = 200_000) -> AggregateInput {
        AggregateInput(userID: user, eventType: "song_play", eventTimeMs: time, page: "NextSong", songID: song, playMs: ms)
    }

    static func fresh(lateness: Int64 = 60_000) -> PartitionAggregator {
        PartitionAggregator(topic: "events.clean", partition: 3, allowedLatenessMs: lateness, checkpoint: nil)
    }

    /// Every stored cell of a flush, as a table would hold it.
    static func store(_ entries: [BigtableMutationEntry], into table: inout [String: [String: Data]]) {
        for entry in entries {
            for case .setCell(let family, let qualifier, _, let value) in entry.mutations {
                table[String(decoding: entry.rowKey, as: UTF8.self), default: [:]][family + ":" + String(decoding: qualifier, as: UTF8.self)] = value
            }
        }
    }

    static func cell(_ table: [String: [String: Data]], _ row: String, _ column: String) -> AggregateCell? {
        table[row]?[column].flatMap { AggregateCell(encoded: $0) }
    }

    @Test func windowsAreUTCHoursDaysAndISOWeeks() {
        let time = Self.t0 + 5 * AggregateWindow.hourMs + 123
        #expect(AggregateWindow(.hour, containing: time).startMs == Self.t0 + 5 * AggregateWindow.hourMs)
        #expect(AggregateWindow(.day, containing: time).rowDate == "2026-01-01")
        // 2026-01-01 is a Thursday: ISO week 1 of 2026 starts Monday 2025-12-29.
        let week = AggregateWindow(.week, containing: time)
        #expect(week.rowDate == "2026-W01")
        #expect(AggregateWindow.dateText(week.startMs) == "2025-12-29")
        #expect(AggregateWindow(.week, containing: Self.t0 - 4 * AggregateWindow.dayMs).rowDate == "2025-W52")
        #expect(EventsAggregateTable.weekStart("2026-W01") == week.startMs)
        #expect(EventsAggregateTable.dayStart("2026-01-01") == Self.t0)
        #expect(AggregateWindow(.week, containing: EventsAggregateTable.dayStart("2027-01-01")!).rowDate == "2026-W53")
    }

    @Test func cellsRoundTripThroughTheirEncoding() {
        var cell = AggregateCell()
        cell.add(eventType: "song_play", userID: "u-1", playMs: 5, priceMicros: nil, offset: 7)
        cell.add(eventType: "add_to_cart", userID: "u-2", playMs: nil, priceMicros: -3, offset: 9)
        #expect(AggregateCell(encoded: cell.encoded()) == cell)
        #expect(cell.encoded() == AggregateCell(encoded: cell.encoded())!.encoded())
        #expect(AggregateCell(encoded: Data([9, 1, 2])) == nil)
    }

    @Test func anEventCountsInEveryDimensionAndWindow() {
        var aggregator = Self.fresh()
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 10), offset: 0) == .applied)
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 20, ms: 100), offset: 1) == .applied)
        #expect(aggregator.apply(Self.play("u-2", at: Self.t0 + 30), offset: 2) == .applied)
        var table: [String: [String: Data]] = [:]
        Self.store(aggregator.flush().entries, into: &table)
        let hour = Self.cell(table, "song#s1#2026-01-01", "hourly_stats:00#p003")
        #expect(hour?.count == 3)
        #expect(hour?.users == ["u-1", "u-2"])
        #expect(hour?.playMsSum == 400_100 && hour?.playMsMax == 200_000)
        #expect(hour?.lastOffset == 2)
        #expect(Self.cell(table, "song#s1#2026-01-01", "daily_stats:p003")?.count == 3)
        #expect(Self.cell(table, "song#s1#2026-W01", "weekly_stats:p003")?.count == 3)
        #expect(Self.cell(table, "user#u-1#2026-01-01", "daily_stats:p003")?.count == 2)
        #expect(Self.cell(table, "all#all#2026-01-01", "daily_stats:p003")?.countByType == ["song_play": 3])
        #expect(Self.cell(table, "event_type#song_play#2026-01-01", "daily_stats:p003")?.users.count == 2)
        #expect(Self.cell(table, "page#NextSong#2026-01-01", "daily_stats:p003")?.count == 3)
    }

    @Test func redeliveredEventsAreNotCountedTwice() {
        var aggregator = Self.fresh()
        _ = aggregator.apply(Self.play("u-1", at: Self.t0), offset: 0)
        _ = aggregator.apply(Self.play("u-1", at: Self.t0), offset: 1)
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0), offset: 1) == .alreadyApplied)
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0), offset: 0) == .alreadyApplied)
        var table: [String: [String: Data]] = [:]
        Self.store(aggregator.flush().entries, into: &table)
        #expect(Self.cell(table, "all#all#2026-01-01", "daily_stats:p003")?.count == 2)
    }

    /// A crash after some cells of a flush were written: a reloaded instance replays from the checkpoint and applies
    /// each event only to the cells that do not have it yet.
    @Test func aReloadAfterAPartialFlushEndsExact() {
        let events = (0..<6).map { Self.play("u-\($0 % 2)", at: Self.t0 + Int64($0) * 1000, song: "s\($0 % 3)") }
        // The reference: one uninterrupted run.
        var reference = Self.fresh()
        for (offset, event) in events.enumerated() { _ = reference.apply(event, offset: Int64(offset)) }
        var expected: [String: [String: Data]] = [:]
        Self.store(reference.flush().entries, into: &expected)

        // First incarnation: events 0–2 durable with a checkpoint at 2, then 3–5 of which only some rows landed.
        var first = Self.fresh()
        var table: [String: [String: Data]] = [:]
        for offset in 0..<3 { _ = first.apply(events[offset], offset: Int64(offset)) }
        let flush = first.flush()
        Self.store(flush.entries, into: &table)
        let checkpoint = (offset: Int64(2), maxEventTimeMs: first.maxEventTimeMs)
        for offset in 3..<6 { _ = first.apply(events[offset], offset: Int64(offset)) }
        let partial = first.flush().entries
        Self.store(Array(partial.prefix(partial.count / 2)), into: &table)

        // Second incarnation: redelivery from offset 1 (committed offsets may lag the checkpoint).
        var second = PartitionAggregator(topic: "events.clean", partition: 3, allowedLatenessMs: 60_000, checkpoint: checkpoint)
        let pending = (1..<6).map { (input: events[$0], offset: Int64($0)) }
        for row in second.rowsToLoad(pending) {
            let stored = (table[row] ?? [:]).compactMap { column, value -> (window: AggregateWindow, cell: AggregateCell)? in
                let parts = column.split(separator: ":", maxSplits: 1)
                guard let granularity = AggregateGranularity.allCases.first(where: { $0.family == parts[0] }),
                    let cell = AggregateCell(encoded: value)
                else { return nil }
                let date = row.split(separator: "#").last!
                let start: Int64 =
                    switch granularity {
                    case .hour: EventsAggregateTable.dayStart(date)! + Int64(parts[1].prefix(2))! * AggregateWindow.hourMs
                    case .day: EventsAggregateTable.dayStart(date)!
                    case .week: EventsAggregateTable.weekStart(date)!
                    }
                return (AggregateWindow(granularity: granularity, startMs: start), cell)
            }
            second.load(rowKey: row, cells: stored)
        }
        for (input, offset) in pending { _ = second.apply(input, offset: offset) }
        Self.store(second.flush().entries, into: &table)
        #expect(Self.decoded(table) == Self.decoded(expected))
    }

    /// Cell values decoded: the aggregator writes users in first-seen order, so equal cells need not be equal bytes.
    static func decoded(_ table: [String: [String: Data]]) -> [String: [String: AggregateCell?]] {
        table.mapValues { $0.mapValues { AggregateCell(encoded: $0) } }
    }

    /// Twelve days of distinct users: finalised windows release their values, and the numbers stay those of a
    /// straightforward model.
    @Test func memoryFollowsOpenWindowsAndTotalsStayExact() {
        var aggregator = Self.fresh(lateness: 1_000)
        var table: [String: [String: Data]] = [:]
        var model: [String: (count: UInt64, users: Set<String>)] = [:]
        var offset: Int64 = 0
        for hour in 0..<(12 * 24) {
            for n in 0..<50 {
                let user = "u-\(hour)-\(n % 40)"
                let time = Self.t0 + Int64(hour) * AggregateWindow.hourMs + Int64(n) * 1_000
                #expect(aggregator.apply(Self.play(user, at: time, song: "s\(n % 7)"), offset: offset) == .applied)
                offset += 1
                let hourKey = "all#all#" + AggregateWindow.dateText(time) + " " + String(format: "%02d", hour % 24)
                model[hourKey, default: (0, [])].count += 1
                model[hourKey, default: (0, [])].users.insert(user)
            }
            Self.store(aggregator.flush().entries, into: &table)
            aggregator.checkpointed()
        }
        // 12 days × 24 hours × 40 users were seen; once weeks are final only the open week's values are kept (the
        // last day's 960 users, a few pages, songs and types).
        #expect(aggregator.knownValues < 24 * 40 + 20)
        for (key, expected) in model {
            let parts = key.split(separator: " ")
            let cell = Self.cell(table, String(parts[0]), "hourly_stats:\(parts[1])#p003")
            #expect(cell?.count == expected.count, "\(key)")
            #expect(cell?.users == expected.users, "\(key)")
        }
    }

    @Test func lateEventsAreRejectedAndWindowsFinalisedOnceTheWatermarkPasses() {
        var aggregator = Self.fresh(lateness: 5_000)
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 10_000), offset: 0) == .applied)
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 6_000), offset: 1) == .applied)  // 4 s late: allowed
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 4_000), offset: 2) == .late(watermarkMs: Self.t0 + 5_000))
        _ = aggregator.flush()
        // An event past the hour moves the watermark beyond the first hour: it is finalised and dropped.
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + AggregateWindow.hourMs + 10_000), offset: 3) == .applied)
        let flush = aggregator.flush()
        let marks = flush.entries.flatMap { entry in
            entry.mutations.compactMap { mutation -> String? in
                guard case .setCell(let family, let qualifier, _, _) = mutation, family == "metadata" else { return nil }
                return String(decoding: entry.rowKey, as: UTF8.self) + " " + String(decoding: qualifier, as: UTF8.self)
            }
        }
        #expect(marks.contains("all#all#2026-01-01 final#hour#00#p003"))
        #expect(!marks.contains { $0.contains("final#day") })
        #expect(flush.windowsFinalised == 5)  // hour 00 of the all, user, event_type, page and song rows
        #expect(aggregator.apply(Self.play("u-1", at: Self.t0 + 1_000), offset: 4) == .late(watermarkMs: Self.t0 + AggregateWindow.hourMs + 5_000))
        #expect(flush.checkpoint != nil)
    }
}
