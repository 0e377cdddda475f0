/// Small helpers for commands that print JSON by hand (summaries, control answers) without Foundation.
public enum JSONText {
    /// A JSON string literal, quotes included, with every character RFC 8259 requires escaped.
    public static func quoted(_ string: String) -> String {
        LogEscaping.jsonString(string)
    }

    /// A JSON number for a measurement: finite values with up to `digits` decimals, `null` otherwise.
    public static func number(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}
