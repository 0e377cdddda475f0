// MARK: - Devices with broken clocks

/// Records drawn as ``BadRecordKind/futureTimestamp``: a device whose clock is minutes, days or decades off.
///
/// The transformer puts an event on the collector's clock with `received − (sentAt − timestamp)`, so:
/// - a device that stamps both `timestamp` and `sentAt` with the same skewed clock is corrected exactly: these
///   records are **good**, and their corrected time is the draft's true time (``SyntheticRecord/eventTimeMs``);
/// - a device whose `timestamp` ends more than ``ClickstreamContract/maxFutureMs`` after its receive time is a
///   `future_timestamp` dead letter: either it sends no `sentAt` and dates the event in 2099 (the issue's broken
///   clock), or its `timestamp` is minutes, days or decades *after* its own `sentAt` (the clock was set back
///   between stamping and sending). Neither depends on the receive time, so the outcome is fixed by
///   (seed, index) even though the generator stamps the wall clock.
///
/// Which of the two a record is comes from its own stream (``Stream/clockSkew``), so ``ExpectedCounts`` can
/// tell without building payloads.
extension EventSynthesizer {
    /// A year of the mean Gregorian calendar, in ms.
    static let yearMs: Int64 = 31_556_952_000
    /// 2099-01-01T00:00:00Z: broken clocks without a send time land in the contract's last year.
    static let brokenClockYearStartMs: Int64 = 4_070_908_800_000

    /// The receive time record `index` is built for when the caller gives none: a fixed delay after the latest
    /// time its event can have, so every clean record is at most that much before its receive time.
    public func defaultReceivedTimeMs(at index: UInt64) -> Int64 {
        nominalTimeMs(at: index) + Int64(jitterRange) + 100
    }

    /// Whether a clock-skew draw at `index` is a device the transformer corrects (a good record).
    @inline(__always)
    func isCorrectableSkew(at index: UInt64) -> Bool {
        mix64(clockSkewKey &+ index &* goldenGamma) & 1 == 0
    }

    func clockSkew(_ draft: Draft) -> SyntheticRecord {
        var d = draft
        let receivedTimeMs = d.receivedTimeMs
        d.isMessy = false
        // The correctable bit is the state's low bit; the draws below are the stream's outputs after it.
        var rng = SplitMix64(state: mix64(clockSkewKey &+ d.index &* goldenGamma))
        var shape = Shape()
        let magnitude = rng.below(3)
        let note: String
        if isCorrectableSkew(at: d.index) {
            let sign: Int64 = rng.chance(1, in: 2) ? 1 : -1
            let skew = sign * offset(magnitude, &rng)
            shape.set(.timestamp, Self.decimal(d.timeMs + skew))
            shape.extraMember = sentAtMember(receivedTimeMs + skew, iso: rng.chance(1, in: 2))
            note = "skew:\(Self.magnitudeNames[magnitude]):\(sign > 0 ? "ahead" : "behind")"
            return makeRecord(
                d, payload: payload(d, shape), kind: .good, hasEventId: true, note: note)
        }
        if rng.chance(1, in: 3) {
            // A whole second of 2099 (365 days: not a leap year).
            let ms = Self.brokenClockYearStartMs + Int64(rng.below(365 * 86_400)) * 1000
            shape.set(.timestamp, Self.decimal(ms))
            note = "future:no_sent_at"
        } else {
            // The device held the event for a negative time: its clock went back by more than the bound.
            let lead = ClickstreamContract.maxFutureMs + offset(magnitude, &rng)
            let sentAt = receivedTimeMs + Int64(rng.below(10_000)) - 5_000
            shape.set(.timestamp, Self.decimal(sentAt + lead))
            shape.extraMember = sentAtMember(sentAt, iso: rng.chance(1, in: 2))
            note = "future:\(Self.magnitudeNames[magnitude])_after_sent_at"
        }
        return makeRecord(d, payload: payload(d, shape), kind: .bad(.futureTimestamp), hasEventId: true, note: note)
    }

    static let magnitudeNames = ["minutes", "days", "decades"]

    /// A positive clock error: 1–59 minutes, 1–30 days or 10–30 years, with milliseconds.
    private func offset(_ magnitude: Int, _ rng: inout SplitMix64) -> Int64 {
        let ms = Int64(rng.below(60_000))
        switch magnitude {
        case 0: return Int64(1 + rng.below(59)) * 60_000 + ms
        case 1: return Int64(1 + rng.below(30)) * 86_400_000 + ms
        default: return Int64(10 + rng.below(21)) * Self.yearMs + ms
        }
    }

    /// `"sentAt":<epoch ms>` or `"sentAt":"<ISO-8601>"`: the formats `timestamp` accepts.
    private func sentAtMember(_ ms: Int64, iso: Bool) -> [UInt8] {
        var w = JSONBytes(capacity: 40)
        w.raw("\"sentAt\":")
        if iso {
            w.byte(UInt8(ascii: "\""))
            w.iso8601(epochMs: ms)
            w.byte(UInt8(ascii: "\""))
        } else {
            w.int(ms)
        }
        return w.bytes
    }

    private static func decimal(_ ms: Int64) -> [UInt8] {
        var w = JSONBytes(capacity: 21)
        w.int(ms)
        return w.bytes
    }
}
