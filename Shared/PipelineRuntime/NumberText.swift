/// Numbers for people: `1,234,567` and `12.3K/s` in progress lines and summaries.
public enum NumberText {
    /// An integer with thousands separators.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// A value with one decimal and a K/M suffix above a thousand.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        func oneDecimal(_ x: Double) -> String {
            let tenths = Int((x * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }
        if abs(value) >= 1_000_000 { return oneDecimal(value / 1_000_000) + "M" }
        if abs(value) >= 1_000 { return oneDecimal(value / 1_000) + "K" }
        return oneDecimal(value)
    }
}
