/// The unit a plain number is read in by ``ConfigReader/duration(_:env:default:help:plainUnit:)``.
public enum DurationUnit: Sendable, CaseIterable {
    case nanoseconds, microseconds, milliseconds, seconds, minutes, hours

    /// The unit's plural name for help texts.
    public var name: String {
        switch self {
        case .nanoseconds: "nanoseconds"
        case .microseconds: "microseconds"
        case .milliseconds: "milliseconds"
        case .seconds: "seconds"
        case .minutes: "minutes"
        case .hours: "hours"
        }
    }

    /// Nanoseconds in one unit.
    var nanoseconds: Double {
        switch self {
        case .nanoseconds: 1
        case .microseconds: 1e3
        case .milliseconds: 1e6
        case .seconds: 1e9
        case .minutes: 60e9
        case .hours: 3600e9
        }
    }
}

/// Parses and prints durations in the `1h30m`, `250ms` notation used by flags and the start-up print.
public enum DurationText {
    /// The suffixes accepted, longest first so `ms` is not read as `m`.
    private static let suffixes: [(String, DurationUnit)] = [
        ("ns", .nanoseconds), ("us", .microseconds), ("µs", .microseconds), ("ms", .milliseconds),
        ("s", .seconds), ("m", .minutes), ("h", .hours),
    ]

    /// Parses `250ms`, `5s`, `1.5m`, `1h30m`, or a plain non-negative number in `plainUnit`.
    /// - Returns: `nil` for anything else, including negative values and overflows.
    public static func parse(_ text: String, plainUnit: DurationUnit = .seconds) -> Duration? {
        let text = text.trimmingSpaces()
        if let plain = Double(text) {
            return self.duration(nanoseconds: plain * plainUnit.nanoseconds)
        }
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (suffix, unit) = self.suffixes.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(suffix.count)
            total += value * unit.nanoseconds
        }
        return self.duration(nanoseconds: total)
    }

    /// Renders a duration in the largest unit that divides it exactly: `2m`, `250ms`, `90s`.
    public static func render(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanos == 0 { return "0s" }
        let units: [(Int64, String)] = [
            (3_600_000_000_000, "h"), (60_000_000_000, "m"), (1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "us"),
        ]
        for (size, suffix) in units where nanos % size == 0 { return "\(nanos / size)\(suffix)" }
        return "\(nanos)ns"
    }

    private static func duration(nanoseconds: Double) -> Duration? {
        guard nanoseconds.isFinite, nanoseconds >= 0, nanoseconds < Double(Int64.max) else { return nil }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }
}
