import Testing

@testable import PipelineRuntime

@Suite("ProcessMetrics")
struct ProcessMetricsTests {
    @Test("parses /proc/self/stat even when the command name has spaces and parentheses")
    func parseStat() throws {
        // Fields 3...22 after the name; utime=150, stime=50 (field 14, 15), starttime=1000 (field 22).
        let fields = ["S"] + (4...13).map(String.init) + ["150", "50"] + (16...21).map(String.init) + ["1000", "0"]
        let stat = "1234 (odd (name) x) " + fields.joined(separator: " ")
        let parsed = try #require(ProcessMetrics.parseStat(stat, ticksPerSecond: 100, bootTime: 1_000_000))
        #expect(parsed.cpuSeconds == 2.0)
        #expect(parsed.startTime == 1_000_010)
    }

    @Test("parses statm and the boot time")
    func parseStatmAndBoot() {
        #expect(ProcessMetrics.parseStatm("100 25 3 1 0 10 0\n", pageSize: 4096)! == (409_600, 102_400))
        #expect(ProcessMetrics.parseBootTime("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
        #expect(ProcessMetrics.parseStat("garbage", ticksPerSecond: 100, bootTime: 0) == nil)
    }

    @Test("a live sample is plausible and CPU time grows with work")
    func liveSample() throws {
        let before = try #require(ProcessMetrics.sample())
        #expect(before.residentMemoryBytes > 1_000_000)
        #expect(before.startTimeSeconds > 1_500_000_000)
        #expect((before.openFileDescriptors ?? 0) > 2)
        var accumulator: UInt64 = 0
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(300) {
            for value in 0..<100_000 { accumulator &+= UInt64(value) &* 2_654_435_761 }
        }
        let after = try #require(ProcessMetrics.sample())
        #expect(after.cpuSeconds > before.cpuSeconds, "accumulated \(accumulator)")
        var text: [UInt8] = []
        after.emit(into: &text)
        #expect(String(decoding: text, as: UTF8.self).contains("# TYPE process_resident_memory_bytes gauge\n"))
    }
}
