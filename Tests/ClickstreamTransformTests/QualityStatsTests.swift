import ClickstreamTransform
import Testing

@Suite struct QualityStatsTests {
    private func stats() -> QualityStats {
        QualityStats(checks: ["a", "b"], reasons: ["ra", "rb"], mostly: [0.9, nil], bucketMs: 1000, bucketCount: 3)
    }

    @Test func countsEvaluationsAndFailuresPerCheck() {
        var s = stats()
        for i in 0..<100 { s.record([i < 20 ? .failed : .passed, .notEvaluated], atMs: 500) }
        #expect(s.totals(nowMs: 900) == [.init(check: "a", evaluations: 100, failures: 20), .init(check: "b", evaluations: 0, failures: 0)])
        let alerts = s.failingChecks(nowMs: 900)
        #expect(alerts.map(\.check) == ["a"] && alerts[0].reason == "ra")
        #expect(abs(alerts[0].failureRate - 0.2) < 1e-9 && abs(alerts[0].threshold - 0.1) < 1e-9)
    }

    @Test func theWindowSlides() {
        var s = stats()
        for _ in 0..<200 { s.record([.failed, .failed], atMs: 0) }
        for _ in 0..<200 { s.record([.passed, .passed], atMs: 2500) }
        #expect(s.totals(nowMs: 2500)[0] == .init(check: "a", evaluations: 400, failures: 200))
        #expect(s.totals(nowMs: 3000)[0] == .init(check: "a", evaluations: 200, failures: 0))
        #expect(s.failingChecks(nowMs: 3000).isEmpty)
        for _ in 0..<10 { s.record([.failed, .passed], atMs: 3100) }  // reuses bucket 0's slot
        #expect(s.totals(nowMs: 3100)[0] == .init(check: "a", evaluations: 210, failures: 10))
        s.record([.failed, .failed], atMs: 100)  // older than the window: dropped
        #expect(s.totals(nowMs: 3100)[0].evaluations == 210)
    }

    @Test func defaultsAndMinimumsApply() {
        var s = stats()
        for _ in 0..<50 { s.record([.failed, .failed], atMs: 10) }
        #expect(s.failingChecks(nowMs: 10).isEmpty)  // below 100 evaluations
        #expect(s.failingChecks(nowMs: 10, minimumEvaluations: 10).map(\.check) == ["a"])
        #expect(s.failingChecks(nowMs: 10, minimumEvaluations: 10, defaultMostly: 0.5).map(\.check) == ["a", "b"])
    }

    @Test func theTransformerFeedsItsStats() {
        let t = Fixtures.transformer()
        for _ in 0..<150 {
            _ = t.transform(payload: Array("{\"eventId\":1}".utf8), source: "s", receivedTimeMs: 0, processedTimeMs: 1_000)
        }
        let totals = t.stats.totals(nowMs: 1_000)
        #expect(totals.first { $0.check == "not_null:eventId" }?.evaluations == 150)
        #expect(totals.first { $0.check == "not_null:userId" }?.failures == 150)
        #expect(totals.first { $0.check == "type:eventId" }?.evaluations == 0)
        #expect(t.stats.failingChecks(nowMs: 1_000).map(\.check) == ["not_null:userId"])
    }
}
