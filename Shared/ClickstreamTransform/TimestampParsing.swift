/// Event times as the contract allows them: epoch ms as a decimal-integer string, or an ISO-8601 UTC
/// date-time `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
enum TimestampParsing {
    /// Epoch ms from a timestamp string's content, or `nil` when it is neither form.
    ///
    /// ISO dates must be real calendar dates (February 30 is refused), hours 00–23, minutes and seconds 00–59;
    /// fraction digits past milliseconds are truncated, as the synthesizer's reference does.
    static func parse(_ p: UnsafeRawPointer, count: Int) -> Int64? {
        guard count > 0 else { return nil }
        @inline(__always) func byte(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        if count < 20 || byte(4) != 0x2D {
            return decimalInteger(p, count: count)
        }
        return iso8601(p, count: count)
    }

    /// `[+-]?[0-9]+` fitting in an `Int64`.
    static func decimalInteger(_ p: UnsafeRawPointer, count: Int) -> Int64? {
        var i = 0
        var negative = false
        let first = p.load(as: UInt8.self)
        if first == 0x2D || first == 0x2B {
            negative = first == 0x2D
            i = 1
        }
        guard i < count else { return nil }
        var value: Int64 = 0
        while i < count {
            let d = p.load(fromByteOffset: i, as: UInt8.self) &- 0x30
            guard d < 10 else { return nil }
            let (a, o1) = value.multipliedReportingOverflow(by: 10)
            let (b, o2) = a.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = b
            i += 1
        }
        return negative ? -value : value
    }

    static func iso8601(_ p: UnsafeRawPointer, count: Int) -> Int64? {
        @inline(__always) func byte(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        @inline(__always) func digits(_ from: Int, _ n: Int) -> Int64? {
            var v: Int64 = 0
            for k in from..<(from + n) {
                let d = byte(k) &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard count >= 20, byte(4) == 0x2D, byte(7) == 0x2D, byte(10) == 0x54, byte(13) == 0x3A, byte(16) == 0x3A,
            byte(count - 1) == 0x5A,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var ms: Int64 = 0
        if count > 20 {
            let fractionDigits = count - 21
            guard byte(19) == 0x2E, fractionDigits >= 1, fractionDigits <= 9, let f = digits(20, fractionDigits)
            else { return nil }
            var scaled = f
            for _ in 0..<max(0, fractionDigits - 3) { scaled /= 10 }
            for _ in 0..<max(0, 3 - fractionDigits) { scaled *= 10 }
            ms = scaled
        }
        return ((daysFromCivil(year: year, month: month, day: day) * 24 + hour) * 60 + minute) * 60_000
            + second * 1000 + ms
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
