import ClickstreamModel
import Testing

@Suite("Determinism")
struct DeterminismTests {
    @Test("same seed and index give identical records, whatever the order or instance")
    func sameSeedSameBytes() {
        let a = EventSynthesizer(seed: 42, badFraction: 0.1)
        let b = EventSynthesizer(seed: 42, badFraction: 0.1)
        let forward = (0..<3_000).map { a.record(at: UInt64($0)) }
        for i in stride(from: 2_999, through: 0, by: -1) {
            #expect(b.record(at: UInt64(i)) == forward[i])
        }
        // Far-away indices (another shard, a restart) are just as reproducible.
        for index: UInt64 in [1_000_000, 987_654_321, UInt64(1) << 40] {
            #expect(a.record(at: index) == b.record(at: index))
        }
    }

    @Test("different seeds give different records and users")
    func differentSeedsDiffer() {
        let a = EventSynthesizer(seed: 1)
        let b = EventSynthesizer(seed: 2)
        var samePayload = 0
        var sameKey = 0
        for i in UInt64(0)..<1_000 {
            let (x, y) = (a.record(at: i), b.record(at: i))
            if x.payload == y.payload { samePayload += 1 }
            if x.key == y.key { sameKey += 1 }
        }
        #expect(samePayload == 0)
        #expect(sameKey < 10)
        #expect(a.userId(ofUser: 0) != b.userId(ofUser: 0))
    }

    @Test("a synthesizer's kinds agree with its records")
    func kindMatchesRecord() {
        let s = EventSynthesizer(seed: 9, badFraction: 0.5)
        for i in UInt64(0)..<5_000 {
            #expect(s.kind(at: i) == s.record(at: i).kind)
        }
    }

    @Test("configuration values are clamped into range")
    func clamping() {
        let s = EventSynthesizer(
            configuration: .init(seed: 1, badFraction: 3, messyFraction: -1, userCount: 0, startTimeMs: 0))
        #expect(s.configuration.badFraction == 1)
        #expect(s.configuration.messyFraction == 0)
        #expect(s.configuration.userCount == 1)
        #expect(s.configuration.startTimeMs > ClickstreamContract.minTimestampMs)
        #expect(!s.record(at: 10).isMessy)
    }
}
