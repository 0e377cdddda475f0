import SalesforceExtraction

/// What the extractor reads from Salesforce (query pages, describes, tokens, error bodies, the
/// `Sforce-Limit-Info` header, datetimes), from its own watermark topic, and from files (`extractor file`).
enum SalesforceFuzzTargets {
    static let all = [json, queryPage, describe, token, errorBody, limitInfo, dateTime, watermark, csvFile, jsonLinesFile]

    static let jsonTokens = FuzzTarget.utf8([
        "\"done\":false", "\"done\":true", "\"records\":[", "\"nextRecordsUrl\":\"/services/data/v60.0/query/01gx-2000\"",
        "\"attributes\":{\"type\":\"Account\"}", "\"Id\":\"001RO000001aBcDYAU\"", "\"SystemModstamp\":",
        "\"2026-11-30T12:00:00.000+0000\"", "\"fields\":[", "\"name\":", "\"type\":\"address\"", "\"access_token\":",
        "\"instance_url\":\"https://x.my.salesforce.com/\"", "\"errorCode\":", "\"totalSize\":", "\"modstamp\":",
    ])

    /// The strict parser under every Salesforce decoder; what parses must print to text that parses to the
    /// same value.
    static let json = FuzzTarget(
        name: "salesforce.json", summary: "JSONParser.parse, then text and parse again",
        seeds: SalesforceSeeds.queryPages + SalesforceSeeds.describes + SalesforceSeeds.tokens
            + SalesforceSeeds.errorBodies + FuzzTarget.utf8([#"[1,-0.5e+3,"\u00e9\ud83c\udfb5\n",true,false,null,{}]"#]),
        tokens: jsonTokens
    ) { bytes in
        FuzzOutcome.checking({ () throws(JSONParseError) in try JSONParser.parse(bytes) }) { value in
            (try? JSONParser.parse(value.text)) == value ? nil : "JSONValue.text does not parse back to the value"
        }
    }

    static let queryPage = FuzzTarget(
        name: "salesforce.query-page", summary: "QueryPage(json:) on a /query response",
        seeds: SalesforceSeeds.queryPages, tokens: jsonTokens
    ) { bytes in
        FuzzOutcome.checking({ () throws(SalesforceResponseError) in try QueryPage(json: bytes) }, contract: { page in
            guard let path = page.nextRecordsPath else { return page.done ? nil : "not done without a next path" }
            return path.hasPrefix("/services/data/v") ? nil : "a next-records path that is not on the API: \(path)"
        })
    }

    static let describe = FuzzTarget(
        name: "salesforce.describe", summary: "ObjectDescription(json:) on a describe response",
        seeds: SalesforceSeeds.describes, tokens: jsonTokens
    ) { bytes in
        FuzzOutcome.checking({ () throws(SalesforceResponseError) in try ObjectDescription(json: bytes) }) { object in
            // The only names SOQL may carry: each must be an identifier.
            object.extractableFieldNames.allSatisfy(SOQLIdentifier.isValid) ? nil : "an invalid name is extractable"
        }
    }

    static let token = FuzzTarget(
        name: "salesforce.token", summary: "AccessToken(json:) on an OAuth2 token response",
        seeds: SalesforceSeeds.tokens, tokens: jsonTokens
    ) { bytes in
        FuzzOutcome.checking({ () throws(SalesforceResponseError) in try AccessToken(json: bytes) }) { token in
            // The token goes into an Authorization header, the instance URL into request URLs.
            guard token.accessToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return "a header-breaking token" }
            guard let url = token.instanceURL else { return nil }
            return url.hasPrefix("http") && !url.utf8.contains(where: { $0 <= 0x20 }) ? nil : "an unusable instance URL"
        }
    }

    static let errorBody = FuzzTarget(
        name: "salesforce.error-body", summary: "SalesforceAPIError(json:) on an error response",
        seeds: SalesforceSeeds.errorBodies, tokens: jsonTokens
    ) { bytes in
        .optional(
            SalesforceAPIError(json: bytes), kind: "unrecognised",
            meaning: "the body is neither a Salesforce error array nor an OAuth2 error object")
    }

    static let limitInfo = FuzzTarget(
        name: "salesforce.limit-info", summary: "APIUsage(header:) on a Sforce-Limit-Info value",
        seeds: FuzzTarget.utf8([
            "api-usage=10018/100000", "per-app-api-usage=17/250(appName=x), api-usage=5/15000", "api-usage= 0 / 1 ",
        ]),
        maximumInputBytes: 512
    ) { bytes in
        .optional(
            APIUsage(header: String(decoding: bytes, as: UTF8.self)), kind: "unreadable",
            meaning: "the header has no well-formed api-usage entry",
            contract: { $0.used >= 0 && $0.maximum > 0 ? nil : "usage out of range" })
    }

    static let dateTime = FuzzTarget(
        name: "salesforce.datetime", summary: "SalesforceDateTime.milliseconds, then the SOQL literal back",
        seeds: FuzzTarget.utf8([
            "2026-11-30T12:00:00.000+0000", "2026-11-30T12:00:00Z", "1970-01-01T00:00:00.5-05:30",
            "9999-12-31T23:59:59.999+00:00", "2024-02-29T23:59:59.123456789Z",
        ]),
        maximumInputBytes: 256
    ) { bytes in
        .optional(
            SalesforceDateTime.milliseconds(String(decoding: bytes, as: UTF8.self)), kind: "unreadable",
            meaning: "not a Salesforce datetime",
            contract: { ms in
                SalesforceDateTime.milliseconds(SalesforceDateTime.soqlLiteral(milliseconds: ms)) == ms
                    ? nil : "the SOQL literal of \(ms) does not read back"
            })
    }

    static let watermark = FuzzTarget(
        name: "salesforce.watermark", summary: "Watermark(json:) on a salesforce.watermarks record",
        seeds: FuzzTarget.utf8([
            #"{"modstamp":1764504000000,"id":"001RO000001aBcDYAU"}"#, #"{"id":"003RO000001aBcD","modstamp":-1}"#,
        ]),
        tokens: jsonTokens
    ) { bytes in
        .optional(
            Watermark(json: bytes), kind: "unreadable", meaning: "not a stored watermark",
            contract: { Watermark(json: Array($0.json.utf8)) == $0 ? nil : "the stored form does not read back" })
    }

    static let csvFile = FuzzTarget(
        name: "salesforce.csv-file", summary: "FileRecords.csv on an extractor input file",
        seeds: SalesforceSeeds.csvFiles,
        tokens: FuzzTarget.utf8(["\"", "\"\"", ",", "\r\n", "\n", "Id", "SystemModstamp", "BillingAddress.City", ",,"])
    ) { bytes in
        do throws(RecordMappingError) {
            return fileOutcome(try FileRecords.csv(bytes, object: "Account"))
        } catch {
            return .rejection(kind: "RecordMappingError.\(error.reason)", message: error.description)
        }
    }

    static let jsonLinesFile = FuzzTarget(
        name: "salesforce.jsonl-file", summary: "FileRecords.jsonLines on an extractor input file",
        seeds: SalesforceSeeds.jsonLinesFiles, tokens: jsonTokens + FuzzTarget.utf8(["\n", "\r\n", "\n\n"])
    ) { bytes in
        fileOutcome(FileRecords.jsonLines(bytes, object: nil))
    }

    /// A file's outcome is its first bad line's (the service dead-letters each bad line and goes on); every line
    /// must be numbered in order, and every bad one must say why (a reason and a detail).
    static func fileOutcome(_ lines: [FileRecords.Line]) -> FuzzOutcome {
        var rejection: FuzzOutcome?
        var previous = 0
        for line in lines {
            guard line.number > previous else { return .failed("line \(line.number) after line \(previous)") }
            previous = line.number
            if case .failure(let error) = line.outcome {
                guard !error.reason.isEmpty, !error.detail.isEmpty else {
                    return .failed("line \(line.number) rejected without a reason or detail")
                }
                rejection = rejection ?? .rejection(kind: "RecordMappingError.\(error.reason)", message: error.description)
            }
        }
        return rejection ?? .accepted
    }
}
