/// The names SOQL may carry, as real orgs have them: segments of letters, digits and single underscores, each
/// starting with a letter and not ending in an underscore, joined by double underscores into at most
/// `namespace__Name__suffix` or, for a compound field's component, `[namespace__]Name__Component__s`
/// (`SBQQ__Quote__c`, `npsp__Batch__c`, `Loc__Latitude__s`, `Custom__History`). At most 80 characters.
///
/// Nothing else passes: no quotes, spaces, commas, parentheses, dots or non-ASCII letters, so a hostile describe
/// response or batch request cannot inject SOQL whatever it names. The grammar is Salesforce's (EXTERNAL-FACTS
/// §4.5); the suffix list is what orgs carry today, and an unknown suffix is refused rather than guessed at.
public enum SOQLIdentifier {
    /// Suffixes after the last `__`: custom objects and fields, relationships, compound components, custom
    /// metadata, platform events, external objects, big objects, and the standard companions of custom objects.
    static let suffixes: Set<String> = [
        "c", "r", "s", "mdt", "e", "x", "b", "xo", "kav", "ka", "History", "Share", "Feed", "Tag", "ChangeEvent",
    ]

    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...80).contains(bytes.count) else { return false }
        let segments = split(bytes)
        guard let segments, segments.allSatisfy(isSegment) else { return false }
        switch segments.count {
        case 1:
            return true
        case 2, 3:
            // `Name__c`; `ns__Name__c` or `Name__Component__s`.
            return suffixes.contains(String(decoding: segments.last!, as: UTF8.self))
        case 4:
            // `ns__Name__Component__s`: only compound components take a fourth segment.
            return segments.last!.elementsEqual("s".utf8)
        default:
            return false
        }
    }

    /// Why the REST query API cannot extract this object, or `nil` when it can: objects that SOQL's ordinary query
    /// cannot page by SystemModstamp (big objects, platform events, change events). Asked for, they are refused at
    /// start with this message instead of failing on every pass.
    public static func queryRefusal(object: String) -> String? {
        if object.hasSuffix("__b") {
            return "\(object) is a big object (__b): the REST query API cannot page it by SystemModstamp; use Async SOQL or Bulk API outside Tributary"
        }
        if object.hasSuffix("__e") {
            return "\(object) is a platform event (__e): it cannot be queried; subscribe to it over the Pub/Sub API"
        }
        if object.hasSuffix("ChangeEvent") {
            return "\(object) is a change event: it cannot be queried; stream it with CDC (`extractor stream`)"
        }
        return nil
    }

    /// An 15- or 18-character alphanumeric Salesforce record id.
    public static func isRecordID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return (bytes.count == 15 || bytes.count == 18) && bytes.allSatisfy { isLetter($0) || isDigit($0) }
    }

    /// The name cut at each `__`; `nil` when three or more underscores run together.
    private static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>]? {
        var segments: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        let underscore = UInt8(ascii: "_")
        while index < bytes.count {
            if bytes[index] == underscore, index + 1 < bytes.count, bytes[index + 1] == underscore {
                if index + 2 < bytes.count, bytes[index + 2] == underscore { return nil }
                segments.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        segments.append(bytes[start..<bytes.count])
        return segments
    }

    /// A letter first, then letters, digits and single underscores, not ending in an underscore.
    private static func isSegment(_ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = segment.first, isLetter(first), segment.last != UInt8(ascii: "_") else { return false }
        return segment.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- UInt8(ascii: "a") < 26 }
    private static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}
