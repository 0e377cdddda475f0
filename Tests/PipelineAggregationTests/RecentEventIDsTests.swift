import PipelineAggregation
import Testing

@Suite struct RecentEventIDsTests {
    @Test func aCopyWithinTheWindowIsSeenAndOneOutsideItIsNot() {
        var window = RecentEventIDs(depth: 10)
        let a = RecentEventIDs.hash("ev-a")
        let b = RecentEventIDs.hash("ev-b")
        let seen1 = window.contains(a, before: 100)
        #expect(!seen1)
        window.record(a, at: 100)
        window.record(b, at: 105)
        let seen2 = window.contains(a, before: 110)  // offsets [100, 110): a is at 100
        #expect(seen2)
        let seen3 = window.contains(a, before: 111)  // a fell out; b stays
        #expect(!seen3)
        let seen4 = window.contains(b, before: 111)
        #expect(seen4)
        #expect(window.count == 1)
    }

    @Test func anIdRecordedTwiceStaysUntilItsLastCopyLeaves() {
        var window = RecentEventIDs(depth: 5)
        let a = RecentEventIDs.hash("ev-a")
        window.record(a, at: 1)
        window.record(a, at: 4)
        let seen5 = window.contains(a, before: 7)  // the copy at 4 is still inside [2, 7)
        #expect(seen5)
        let seen6 = window.contains(a, before: 10)
        #expect(!seen6)
    }

    @Test func manyRecordsKeepOnlyTheDepth() {
        var window = RecentEventIDs(depth: 1_000)
        for offset in 0..<50_000 { window.record(RecentEventIDs.hash("ev-\(offset)"), at: Int64(offset)) }
        let newest = window.contains(RecentEventIDs.hash("ev-49000"), before: 50_000)
        let evicted = window.contains(RecentEventIDs.hash("ev-48999"), before: 50_000)
        #expect(newest)
        #expect(!evicted)
        #expect(window.count == 1_000)  // offsets [49000, 50000)
    }

    @Test func theHashIsStableAcrossProcesses() {
        // FNV-1a of "a" is a published test vector; a per-process seeded hash would differ.
        #expect(RecentEventIDs.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(RecentEventIDs.hash("") == 0xcbf2_9ce4_8422_2325)
    }
}
