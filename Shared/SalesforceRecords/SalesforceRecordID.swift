/// Salesforce record ids as the router accepts them: 15 characters (case-sensitive) or 18 (15 plus a 3-character
/// case checksum), letters and digits only; and the wildcard form `001*` (a 3-character key prefix and `*`) that
/// a CDC event carries when a change touched every record of an object.
public enum SalesforceRecordID {
    /// The 18-character form of a 15- or 18-character id; nil when `text` is not id-shaped.
    ///
    /// A 15-character id gets its checksum suffix, so one record never has two row keys downstream.
    public static func canonical(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 15 || bytes.count == 18, bytes.allSatisfy(isAlphanumeric) else { return nil }
        if bytes.count == 18 { return text }
        return text + checksum(bytes)
    }

    /// The object key prefix of a wildcard id such as `001*`; nil when `text` is not one.
    public static func wildcardPrefix(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes[3] == UInt8(ascii: "*"), bytes[..<3].allSatisfy(isAlphanumeric) else { return nil }
        return String(text.prefix(3))
    }

    /// The 3-character suffix: for each 5-character chunk, a bit per upper-case letter, as one of `A–Z0–5`.
    static func checksum(_ id: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)
        var suffix: [UInt8] = []
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where isUpper(id[chunk * 5 + i]) { bits |= 1 << i }
            suffix.append(alphabet[bits])
        }
        return String(decoding: suffix, as: UTF8.self)
    }

    private static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { b &- 0x41 < 26 || b &- 0x61 < 26 || b &- 0x30 < 10 }
}
