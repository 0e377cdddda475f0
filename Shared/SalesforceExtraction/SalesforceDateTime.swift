/// Salesforce datetimes ↔ epoch milliseconds, by arithmetic (no Foundation formatters, no locale).
///
/// Reads what the REST API renders (`2026-11-30T12:00:00.000+0000`) and the ISO forms SOQL and files use
/// (`…Z`, `…+00:00`, without milliseconds); writes the SOQL literal form `2026-11-30T12:00:00.000Z`.
public enum SalesforceDateTime {
    /// Epoch milliseconds, or nil when `text` is not such a datetime.
    public static func milliseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            let start = i + 1
            i = start
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            let digits = i - start
            guard (1...9).contains(digits), let fraction = number(b, start, min(digits, 3)) else { return nil }
            millis = Int64(fraction) * [100, 10, 1][min(digits, 3) - 1]
        }
        var offsetMinutes: Int64 = 0
        guard i < b.count else { return nil }
        switch b[i] {
        case UInt8(ascii: "Z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard let hours = number(b, i + 1, 2) else { return nil }
            var next = i + 3
            if next < b.count, b[next] == UInt8(ascii: ":") { next += 1 }
            guard let minutes = number(b, next, 2), hours < 24, minutes < 60 else { return nil }
            offsetMinutes = sign * Int64(hours * 60 + minutes)
            i = next + 2
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetMinutes * 60
        let milliseconds = seconds * 1000 + millis
        // An offset can carry 0000-01-01 or 9999-12-31 out of four-digit years, which no SOQL literal can say.
        guard (Self.earliestMs...Self.latestMs).contains(milliseconds) else { return nil }
        return milliseconds
    }

    /// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range a SOQL datetime literal can write.
    static let earliestMs = daysFromCivil(year: 0, month: 1, day: 1) * 86_400_000
    static let latestMs = daysFromCivil(year: 9999, month: 12, day: 31) * 86_400_000 + 86_399_999

    /// The SOQL datetime literal for epoch milliseconds, always UTC: `2026-11-30T12:00:00.000Z`.
    public static func soqlLiteral(milliseconds: Int64) -> String {
        let millis = ((milliseconds % 1000) + 1000) % 1000
        let seconds = (milliseconds - millis) / 1000
        let secondOfDay = ((seconds % 86_400) + 86_400) % 86_400
        let days = (seconds - secondOfDay) / 86_400
        let (year, month, day) = civilFromDays(days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
    }

    // MARK: - Calendar arithmetic (Howard Hinnant's days_from_civil)

    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= b.count else { return nil }
        var value = 0
        for byte in b[start..<start + count] {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
