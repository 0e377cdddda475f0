/// Correcting an event time for the skew of the device clock that stamped it.
///
/// A device stamps the event (`timestamp`) and, later, the request that carries it (`sentAt`) with the same clock;
/// the collector stamps the request when it arrives (`RawEvent.received_time_ms`). Whatever the device clock's
/// offset, `sentAt − timestamp` is a true duration (how long the device held the event), so
///
///     event time = received − (sentAt − timestamp)
///
/// places the event on the collector's clock, as Segment does with `receivedAt − (sentAt − originalTimestamp)`.
/// The network transit time is not known and is counted as zero, so a corrected time is at most that much late.
public enum ClockSkew {
    /// `receivedMs − (sentMs − deviceMs)`, saturating at the `Int64` range, so garbage times (any `Int64` parses)
    /// end far outside every bound instead of trapping or wrapping around into a plausible time.
    @inline(__always)
    public static func correctedTimeMs(deviceMs: Int64, sentMs: Int64, receivedMs: Int64) -> Int64 {
        let (held, heldOverflow) = sentMs.subtractingReportingOverflow(deviceMs)
        if heldOverflow { return sentMs < deviceMs ? .max : .min }
        let (corrected, overflow) = receivedMs.subtractingReportingOverflow(held)
        if overflow { return held < 0 ? .max : .min }
        return corrected
    }

    /// Whether the collector's receive time is known: a `RawEvent` without one carries the proto3 default 0, and
    /// then no correction is made and the time bounds relative to it are not checked.
    @inline(__always)
    public static func isKnown(receivedMs: Int64) -> Bool {
        receivedMs > 0
    }
}
