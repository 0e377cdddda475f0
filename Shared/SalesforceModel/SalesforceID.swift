/// Salesforce record ids: 3-character key prefix, then a 12-character body, then the 3-character
/// case-insensitivity suffix, 18 characters in all (e.g. `001Dn00000012AbIAI`).
///
/// Bodies are fixed-width base 62 in creation order, so ids sort (as strings) in the order records were created,
/// as real ids roughly do.
public enum SalesforceID {
    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// The 18-character id of the `serial`-th record under `prefix` (e.g. `001`), on a seed-chosen pod.
    static func make(prefix: String, pod: String, serial: Int) -> String {
        var body = [Character](repeating: "0", count: 9)
        var n = serial
        for i in stride(from: 8, through: 0, by: -1) {
            body[i] = base62[n % 62]
            n /= 62
        }
        return withSuffix(prefix + pod + "0" + String(body))
    }

    /// Appends the 3-character suffix to a 15-character id (Salesforce's documented algorithm).
    public static func withSuffix(_ id15: String) -> String {
        let chars = Array(id15)
        precondition(chars.count == 15)
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where chars[chunk * 5 + i].isASCII && chars[chunk * 5 + i].isUppercase {
                bits |= 1 << i
            }
            suffix.append(suffixAlphabet[bits])
        }
        return id15 + suffix
    }
}
