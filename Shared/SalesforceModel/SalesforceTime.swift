/// Salesforce's text forms of times, from and to epoch milliseconds (UTC), without Foundation.
///
/// - REST JSON datetimes: `2026-11-30T12:00:00.000+0000` (``restDateTime(_:)``)
/// - REST JSON dates: `2026-11-30` (``date(days:)``)
/// - SOQL datetime literals: `2026-11-30T12:00:00.000Z` or `2026-11-30T12:00:00Z` (``soqlLiteral(_:)``)
/// ``parseDateTime(_:)`` reads all of these back (also `+hh:mm`/`-hhmm` offsets).
public enum SalesforceTime {
    public static let msPerDay: Int64 = 86_400_000

    /// `2026-11-30T12:00:00.000+0000`, as the REST API renders datetime fields.
    public static func restDateTime(_ ms: Int64) -> String { isoText(ms, suffix: "+0000") }

    /// `2026-11-30T12:00:00.000Z`, a SOQL datetime literal (unquoted in a WHERE clause).
    public static func soqlLiteral(_ ms: Int64) -> String { isoText(ms, suffix: "Z") }

    /// `2026-11-30` for days since 1970-01-01.
    public static func date(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Days since 1970-01-01 of the UTC day holding `ms`.
    public static func days(ofMs ms: Int64) -> Int64 { floorDiv(ms, msPerDay) }

    /// Epoch ms of a UTC calendar time.
    public static func epochMs(year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0,
                               second: Int64 = 0, ms: Int64 = 0) -> Int64 {
        daysFromCivil(year, month, day) * msPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + ms
    }

    /// Parses `yyyy-MM-ddTHH:mm:ss[.SSS](Z|+hhmm|+hh:mm|-hhmm|-hh:mm)` to epoch ms; nil when malformed.
    public static func parseDateTime(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58,
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if b[i] == 46 {
            guard let f = num(i + 1, 3) else { return nil }
            millis = f
            i += 4
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] == 90 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let sign: Int64 = b[i] == 43 ? 1 : -1
            guard let oh = num(i + 1, 2) else { return nil }
            var j = i + 3
            if j < b.count, b[j] == 58 { j += 1 }
            guard let om = num(j, 2) else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
            i = j + 2
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return epochMs(year: y, month: mo, day: d, hour: h, minute: mi, second: s, ms: millis)
            - offsetMinutes * 60_000
    }

    // MARK: - Civil calendar (Howard Hinnant's algorithms)

    private static func isoText(_ ms: Int64, suffix: String) -> String {
        let days = floorDiv(ms, msPerDay)
        let rest = ms - days * msPerDay
        let (h, mi, s, f) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000)
        return "\(date(days: days))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))\(suffix)"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
