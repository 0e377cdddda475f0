/// Parses the HTTP-date forms of RFC 9110 §5.6.7 into seconds since the Unix epoch, without Foundation.
///
/// Accepts IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`), as recipients must.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01T00:00:00Z, or `nil` when the text is none of the three forms.
    public static func parse(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == ":" }).map(String.init)
        let day: Int
        let month: Int
        var year: Int
        let clock: ArraySlice<String>
        if tokens.count == 8, tokens[7] == "GMT", let d = Int(tokens[1]), let m = self.month(tokens[2]),
            let y = Int(tokens[3])
        {
            (day, month, year, clock) = (d, m, y, tokens[4...6])
            if tokens[3].count == 2 { year += year < 70 ? 2000 : 1900 }
        } else if tokens.count == 7, let m = self.month(tokens[1]), let d = Int(tokens[2]), let y = Int(tokens[6]) {
            (day, month, year, clock) = (d, m, y, tokens[3...5])
        } else {
            return nil
        }
        let parts = clock.compactMap { Int($0) }
        guard parts.count == 3, (1...31).contains(day), (1970...9999).contains(year), (0...23).contains(parts[0]),
            (0...59).contains(parts[1]), (0...60).contains(parts[2])
        else { return nil }
        let days = self.daysSinceEpoch(year: year, month: month, day: day)
        return days * 86_400 + Int64(parts[0] * 3600 + parts[1] * 60 + parts[2])
    }

    private static func month(_ token: String) -> Int? {
        self.months.firstIndex(of: token.lowercased()).map { $0 + 1 }
    }

    /// Howard Hinnant's `days_from_civil`: proleptic Gregorian date to days since 1970-01-01.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
