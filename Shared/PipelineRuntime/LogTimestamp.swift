import Glibc

/// A wall-clock instant rendered as RFC 3339 UTC with milliseconds, without Foundation.
public struct LogTimestamp: Sendable, Equatable {
    /// Seconds since the Unix epoch.
    public var seconds: Int
    /// Nanoseconds within the second.
    public var nanoseconds: Int

    /// Creates a timestamp from its parts.
    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The current wall-clock time.
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LogTimestamp(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    /// `2026-11-23T13:00:00.123Z`.
    public var rfc3339: String {
        var time = time_t(self.seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let millis = Int32(self.nanoseconds / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
