/// The names SOQL may carry: a letter, then letters, digits and single underscores, optionally ending in a
/// custom suffix (`__c`, `__r`…), at most 80 characters. Anything else (quotes, spaces, commas, keywords glued
/// to punctuation) is refused, so a hostile describe response or request cannot inject SOQL.
public enum SOQLIdentifier {
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...80).contains(bytes.count), isLetter(bytes[0]) else { return false }
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "_") {
                    // A double underscore only introduces the final suffix: `__c`, `__r`, `__mdt`…
                    let suffix = bytes[(index + 2)...]
                    return !suffix.isEmpty && suffix.count <= 4 && suffix.allSatisfy(isLower)
                }
                if index + 1 == bytes.count { return false }
            } else if !isLetter(byte) && !isDigit(byte) {
                return false
            }
            index += 1
        }
        return true
    }

    /// An 15- or 18-character alphanumeric Salesforce record id.
    public static func isRecordID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return (bytes.count == 15 || bytes.count == 18) && bytes.allSatisfy { isLetter($0) || isDigit($0) }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- UInt8(ascii: "a") < 26 }
    private static func isLower(_ b: UInt8) -> Bool { b &- UInt8(ascii: "a") < 26 }
    private static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}
