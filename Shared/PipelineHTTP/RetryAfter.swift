/// Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    /// How long the server asked us to wait, or `nil` when the header is absent or unreadable.
    /// - Parameters:
    ///   - value: The header's value, e.g. `"120"` or `"Fri, 31 Dec 1999 23:59:59 GMT"`.
    ///   - now: The current wall-clock time in seconds since the Unix epoch, for the date form.
    /// - Returns: A non-negative delay; a date in the past gives zero.
    public static func delay(from value: String?, now: Int64) -> Duration? {
        guard let value else { return nil }
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let text = String(value.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Absurdly long digit strings saturate instead of failing; the policy caps the wait anyway.
            return .seconds(Int64(text) ?? Int64(Int32.max))
        }
        guard let date = HTTPDate.parse(text) else { return nil }
        return .seconds(max(0, date - now))
    }
}
