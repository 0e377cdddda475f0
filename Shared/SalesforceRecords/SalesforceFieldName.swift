/// Salesforce API names → the snake_case names Tributary stores (`salesforce.records`, `salesforce_records`).
///
/// One function shared by the extractor (REST rows), the cdc-router (change events) and the tests that compare
/// Bigtable with the simulator's org, so a field can never be spelled two ways downstream.
///
/// - `AnnualRevenue` → `annual_revenue`, `SystemModstamp` → `system_modstamp`, `Id` → `id`
/// - custom fields keep their suffix: `Lifetime_Value__c` → `lifetime_value__c`, `NPS__c` → `nps__c`
/// - compound parts keep the dot: `BillingAddress.City` → `billing_address.city`
/// - acronyms stay whole: `HTTPStatus` → `http_status`, `AccountID` → `account_id`
public enum SalesforceFieldName {
    public static func normalized(_ apiName: String) -> String {
        let scalars = Array(apiName.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count + 4)
        for (i, scalar) in scalars.enumerated() {
            guard isUpper(scalar) else {
                out.append(scalar)
                continue
            }
            if i > 0, let last = out.last, last != "_", last != "." {
                let previous = scalars[i - 1]
                let nextIsLower = i + 1 < scalars.count && isLower(scalars[i + 1])
                if isLower(previous) || isDigit(previous) || (isUpper(previous) && nextIsLower) {
                    out.append("_")
                }
            }
            out.append(Unicode.Scalar(scalar.value | 0x20)!)
        }
        return String(out)
    }

    private static func isUpper(_ s: Unicode.Scalar) -> Bool { s.value &- 0x41 < 26 }
    private static func isLower(_ s: Unicode.Scalar) -> Bool { s.value &- 0x61 < 26 }
    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value &- 0x30 < 10 }
}
