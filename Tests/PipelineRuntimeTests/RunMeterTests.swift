import Foundation
import PipelineRuntime
import Testing

/// `RunMeter`: the `--exit-after` counter and its JSON line. Only counts and shapes are asserted, never times.
@Suite("RunMeter")
struct RunMeterTests {
    @Test("reports nothing before the first record")
    func silentBeforeStart() {
        let meter = RunMeter(limit: 10)
        #expect(meter.reportLine(service: "transformer") == nil)
        #expect(!meter.isDone)
    }

    @Test("turns done exactly when the limit is reached, counting every record")
    func countsToTheLimit() {
        let meter = RunMeter(limit: 5_000)
        #expect(!meter.record(2_000))
        #expect(!meter.record(2_999))
        #expect(meter.record(1))
        #expect(meter.isDone)
        #expect(meter.record(500))
        #expect(meter.records == 5_500)
    }

    @Test("prints one JSON object with the service, the records and non-negative times")
    func reportLine() throws {
        let meter = RunMeter(limit: 3)
        meter.record(3)
        meter.finish()
        let line = try #require(meter.reportLine(service: "bigtable-writer"))
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["service"] as? String == "bigtable-writer")
        #expect(object["messages"] as? Int == 3)
        let seconds = try #require((object["seconds"] as? NSNumber)?.doubleValue)
        let cpu = try #require((object["cpu_seconds"] as? NSNumber)?.doubleValue)
        #expect(seconds >= 0)
        #expect(cpu >= 0)
        let started = try #require((object["started_ms"] as? NSNumber)?.int64Value)
        let finished = try #require((object["finished_ms"] as? NSNumber)?.int64Value)
        #expect(finished >= started)
    }

    @Test("keeps the first finish stamp")
    func finishOnce() throws {
        let meter = RunMeter(limit: 1)
        meter.record(1)
        meter.finish()
        let first = try #require(meter.reportLine(service: "s"))
        for _ in 0..<1_000 { _ = ResourceUsage.current() }
        meter.finish()
        #expect(meter.reportLine(service: "s") == first)
    }

    @Test("counts from concurrent tasks")
    func concurrent() async {
        let meter = RunMeter(limit: 8_000)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<1_000 { meter.record(1) } } }
        }
        #expect(meter.records == 8_000)
        #expect(meter.isDone)
    }
}
