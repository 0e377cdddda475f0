import Testing

@testable import PipelineRuntime

@Suite("DurationText")
struct DurationTextTests {
    @Test(
        "parses suffixed, compound and plain values",
        arguments: [
            ("250ms", Duration.milliseconds(250)), ("5s", .seconds(5)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
            ("1.5s", .milliseconds(1500)), ("1h30m", .seconds(5400)), ("100us", .microseconds(100)),
            ("7ns", .nanoseconds(7)), (" 3s ", .seconds(3)), ("0", .zero),
        ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test("plain numbers use the stated unit")
    func plainUnit() {
        #expect(DurationText.parse("30", plainUnit: .milliseconds) == .milliseconds(30))
        #expect(DurationText.parse("2", plainUnit: .minutes) == .seconds(120))
    }

    @Test("rejects garbage", arguments: ["", "abc", "5x", "-5s", "s", "1e400", "5 s", "ms5"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("renders in the largest exact unit and round-trips")
    func renders() {
        #expect(DurationText.render(.seconds(25)) == "25s")
        #expect(DurationText.render(.milliseconds(250)) == "250ms")
        #expect(DurationText.render(.seconds(7200)) == "2h")
        #expect(DurationText.render(.seconds(90)) == "90s")
        #expect(DurationText.render(.zero) == "0s")
        for duration in [Duration.milliseconds(1500), .nanoseconds(3), .seconds(3600 * 5 + 60)] {
            #expect(DurationText.parse(DurationText.render(duration)) == duration)
        }
    }
}
