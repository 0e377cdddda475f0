/// Salesforce API names (objects and fields) as the router accepts them: a letter, then letters, digits and
/// underscores (custom names end in `__c`), at most 80 characters; field names may have one dotted part
/// (`BillingAddress.City`). Anything else cannot have come from Salesforce and must not reach a row key, a
/// column name or a SOQL query.
public enum SalesforceAPIName {
    public static func isObjectName(_ text: String) -> Bool {
        isIdentifier(Substring(text))
    }

    public static func isFieldName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy(isIdentifier)
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 80, first &- 0x41 < 26 || first &- 0x61 < 26 else { return false }
        return bytes.allSatisfy { $0 &- 0x41 < 26 || $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == UInt8(ascii: "_") }
    }
}
